"""What the live connection asks of the database: who is connecting, presence in a sitting's
room, and the gestures a room page sends over the socket. Runs in worker threads."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import events
from juries.middleware import needs_mfa
from juries.models import Membership
from juries.permissions import Action, JuryAccess, access_for, get_jury_for

from . import room as room_service
from . import signins
from .forms import whole_number
from .models import Presence, QuickPoll, SittingRoom, SmallGroupMember

HEARTBEAT_SECONDS = 60
PRESENT_FOR = timedelta(seconds=3 * HEARTBEAT_SECONDS)


@dataclass(frozen=True)
class ConnectionState:
    access: JuryAccess  # from get_jury_for(), as the pages get theirs
    user_id: int
    last_seq: int
    sitting_id: int | None
    small_group_ids: tuple
    session_expires_at: float | None  # a timestamp; None when the session backend cannot tell


def connection_state(user, session_key, slug, sitting_id):
    """Who is connecting and what they may receive, or None to refuse the connection.

    Anonymous visitors, people whose session is no longer in force or who lack a second factor
    they need, non-members and (for a sitting's room) people who may not join it are refused; so
    is a sitting of another jury."""
    if user is None or not user.is_authenticated or not user.is_active or needs_mfa(user):
        return None
    in_force = signins.sessions_in_force([session_key])
    if session_key not in in_force:
        return None
    try:
        access = get_jury_for(user, slug, action=Action.VIEW_JURY)
    except (Http404, PermissionDenied):
        return None
    jury = access.jury
    if sitting_id is not None:
        if not access.may[Action.JOIN_SITTING]:
            return None
        if not SittingRoom.objects.filter(sitting_id=sitting_id, sitting__jury=jury).exists():
            return None
    # The small groups meeting now that this person is in (their threads' posts reach them).
    group_ids = SmallGroupMember.objects.filter(
        user=user, group__closed_at__isnull=True, group__room__sitting__jury=jury
    ).values_list("group_id", flat=True)
    return ConnectionState(
        access=access,
        user_id=user.pk,
        last_seq=jury.last_event_seq,
        sitting_id=sitting_id,
        small_group_ids=tuple(group_ids),
        session_expires_at=in_force[session_key],
    )


def present_people(room):
    since = timezone.now() - PRESENT_FOR
    ids = set(
        Presence.objects.filter(room=room, seen_at__gte=since, left_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    members = Membership.objects.filter(jury_id=room.sitting.jury_id, user_id__in=ids)
    return sorted(members.select_related("user"), key=lambda m: (m.role, m.user.public_name))


def _announce_presence(room):
    html = render_to_string(
        "deliberate/room.html#presence-pushed",
        {"present": present_people(room), "live": True, "room": room},
    )
    events.send_to_jury(
        room.sitting.jury_id,
        {
            "type": "jury.presence",
            "jury": room.sitting.jury_id,
            "sitting": room.sitting_id,
            "html": html,
        },
    )


def _page_channel(room, user_id):
    return f"page.{room.pk}.{user_id}"


def opened_page(room, user_id):
    """Someone loaded the room's page: they have it open, with or without a live connection.

    Without JavaScript there is no connection to tell us, so the page itself counts for
    PRESENT_FOR (each control used, or a reload, counts again). Their live connection, if one
    follows, takes over (arrive). Others' open rooms are told when someone new comes in."""
    now = timezone.now()
    already = Presence.objects.filter(
        room=room, user_id=user_id, seen_at__gte=now - PRESENT_FOR, left_at__isnull=True
    ).exists()
    Presence.objects.update_or_create(
        channel=_page_channel(room, user_id),
        defaults={"room": room, "user_id": user_id, "seen_at": now, "left_at": None},
    )
    if not already:
        _announce_presence(room)


def arrive(sitting_id, user_id, channel):
    room = SittingRoom.objects.select_related("sitting").get(sitting_id=sitting_id)
    now = timezone.now()
    Presence.objects.update_or_create(
        channel=channel,
        defaults={"room": room, "user_id": user_id, "seen_at": now, "left_at": None},
    )
    # The live connection now says whether they are here: when it closes, they have left.
    Presence.objects.filter(channel=_page_channel(room, user_id), left_at__isnull=True).update(
        left_at=now
    )
    _announce_presence(room)


def still_here(channel):
    Presence.objects.filter(channel=channel, left_at__isnull=True).update(seen_at=timezone.now())


def leave(channel):
    presence = Presence.objects.select_related("room__sitting").filter(channel=channel).first()
    if presence is None:
        return
    room = presence.room
    presence.left_at = timezone.now()
    presence.save(update_fields=["left_at"])
    _announce_presence(room)


def gesture(*, user_id, jury_id, sitting_id, request):
    """Carry out a gesture sent over the socket, with the same checks as the HTTP forms.
    Returns HTML for the page's status line, or None when there is nothing to say."""
    action = request.get("action")
    membership = Membership.objects.filter(jury_id=jury_id, user_id=user_id).select_related(
        "jury", "user"
    )
    membership = membership.first()
    if membership is None:
        return _status(_("You are no longer a member of this jury."))
    if action == "post":
        return _status(_("Messages are posted with the form on the page."))
    if action not in {"raise_hand", "lower_hand", "answer_poll"} or sitting_id is None:
        return _status(_("That cannot be done here."))
    if not access_for(membership.user, membership.jury).may[Action.TAKE_PART_LIVE]:
        return _status(
            _("You are here to watch: raising a hand and answering polls are for jurors.")
        )
    room = SittingRoom.objects.select_related("sitting__jury").get(sitting_id=sitting_id)
    user = membership.user
    try:
        if action == "raise_hand":
            room_service.raise_hand(room=room, user=user)
            return _status(_("Your hand is raised. The facilitator will give you the floor."))
        if action == "lower_hand":
            room_service.lower_hand(room=room, user=user)
            return _status(_("Your hand is lowered."))
        poll = QuickPoll.objects.filter(room=room, pk=whole_number(request.get("poll"))).first()
        if poll is None:
            return _status(_("That poll is no longer open."))
        room_service.answer_poll(poll=poll, user=user, option=whole_number(request.get("option")))
        return _status(_("Your answer is saved. You can change it until the poll closes."))
    except room_service.RoomError as error:
        return _status(str(error))


def _status(text):
    return render_to_string("deliberate/room.html#gesture-status", {"text": text})
