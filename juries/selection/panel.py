"""The drawn panel: inviting it, telling everyone else, and replacing people who drop out.

Called by facilitators' views after `juries.permissions` allowed it (RUN_DRAW to invite,
REPLACE_JURORS to replace).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, emails, invitations
from juries.models import (
    Draw,
    DrawState,
    Place,
    PlaceKind,
    PlaceState,
    Replacement,
    Role,
    Volunteer,
)

from . import bundle
from .draws import DrawError


def panel_places(draw):
    """The places currently on the panel (first picks still there, and replacements)."""
    return (
        draw.places.filter(Q(kind=PlaceKind.PANEL) | Q(replaces__isnull=False))
        .filter(replaced_by__isnull=True)
        .select_related("volunteer", "invitation")
        .order_by("kind", "position")
    )


@dataclass
class Invited:
    """What `invite_selected` did: invitations sent, seats no reserve could fill, and the
    places that could not be invited, with the reason (pseudonym, reason)."""

    sent: int = 0
    open_seats: int = 0
    not_invited: list = field(default_factory=list)


def _gone(place):
    volunteer = place.volunteer
    return volunteer is None or not volunteer.in_pool


def invite_selected(*, draw, by, request=None):
    """Invite everyone on the panel not yet invited, first replacing those who withdrew (from
    the reserves, keeping the quotas), and send a kind note once to everyone else in the pool.

    A seat no reserve can fill, or an invitation that cannot be sent, does not stop the others;
    both are reported in the result for the facilitator to see.
    """
    if draw.state != DrawState.DRAWN:
        raise DrawError(_("Draw the panel before inviting anyone."))
    result = Invited()
    for place in panel_places(draw).filter(state__in=[PlaceState.WAITING, PlaceState.UNAVAILABLE]):
        if place.state == PlaceState.WAITING and not _gone(place):
            continue
        try:
            replace(
                place=place,
                reason=_("Withdrew before the invitations were sent."),
                by=by,
                request=request,
                invite_now=False,
            )
        except DrawError:
            Place.objects.filter(pk=place.pk).update(state=PlaceState.UNAVAILABLE)
            result.open_seats += 1
    for place in panel_places(draw).filter(state=PlaceState.WAITING):
        problem = _invite(place, by, request)
        if problem:
            result.not_invited.append((place.pseudonym, problem))
        else:
            result.sent += 1
    _tell_the_others(draw, by)
    return result


def _invite(place, by, request):
    """Invite one place's volunteer as a juror. Returns None, or the reason it could not be."""
    if _gone(place):
        return _("This person has withdrawn.")
    try:
        invitation = invitations.invite(
            jury=place.draw.jury,
            email=place.volunteer.email,
            role=Role.JUROR,
            by=by,
            request=request,
        )
    except invitations.InvitationError as error:
        return str(error)
    Place.objects.filter(pk=place.pk).update(state=PlaceState.INVITED, invitation=invitation)
    return None


def _tell_the_others(draw, by):
    with transaction.atomic():
        locked = Draw.objects.select_for_update().get(pk=draw.pk)
        if locked.invitations_sent_at is not None:
            return
        locked.invitations_sent_at = timezone.now()
        locked.save(update_fields=["invitations_sent_at"])
        others = list(
            Volunteer.objects.in_pool().filter(
                jury=draw.jury,
                places__draw=draw,
                places__kind=PlaceKind.RESERVE,
                places__replaces__isnull=True,
            )
        )
        for volunteer in others:
            emails.queue(
                "juries/email/volunteer_not_selected",
                to=volunteer,
                context={"jury": draw.jury, "volunteer": volunteer, "draw": draw},
            )
        audit.record(
            actor=by,
            action="draw.invite",
            jury=draw.jury,
            target=draw,
            summary=_("Sent the invitations, and a note to %(count)s volunteers not selected.")
            % {"count": len(others)},
        )


def replace(*, place, reason, by, request=None, invite_now=True):
    """Replace someone on the panel who declined, dropped out or withdrew with the first reserve
    (in the published order) who keeps every quota met, and record it.

    Returns the reserve's place, or raises DrawError when no reserve fits. Locks the draw, so two
    facilitators replacing at once never bring in the same reserve. Someone who had already joined
    stays a member until a facilitator removes them from the members page.
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise DrawError(_("Give a short reason, for the record."))
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=place.draw_id)
        place = panel_places(draw).filter(pk=place.pk).first()
        if place is None:
            raise DrawError(_("This person is not on the panel any more."))
        joining = _next_reserve(draw, place)
        if joining is None:
            raise DrawError(
                _("No one on the reserve list can take this place and keep every quota met.")
            )
        if place.invitation is not None and place.invitation.is_pending:
            invitations.revoke(invitation=place.invitation, by=by)
        if place.state != PlaceState.UNAVAILABLE:
            place.state = PlaceState.LEFT
            place.save(update_fields=["state"])
        joining.replaces = place
        joining.save(update_fields=["replaces"])
        Replacement.objects.create(
            draw=draw, leaving=place, joining=joining, reason=reason[:300], made_by=by
        )
        audit.record(
            actor=by,
            action="draw.replace",
            jury=draw.jury,
            target=joining,
            summary=_("Replaced %(leaving)s with reserve %(joining)s: %(reason)s")
            % {"leaving": place.pseudonym, "joining": joining.pseudonym, "reason": reason[:200]},
        )
    # Set on the returned place for the page to show: the replacement stands either way.
    joining.invite_problem = None
    if invite_now and draw.invitations_sent_at is not None:
        joining.invite_problem = _invite(joining, by, request)
    return joining


def _next_reserve(draw, leaving):
    panel = [p.pseudonym for p in panel_places(draw)]
    used = set(
        draw.places.filter(kind=PlaceKind.RESERVE, replaces__isnull=False).values_list(
            "pseudonym", flat=True
        )
    )
    unavailable = used | set(
        draw.places.filter(kind=PlaceKind.RESERVE)
        .filter(Q(volunteer__isnull=True) | Q(volunteer__withdrawn_at__isnull=False))
        .values_list("pseudonym", flat=True)
    )
    chosen = bundle.replacement(
        leaving=leaving.pseudonym,
        panel=panel,
        reserves=draw.outcome["reserves"],
        unavailable=unavailable,
        commitment=draw.commitment,
    )
    if chosen is None:
        return None
    return draw.places.get(pseudonym=chosen)
