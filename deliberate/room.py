"""A sitting's live room: the agenda clock, the speaking queue, small groups and quick polls.

Every function owns its transaction and publishes the room's new state as one event, so all open
room pages show the change at once (and a page that was away catches up from the stream). Callers
have checked Action.RUN_SITTINGS (facilitator controls) or Action.TAKE_PART_LIVE (hands, polls).
"""

import random
from collections import Counter
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries import audit, events, text_limits
from juries.charts import Key, bar_chart
from juries.models import Membership
from juries.permissions import Action, may_be_given_the_floor
from juries.refusals import Refused

from . import threads as thread_service
from .models import (
    HandRaise,
    PollAnswer,
    QuickPoll,
    RoomState,
    SittingRoom,
    SmallGroup,
    SmallGroupMember,
    Turn,
)

PANEL = "deliberate/room.html#panel-pushed"
MAX_POLL_OPTIONS = 6
POLL_TEXT_LENGTH = 200  # the question's column; each answer is no longer


class RoomError(Refused):
    """A control that cannot be used now; the message is shown as it is."""


def room_for(sitting):
    room, _created = SittingRoom.objects.get_or_create(sitting=sitting)
    return room


def room_was_used(sitting):
    """True when the sitting's live room was ever started, or a turn or a poll was recorded in
    it (even before its start time): the sitting took place and stays on record."""
    room = SittingRoom.objects.filter(sitting=sitting).first()
    if room is None:
        return False
    return room.state != RoomState.WAITING or room.turns.exists() or room.polls.exists()


def sitting_record(sitting):
    """What stays on a sitting's page once it has been used: how many people were in its live
    room, how many turns were spoken, and every closed poll (newest first) with its results."""
    room = SittingRoom.objects.filter(sitting=sitting).first()
    if room is None:
        return None
    polls = list(room.polls.filter(closed_at__isnull=False).prefetch_related("answers"))
    for poll in polls:
        counts = Counter(answer.option for answer in poll.answers.all())
        poll.results = [(label, counts[i]) for i, label in enumerate(poll.options)]
        poll.chart = poll_chart(poll)
    return {
        "attended": room.presence.values("user_id").distinct().count(),
        "turns": room.turns.count(),
        "polls": polls,
    }


def group_of(room, user_id):
    if not room.in_groups:
        return None
    return (
        SmallGroupMember.objects.filter(
            group__room=room, group__closed_at__isnull=True, user_id=user_id
        )
        .values_list("group_id", flat=True)
        .first()
    )


def seconds_left(room, now=None):
    if room.state == RoomState.RUNNING and room.item_ends_at:
        return max(int((room.item_ends_at - (now or timezone.now())).total_seconds()), 0)
    return room.seconds_left


def panel_context(room):
    """Everything the room's panel shows, in a fixed number of queries."""
    sitting = room.sitting
    agenda = list(sitting.agenda_items.all())
    balance = participation_balance(Turn.objects.filter(room=room))
    turns = Counter({user_id: taken for user_id, (taken, _seconds) in balance.items()})
    hands = list(
        HandRaise.objects.filter(room=room, lowered_at__isnull=True).select_related("user")
    )
    # Those who have spoken least come first; then whoever raised their hand first.
    hands.sort(key=lambda hand: (turns[hand.user_id], hand.raised_at, hand.pk))
    for hand in hands:
        hand.turns = turns[hand.user_id]
    groups = []
    if room.in_groups:
        groups = list(
            SmallGroup.objects.filter(room=room, closed_at__isnull=True).prefetch_related(
                "members__user"
            )
        )
        for group in groups:
            group.queue = [hand for hand in hands if hand.group_id == group.pk]
            group.thread_id = getattr(getattr(group, "thread", None), "pk", None)
    # The latest poll. Ordered here: with a count, the model's ordering does not apply to first().
    poll = (
        QuickPoll.objects.filter(room=room)
        .annotate(answer_count=Count("answers"))
        .order_by("-opened_at", "-id")
        .first()
    )
    if poll is not None and poll.closed_at:
        counts = Counter(poll.answers.values_list("option", flat=True))
        poll.results = [(label, counts[i]) for i, label in enumerate(poll.options)]
        poll.chart = poll_chart(poll)
    left = seconds_left(room)
    return {
        "room": room,
        "sitting": sitting,
        "agenda": agenda,
        "next_item": next_on_agenda(room, agenda),
        "queue": [hand for hand in hands if hand.group_id is None],
        "groups": groups,
        "poll": poll,
        "seconds_left": left,
        "time_left": f"{left // 60}:{left % 60:02d}" if left is not None else "",  # as the clock
    }


def next_on_agenda(room, agenda):
    """The agenda item after the current one (the first, before the sitting starts), or None."""
    ids = [item.pk for item in agenda]
    position = ids.index(room.current_item_id) + 1 if room.current_item_id in ids else 0
    return agenda[position] if position < len(agenda) else None


def _publish(room, kind, announce, data=None):
    room = SittingRoom.objects.select_related("sitting__jury", "current_item", "speaker").get(
        pk=room.pk
    )
    context = panel_context(room)
    context["announce"] = announce
    events.publish(
        room.sitting.jury,
        kind,
        requires=Action.JOIN_SITTING,
        template=PANEL,
        context=context,
        data={"sitting": room.sitting_id, **(data or {})},
    )
    return room


def _locked(room):
    return SittingRoom.objects.select_for_update().select_related("sitting").get(pk=room.pk)


def _agenda(room):
    return list(room.sitting.agenda_items.all())


def start(*, room, by):
    """Start (or carry on after a pause) the current agenda item's clock."""
    with transaction.atomic():
        room = _locked(room)
        if room.state == RoomState.RUNNING:
            return room
        agenda = _agenda(room)
        if room.current_item_id is None:
            if not agenda:
                raise RoomError(_("Add at least one agenda item to the sitting first."))
            room.current_item = agenda[0]
        seconds = room.seconds_left
        if seconds is None:
            seconds = room.current_item.planned_minutes * 60
        room.state = RoomState.RUNNING
        room.item_ends_at = timezone.now() + timedelta(seconds=seconds)
        room.seconds_left = None
        room.save()
        return _publish(
            room,
            "room.started",
            _("The sitting is running: “%(item)s”.") % {"item": room.current_item.title},
        )


def pause(*, room, by):
    with transaction.atomic():
        room = _locked(room)
        if room.state != RoomState.RUNNING:
            return room
        room.seconds_left = seconds_left(room)
        room.item_ends_at = None
        room.state = RoomState.PAUSED
        room.save()
        return _publish(room, "room.paused", _("The sitting is paused."))


def extend(*, room, by, minutes):
    if not 1 <= minutes <= 60:
        raise RoomError(_("Extend by between 1 and 60 minutes."))
    with transaction.atomic():
        room = _locked(room)
        if room.state == RoomState.RUNNING and room.item_ends_at:
            room.item_ends_at = max(room.item_ends_at, timezone.now()) + timedelta(minutes=minutes)
        elif room.current_item_id:
            room.seconds_left = (room.seconds_left or 0) + minutes * 60
        else:
            raise RoomError(_("Start the sitting before extending an item."))
        room.save()
        return _publish(
            room,
            "room.extended",
            _("The current item has %(minutes)s more minutes.") % {"minutes": minutes},
        )


def next_item(*, room, by):
    """Move to the next agenda item; its clock starts at once if the sitting is running."""
    with transaction.atomic():
        room = _locked(room)
        agenda = _agenda(room)
        ids = [item.pk for item in agenda]
        position = ids.index(room.current_item_id) + 1 if room.current_item_id in ids else 0
        if position >= len(agenda):
            raise RoomError(_("This is the last item on the agenda. End the sitting instead."))
        room.current_item = agenda[position]
        seconds = room.current_item.planned_minutes * 60
        if room.state == RoomState.RUNNING:
            room.item_ends_at = timezone.now() + timedelta(seconds=seconds)
        else:
            room.seconds_left = seconds
        room.save()
        return _publish(
            room,
            "room.next",
            _("Now on the agenda: “%(item)s”.") % {"item": room.current_item.title},
        )


def end(*, room, by):
    with transaction.atomic():
        room = _locked(room)
        _end_turn(room)
        room.state = RoomState.ENDED
        room.item_ends_at = None
        room.seconds_left = None
        _lower_all_hands(room)
        closed = _close_groups(room) if room.in_groups else []
        room.save()
        return _publish(
            room,
            "room.ended",
            _("The sitting has ended. Thank you."),
            data={"closed_groups": closed},
        )


def raise_hand(*, room, user):
    """Join the speaking queue (of your small group, while in groups). Raising twice is once."""
    if room.state == RoomState.ENDED:
        raise RoomError(_("The sitting has ended."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                HandRaise.objects.create(room=room, user=user, group_id=group_of(room, user.pk))
        except IntegrityError:
            return room  # already in the queue
        return _publish(
            room,
            "room.hand",
            _("%(name)s raised their hand.") % {"name": user.public_name},
        )


def lower_hand(*, room, user):
    with transaction.atomic():
        lowered = HandRaise.objects.filter(room=room, user=user, lowered_at__isnull=True).update(
            lowered_at=timezone.now()
        )
        if not lowered:
            return room
        return _publish(
            room, "room.hand", _("%(name)s lowered their hand.") % {"name": user.public_name}
        )


def _end_turn(room):
    now = timezone.now()
    Turn.objects.filter(room=room, ended_at__isnull=True).update(ended_at=now)
    room.speaker = None
    room.turn_ends_at = None


def give_floor(*, room, user_id, by):
    """Give the floor to a member; ends the current turn and lowers their hand."""
    membership = Membership.objects.filter(jury=room.sitting.jury, user_id=user_id).first()
    if not may_be_given_the_floor(membership):
        raise RoomError(_("Only members taking part can be given the floor."))
    with transaction.atomic():
        room = _locked(room)
        _end_turn(room)
        now = timezone.now()
        HandRaise.objects.filter(room=room, user_id=user_id, lowered_at__isnull=True).update(
            lowered_at=now
        )
        Turn.objects.create(
            room=room, user_id=user_id, started_at=now, group_id=group_of(room, user_id)
        )
        room.speaker_id = user_id
        room.turn_ends_at = now + timedelta(minutes=room.turn_minutes)
        room.save()
        return _publish(
            room,
            "room.floor",
            _("%(name)s has the floor.") % {"name": membership.user.public_name},
        )


def end_turn(*, room, by):
    with transaction.atomic():
        room = _locked(room)
        if room.speaker_id is None:
            return room
        _end_turn(room)
        room.save()
        return _publish(room, "room.floor", _("The turn has ended."))


def split_into_groups(*, room, by, count, method="random", seed=None):
    """Split the jurors into `count` small groups, each with its own thread and queue.

    `method` "random" shuffles; "balanced" spreads those who have spoken most across the groups,
    so no group holds all the confident speakers.
    """
    jurors = list(room.sitting.jury.memberships.jurors().select_related("user"))
    if len(jurors) < 4:
        raise RoomError(
            _("You need at least four jurors to split them into groups of two or more.")
        )
    if not 2 <= count <= len(jurors) // 2:
        raise RoomError(
            _("Choose between 2 and %(most)s groups, so each group has at least two jurors.")
            % {"most": len(jurors) // 2}
        )
    rng = random.Random(seed)
    rng.shuffle(jurors)
    if method == "balanced":
        balance = participation_balance(Turn.objects.filter(room__sitting__jury=room.sitting.jury))
        jurors.sort(key=lambda m: -balance.get(m.user_id, (0, 0))[1])
    with transaction.atomic():
        room = _locked(room)
        if room.in_groups:  # checked under the lock: two facilitators never split twice
            raise RoomError(_("The jurors are already in small groups. Bring everyone back first."))
        number_base = SmallGroup.objects.filter(room=room).count()
        groups = []
        for index in range(count):
            group = SmallGroup.objects.create(room=room, number=number_base + index + 1)
            thread_service.thread_for(
                jury=room.sitting.jury,
                subject=group,
                small_group=group,
                title=_("%(sitting)s: notes of group %(number)s")
                % {"sitting": room.sitting.title, "number": group.number},
            )
            groups.append(group)
        places = {}
        for index, membership in enumerate(jurors):
            group = groups[index % count]
            SmallGroupMember.objects.create(group=group, user=membership.user)
            places[str(membership.user_id)] = group.pk
        _lower_all_hands(room)
        _end_turn(room)
        room.in_groups = True
        room.save()
        audit.record(
            actor=by,
            action="sitting.groups",
            jury=room.sitting.jury,
            target=room.sitting,
            summary=_("Split the jurors into %(count)s small groups (%(method)s).")
            % {"count": count, "method": method},
        )
        return _publish(
            room,
            "room.groups",
            _("The jurors are now in %(count)s small groups. Find your group below.")
            % {"count": count},
            data={"groups": places},
        )


def _close_groups(room):
    """Close the room's open groups; returns their ids, for pages to forget their places."""
    open_groups = SmallGroup.objects.filter(room=room, closed_at__isnull=True)
    closed = list(open_groups.values_list("pk", flat=True))
    open_groups.update(closed_at=timezone.now())
    room.in_groups = False
    return closed


def _lower_all_hands(room):
    HandRaise.objects.filter(room=room, lowered_at__isnull=True).update(lowered_at=timezone.now())


def bring_back(*, room, by):
    """Everyone back to the plenary. Each group's thread stays, with its notes."""
    with transaction.atomic():
        room = _locked(room)
        if not room.in_groups:
            return room
        closed = _close_groups(room)
        _lower_all_hands(room)
        _end_turn(room)
        room.save()
        return _publish(
            room,
            "room.plenary",
            _("Everyone is back together. Each group's notes are kept in the discussions."),
            data={"closed_groups": closed},
        )


def message_groups(*, room, by, text):
    """A facilitator's message, posted in every open group's thread."""
    text = text.strip()
    if not text:
        raise RoomError(_("Write the message first."))
    text_limits.check(text, text_limits.LONG, error=RoomError, subject=_("The message"))
    if not room.in_groups:
        raise RoomError(_("The jurors are not in small groups now."))
    with transaction.atomic():
        for group in SmallGroup.objects.filter(room=room, closed_at__isnull=True).select_related(
            "thread"
        ):
            thread_service.add_post(thread=group.thread, body=text, by=by)
        return _publish(
            room,
            "room.message",
            _("A message from the facilitator: %(text)s") % {"text": text[:200]},
        )


def open_poll(*, room, by, question, options):
    question = question.strip()
    options = [option.strip() for option in options if option.strip()]
    if not question:
        raise RoomError(_("Write the question for the poll."))
    if not 2 <= len(options) <= MAX_POLL_OPTIONS:
        raise RoomError(_("Give between 2 and 6 answers to choose from."))
    text_limits.check(question, POLL_TEXT_LENGTH, error=RoomError, subject=_("The question"))
    for option in options:
        text_limits.check(option, POLL_TEXT_LENGTH, error=RoomError, subject=_("An answer"))
    with transaction.atomic():
        room = _locked(room)  # one poll open at a time, whoever clicks
        QuickPoll.objects.filter(room=room, closed_at__isnull=True).update(closed_at=timezone.now())
        QuickPoll.objects.create(room=room, question=question, options=options)
        return _publish(room, "room.poll", _("A quick poll has opened: %(q)s") % {"q": question})


def answer_poll(*, poll, user, option):
    if poll.closed_at is not None:
        raise RoomError(_("That poll has closed."))
    if option is None or not 0 <= option < len(poll.options):
        raise RoomError(_("Choose one of the answers."))
    with transaction.atomic():
        answer, created = PollAnswer.objects.get_or_create(
            poll=poll, user=user, defaults={"option": option}
        )
        if not created:
            if answer.option != option:
                answer.option = option
                answer.save(update_fields=["option", "answered_at"])
            return poll.room  # the count others see has not changed
        # Only the number of answers changes for others; results stay hidden until it closes.
        return _publish(poll.room, "room.poll-answer", "")


def close_poll(*, room, by):
    with transaction.atomic():
        closed = QuickPoll.objects.filter(room=room, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        if not closed:
            return room
        return _publish(room, "room.poll", _("The poll has closed. The results are shown."))


def participation_balance(room_or_jury_turns):
    """Turns taken and seconds spoken per person, from a queryset of turns."""
    balance = {}
    for turn in room_or_jury_turns.filter(ended_at__isnull=False):
        turns, seconds = balance.get(turn.user_id, (0, 0))
        balance[turn.user_id] = (turns + 1, seconds + turn.seconds)
    return balance


def poll_chart(poll):
    """A closed poll's results as bars, one per answer, with the same numbers in a table."""
    total = sum(count for _label, count in poll.results)
    return bar_chart(
        f"poll-{poll.pk}-results",
        _("Results of the poll: %(question)s") % {"question": poll.question},
        ngettext(
            "%(count)s person answered. %(results)s.",
            "%(count)s people answered. %(results)s.",
            total,
        )
        % {
            "count": total,
            "results": "; ".join(f"{label}: {count}" for label, count in poll.results),
        },
        [Key(_("People"), "blue")],
        [(label, [count]) for label, count in poll.results],
        max_value=max(total, 1),
        table_open=True,
    )
