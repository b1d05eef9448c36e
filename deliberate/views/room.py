"""A sitting's live room, and its controls. Everything posts over plain HTTP forms; the page
updates live when JavaScript is on and shows the same state on reload when it is not."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from juries import refusals, text_limits
from juries.idempotency import once
from juries.models import Sitting
from juries.permissions import Action, get_jury_for

from .. import room as room_service
from ..forms import whole_number
from ..live import opened_page, present_people
from ..models import HandRaise, PollAnswer

KEPT = "room_form_kept"


def _room(access, sitting_id):
    sitting = get_object_or_404(Sitting.objects.filter(jury=access.jury), pk=sitting_id)
    room = room_service.room_for(sitting)
    room.sitting = sitting
    return room


@login_required
def room(request, slug, sitting_id):
    access = get_jury_for(request.user, slug, action=Action.JOIN_SITTING)
    room = _room(access, sitting_id)
    opened_page(room, request.user.pk)
    context = room_service.panel_context(room)
    poll = context["poll"]
    my_answer = None
    if poll is not None:
        my_answer = (
            PollAnswer.objects.filter(poll=poll, user=request.user)
            .values_list("option", flat=True)
            .first()
        )
    return render(
        request,
        "deliberate/room.html",
        {
            **context,
            "access": access,
            "jury": access.jury,
            "may": access.may,
            "present": present_people(room),
            "hand_raised": HandRaise.objects.filter(
                room=room, user=request.user, lowered_at__isnull=True
            ).exists(),
            "my_group": room_service.group_of(room, request.user.pk),
            "my_answer": my_answer,
            "kept": request.session.pop(KEPT, {}),
        },
    )


def _back(room):
    return redirect("deliberate:room", room.sitting.jury.slug, room.sitting_id)


@login_required
@require_POST
@once
def room_hand(request, slug, sitting_id):
    access = get_jury_for(request.user, slug, action=Action.TAKE_PART_LIVE)
    room = _room(access, sitting_id)
    try:
        if request.POST.get("do") == "lower":
            room_service.lower_hand(room=room, user=request.user)
            messages.success(request, _("Your hand is lowered."))
        else:
            room_service.raise_hand(room=room, user=request.user)
            messages.success(
                request, _("Your hand is raised. The facilitator will give you the floor.")
            )
    except refusals.Refused as error:
        refusals.show(request, error)
    return _back(room)


@login_required
@require_POST
@once
def room_poll_answer(request, slug, sitting_id):
    access = get_jury_for(request.user, slug, action=Action.TAKE_PART_LIVE)
    room = _room(access, sitting_id)
    poll = room.polls.filter(pk=whole_number(request.POST.get("poll"))).first()
    try:
        if poll is None:
            raise room_service.RoomError(_("That poll is no longer open."))
        room_service.answer_poll(
            poll=poll, user=request.user, option=whole_number(request.POST.get("option"))
        )
        messages.success(
            request, _("Your answer is saved. You can change it until the poll closes.")
        )
    except refusals.Refused as error:
        refusals.show(request, error)
    return _back(room)


CONTROLS = {
    "start": lambda room, request: room_service.start(room=room, by=request.user),
    "pause": lambda room, request: room_service.pause(room=room, by=request.user),
    "extend": lambda room, request: room_service.extend(
        room=room, by=request.user, minutes=whole_number(request.POST.get("minutes")) or 5
    ),
    "next": lambda room, request: room_service.next_item(room=room, by=request.user),
    "end": lambda room, request: room_service.end(room=room, by=request.user),
    "floor": lambda room, request: room_service.give_floor(
        room=room, user_id=whole_number(request.POST.get("user")), by=request.user
    ),
    "end-turn": lambda room, request: room_service.end_turn(room=room, by=request.user),
    "split": lambda room, request: room_service.split_into_groups(
        room=room,
        by=request.user,
        count=whole_number(request.POST.get("count")) or 0,
        method="balanced" if request.POST.get("method") == "balanced" else "random",
    ),
    "plenary": lambda room, request: room_service.bring_back(room=room, by=request.user),
    "message": lambda room, request: room_service.message_groups(
        room=room, by=request.user, text=request.POST.get("text", "")
    ),
    "poll": lambda room, request: room_service.open_poll(
        room=room,
        by=request.user,
        question=request.POST.get("question", ""),
        options=request.POST.get("options", "").splitlines(),
    ),
    "close-poll": lambda room, request: room_service.close_poll(room=room, by=request.user),
}


@login_required
@require_POST
@once
def room_control(request, slug, sitting_id):
    """The facilitator's controls: one form per button, each naming what it does in `do`."""
    access = get_jury_for(request.user, slug, action=Action.RUN_SITTINGS)
    room = _room(access, sitting_id)
    control = CONTROLS.get(request.POST.get("do", ""))
    if control is None:
        messages.error(request, _("That control is not known. Reload the page and try again."))
        return _back(room)
    try:
        control(room, request)
    except refusals.Refused as error:
        refusals.show(request, error)
        # Keep what was typed (up to the longest a message may be), so the form shows it again
        # beside the message.
        request.session[KEPT] = {
            name: request.POST.get(name, "")[: text_limits.LONG]
            for name in ("question", "options", "text", "count")
        }
    return _back(room)


ROOM = "juries/<slug:slug>/sittings/<int:sitting_id>/room/"

urlpatterns = [
    path(ROOM, room, name="room"),
    path(ROOM + "hand/", room_hand, name="room-hand"),
    path(ROOM + "poll/", room_poll_answer, name="room-poll"),
    path(ROOM + "control/", room_control, name="room-control"),
]
