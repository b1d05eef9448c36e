"""The vote: setting its rules, opening it, secret ballots, closing it and its results. (The
priority ranking that may follow is in `voting.priorities`.)

Each function owns its transaction and locks the Vote row, so the state it checks is the state it
changes. Privileged steps (rules, open, close, ranking) go to the audit log; ballots never do, and
no event, audit entry or email says who voted how. Closing seals the ballots (`seal_ballots`):
from then on no row links a juror to a choice, and who voted is known from `Participation` only.
Callers have already checked the permission named in each docstring; the services check the state
of the vote and of the jury themselves.
"""

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from juries import audit, emails, events, notifications
from juries.models import Stage
from juries.permissions import Action, can
from juries.refusals import Refused

from .models import Ballot, Part, Participation, Recommendation, Vote, VoteResult, VoteState
from .models.decisions import LEVEL_LABELS
from .tally import Level, Rules, count

TURNOUT_FRAGMENT = "voting/decisions/_live.html#turnout-pushed"
STATE_FRAGMENT = "voting/decisions/_live.html#state-pushed"
REASON_MAX_LENGTH = 2000


class DecisionError(Refused):
    """A step the vote's state does not allow; its message is shown to the person as it is."""


def current_vote(jury):
    """The jury's latest vote (its latest round), or None."""
    return Vote.objects.filter(jury=jury).order_by("-round", "-created_at", "-pk").first()


def juror_ids(jury):
    """The jury's jurors now, as a subquery: the only people whose ballots count."""
    return jury.memberships.jurors().values("user_id")


def rules_of(vote):
    return Rules(threshold_percent=vote.threshold_percent, quorum_percent=vote.quorum_percent)


def rules_in_numbers(vote, jurors):
    """The rules as the people reading them can check them: how many ballots the quorum needs
    with this many jurors, and how many of 10 ballots taking a side must accept."""
    return {
        "quorum_ballots": -(-vote.quorum_percent * jurors // 100),
        "of_ten": -(-vote.threshold_percent * 10 // 100),
    }


def lock_vote(vote):
    return Vote.objects.select_for_update().select_related("jury").get(pk=vote.pk)


def lock_vote_shared(vote):
    """Lock the vote so it cannot close meanwhile, yet let other jurors' ballots go through at
    the same time: FOR SHARE on PostgreSQL. SQLite writes one transaction at a time anyway."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Vote._meta.db_table)
        # The table name comes from the model, the id is a query parameter.
        query = f"SELECT * FROM {table} WHERE id = %s FOR SHARE"  # noqa: S608
        locked = list(Vote.objects.raw(query, [vote.pk]))
        if not locked:
            raise Vote.DoesNotExist
        locked = locked[0]
        locked.jury = vote.jury
        return locked
    return lock_vote(vote)


def refuse_unless_state(vote, state):
    if vote.state == state:
        return
    messages = {
        VoteState.PREPARING: _("The vote has not opened yet."),
        VoteState.OPEN: _("The vote is already open."),
        VoteState.CLOSED: _("The vote has closed."),
    }
    raise DecisionError(messages[VoteState(vote.state)])


# --- Rules and opening -----------------------------------------------------------------------


def prepare_vote(jury, by):
    """The jury's vote while its rules are being set, made with the default rules if there is
    none yet. Needs Action.MANAGE_VOTE. Raises DecisionError once the vote has opened.

    After an indicative round has closed and drafting has reopened, this makes the next round
    (number + 1) with the same rules, final by default. A final round that closed is the last."""
    vote = current_vote(jury)
    if vote is None or next_round_due(vote):
        number = 1 if vote is None else vote.round + 1
        rules = (
            {}
            if vote is None
            else {
                "threshold_percent": vote.threshold_percent,
                "quorum_percent": vote.quorum_percent,
            }
        )
        try:
            with transaction.atomic():
                vote = Vote.objects.create(jury=jury, round=number, **rules)
        except IntegrityError:  # another facilitator made it just now
            vote = current_vote(jury)
    refuse_unless_state(vote, VoteState.PREPARING)
    return vote


def next_round_due(vote):
    """Whether `vote` is a closed indicative round, so that a next round may be prepared (after
    drafting reopened, or straight away if the jury needs no revision)."""
    return vote.is_closed and vote.indicative


def set_rules(jury, by, *, threshold_percent, quorum_percent, ranking, indicative=False):
    """Set the threshold, the quorum, whether adopted recommendations are ranked afterwards and
    whether this round is indicative (drafting may reopen after it) or final. Needs
    Action.MANAGE_VOTE. Only while the vote is being prepared: once it opens the rules are
    frozen. An indicative round is never ranked. Locks the vote; audited."""
    if indicative and ranking:
        raise DecisionError(
            _("Only a final vote is followed by a priority ranking. Untick one of the two.")
        )
    try:
        rules = Rules(threshold_percent=threshold_percent, quorum_percent=quorum_percent)
    except ValueError as error:
        raise DecisionError(_("Percentages are whole numbers from 1 to 100.")) from error
    frozen = _("Voting has opened, so its rules can no longer change.")
    try:
        vote = prepare_vote(jury, by)
    except DecisionError as error:
        raise DecisionError(frozen) from error
    with transaction.atomic():
        vote = lock_vote(vote)
        if vote.state != VoteState.PREPARING:
            raise DecisionError(frozen)
        vote.threshold_percent = rules.threshold_percent
        vote.quorum_percent = rules.quorum_percent
        vote.ranking = bool(ranking)
        vote.indicative = bool(indicative)
        vote.save(update_fields=["threshold_percent", "quorum_percent", "ranking", "indicative"])
        audit.record(
            actor=by,
            action="vote.rules",
            summary=_(
                "Set the decision rules of round %(round)s (%(kind)s): adopted with at least "
                "%(threshold)s%% support, quorum %(quorum)s%% of jurors, priority ranking "
                "%(ranking)s."
            )
            % {
                "round": vote.round,
                "kind": _("indicative") if vote.indicative else _("final"),
                "threshold": vote.threshold_percent,
                "quorum": vote.quorum_percent,
                "ranking": _("yes") if vote.ranking else _("no"),
            },
            jury=vote.jury,
            target=vote,
        )
    return vote


def open_vote(vote, by, closes_at=None):
    """Open the vote: from now on the rules cannot change and jurors may cast ballots.

    Needs Action.MANAGE_VOTE. The jury must be at the Decision stage with at least one active
    recommendation. Locks the vote; audited; publishes "vote.opened"; tells every juror
    (`notify`: it needs them), by email as each chose. `closes_at`, when the facilitators plan to
    close it, is shown to jurors and brings a reminder the day before to those who have not voted.
    """
    with transaction.atomic():
        vote = lock_vote(vote)
        refuse_unless_state(vote, VoteState.PREPARING)
        if vote.jury.stage != Stage.DECISION:
            raise DecisionError(
                _("The vote can only open once the jury has moved to the Decision stage.")
            )
        if not Recommendation.objects.active().filter(jury=vote.jury).exists():
            raise DecisionError(_("There is no recommendation to vote on yet."))
        vote.state = VoteState.OPEN
        vote.opened_at = timezone.now()
        vote.opened_by = by
        vote.closes_at = closes_at
        vote.save(update_fields=["state", "opened_at", "opened_by", "closes_at"])
        audit.record(
            actor=by,
            action="vote.open",
            summary=_("Opened the vote (round %(round)s, %(kind)s).")
            % {"round": vote.round, "kind": _("indicative") if vote.indicative else _("final")},
            jury=vote.jury,
            target=vote,
        )
        publish_state(vote, "vote.opened")
        notifications.notify(
            jury=vote.jury,
            recipients=vote.jury.memberships.jurors().reachable().select_related("user"),
            kind="vote.opened",
            target=vote,
            needs_action=True,
            context={
                "vote": vote,
                "vote_url": settings.SITE_URL + reverse("voting:vote", args=[vote.jury.slug]),
            },
        )
    return vote


# --- Ballots ---------------------------------------------------------------------------------


def cast_ballot(vote, recommendation, juror, level, reason="", publish_reason=False):
    """Cast or change one ballot. See `cast_ballots`."""
    return cast_ballots(vote, juror, [(recommendation, level, reason, publish_reason)])


def cast_ballots(vote, juror, entries):
    """Cast or change `juror`'s ballots, all together or none: `entries` holds
    (recommendation, level, reason, publish_reason) tuples.

    Needs Action.CAST_BALLOT (checked again here). The vote must be open and each recommendation
    active and of this jury. One ballot per juror per recommendation is kept by the database: the
    write is an upsert, so two simultaneous submissions leave one row. On the juror's first
    ballot of the vote, records their Participation (that they voted, with no choice in it) and
    publishes "vote.turnout" with the overall numbers only: never the juror, a level or a
    recommendation.
    """
    # In a fixed order, so two sheets from one person never wait on each other's rows crosswise.
    rows = sorted(
        (_ballot_row(vote, juror, *entry) for entry in entries),
        key=lambda row: row.recommendation_id,
    )
    if not rows:
        raise DecisionError(_("Choose how far you agree with at least one recommendation."))
    with transaction.atomic():
        vote = lock_vote_shared(vote)
        refuse_unless_state(vote, VoteState.OPEN)
        if not can(juror, Action.CAST_BALLOT, vote.jury):
            raise DecisionError(
                _("Only the jury's jurors vote, while it is at the Decision stage.")
            )
        targets = {row.recommendation_id for row in rows}
        if len(targets) != len(rows):
            raise DecisionError(_("Each recommendation takes one ballot."))
        active = set(
            Recommendation.objects.active()
            .filter(jury=vote.jury, pk__in=targets)
            .values_list("pk", flat=True)
        )
        if active != targets:
            raise DecisionError(_("That recommendation is not one this jury is voting on."))
        voted_before = has_taken_part(vote, juror)
        Ballot.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["vote", "recommendation", "juror"],
            update_fields=["level", "reason", "publish_reason", "changed_at"],
        )
        if not voted_before:  # one more juror has voted
            record_participation(vote, juror, Part.VOTE)
            _publish_turnout(vote)


def record_participation(vote, juror, part):
    """Note that `juror` took part (`part`: Part.VOTE or Part.RANKING), once, whatever the
    timing of two requests. Call it inside the transaction that saves the ballot."""
    Participation.objects.bulk_create(
        [Participation(vote=vote, juror=juror, part=part)], ignore_conflicts=True
    )


def has_taken_part(vote, juror, part=Part.VOTE):
    """Whether `juror` voted (or ranked) in `vote`: true before and after the vote closes."""
    if vote is None or not juror.is_authenticated:
        return False
    return Participation.objects.filter(vote=vote, juror=juror, part=part).exists()


def _ballot_row(vote, juror, recommendation, level, reason, publish_reason):
    try:
        level = Level(level)
    except ValueError as error:
        raise DecisionError(_("Choose one of the levels of agreement shown.")) from error
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise DecisionError(
            _("Keep your reason under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}
        )
    return Ballot(
        vote=vote,
        recommendation_id=recommendation.pk,
        juror=juror,
        level=level.value,
        reason=reason,
        publish_reason=bool(publish_reason and reason),
    )


def ballots_of(vote, juror):
    """`juror`'s own ballots, by recommendation id, while the vote is open. For that juror's eyes
    only. Empty once the vote has closed: the sealed ballots no longer know whose they were."""
    if vote is None or not vote.is_open:
        return {}
    return {b.recommendation_id: b for b in Ballot.objects.filter(vote=vote, juror=juror)}


def turnout(vote):
    """How many of the jury's jurors have voted, on anything: {"jurors": M, "voted": N}. One
    query. Counts on each recommendation are not given while the vote is open: watching them
    move as a juror votes would show which recommendations that juror left out. They are in the
    results once the vote closes."""
    voters = Participation.objects.filter(vote=vote, part=Part.VOTE).values("juror")
    totals = vote.jury.memberships.jurors().aggregate(
        jurors=Count("pk"),
        voted=Count("user", filter=Q(user__in=voters), distinct=True),
    )
    return {"jurors": totals["jurors"], "voted": totals["voted"]}


def _publish_turnout(vote):
    """The overall "N of M jurors have voted", to facilitators and observers. Sent only when a
    juror casts their first ballot of the vote, so its timing says nothing about which
    recommendations anyone voted on."""
    numbers = turnout(vote)
    events.publish(
        vote.jury,
        "vote.turnout",
        requires=Action.VIEW_TURNOUT,
        template=TURNOUT_FRAGMENT,
        context={"turnout": numbers},
        data={"vote": vote.pk, "voted": numbers["voted"], "jurors": numbers["jurors"]},
    )


def publish_state(vote, kind):
    """Tell open pages the vote moved on ("vote.opened", "vote.closed", "vote.ranking-...")."""
    events.publish(
        vote.jury,
        kind,
        requires=Action.VIEW_RECOMMENDATIONS,
        template=STATE_FRAGMENT,
        context={"vote": vote, "kind": kind},
        data={"vote": vote.pk, "state": vote.state},
    )


# --- Closing and results ---------------------------------------------------------------------


def close_vote(vote, by):
    """Close the vote and count it: the results are made once, here, and never change.

    Needs Action.MANAGE_VOTE (the view also asks the facilitator to confirm who they are). Locks
    the vote, so no ballot is saved while it is counted. Each active recommendation is counted by
    `voting.tally.count` against the jurors the jury has now; ballots of people who are no longer
    jurors are left out. Published reasons are stored in alphabetical order, without names. Then,
    in the same transaction, the ballots are sealed (`seal_ballots`): only the counted ones stay,
    without juror, private reason or time. Audited; publishes "vote.closed"; tells every juror (`notify`)
    that the results are out.
    """
    with transaction.atomic():
        vote = lock_vote(vote)
        refuse_unless_state(vote, VoteState.OPEN)
        jurors = vote.jury.memberships.jurors().count()
        recommendations = list(Recommendation.objects.active().filter(jury=vote.jury))
        counted = _counted_ballots(vote, recommendations)
        levels, reasons = _by_recommendation(counted)
        rules = rules_of(vote)
        results = []
        for recommendation in recommendations:
            result = count(levels.get(recommendation.pk, []), jurors=jurors, rules=rules)
            results.append(
                VoteResult(
                    vote=vote,
                    recommendation=recommendation,
                    counts={level.value: number for level, number in result.counts.items()},
                    jurors=jurors,
                    outcome=result.outcome.value,
                    reasons=sorted(reasons.get(recommendation.pk, []), key=str.casefold),
                )
            )
        # This round's results are now the ones that count; earlier rounds' stay as they were.
        VoteResult.objects.filter(recommendation__jury=vote.jury, current=True).update(
            current=False
        )
        VoteResult.objects.bulk_create(results)
        seal_ballots(vote, counted)
        vote.state = VoteState.CLOSED
        vote.closed_at = timezone.now()
        vote.closed_by = by
        vote.jurors_at_close = jurors
        vote.save(update_fields=["state", "closed_at", "closed_by", "jurors_at_close"])
        adopted = sum(result.is_adopted for result in results)
        audit.record(
            actor=by,
            action="vote.close",
            summary=_(
                "Closed the vote (round %(round)s, %(kind)s): %(adopted)s of %(total)s "
                "recommendations reached the threshold."
            )
            % {
                "round": vote.round,
                "kind": _("indicative") if vote.indicative else _("final"),
                "adopted": adopted,
                "total": len(results),
            },
            jury=vote.jury,
            target=vote,
        )
        publish_state(vote, "vote.closed")
        jury = vote.jury
        notifications.notify(
            jury=jury,
            recipients=jury.memberships.jurors().reachable().select_related("user"),
            kind="vote.results",
            target=vote,
            needs_action=False,
            context={
                "vote": vote,
                "results_url": settings.SITE_URL + reverse("voting:vote-results", args=[jury.slug]),
            },
        )
    return vote


def _counted_ballots(vote, recommendations):
    """The ballots that count, as sealed ballots will hold them: (recommendation id, level,
    published reason or "") for the jury's jurors now, on the recommendations being counted."""
    ballots = Ballot.objects.filter(
        vote=vote, juror__in=juror_ids(vote.jury), recommendation__in=recommendations
    ).values_list("recommendation_id", "level", "reason", "publish_reason")
    return [
        (recommendation_id, level, reason if publish and reason else "")
        for recommendation_id, level, reason, publish in ballots
    ]


def _by_recommendation(counted):
    levels, reasons = {}, {}
    for recommendation_id, level, reason in counted:
        levels.setdefault(recommendation_id, []).append(level)
        if reason:
            reasons.setdefault(recommendation_id, []).append(reason)
    return levels, reasons


def seal_ballots(vote, counted):
    """Replace the vote's ballots by `counted`: (recommendation id, level, published reason or
    "") tuples, with no juror, no private reason and no time. Call it inside the transaction
    that closes the vote, with the vote locked.

    Every row of the vote is deleted and the sealed rows are written again sorted by their
    content, so that their ids and their order on disk follow what was chosen, never who chose
    it or when: joined with the order in which people voted (Participation, the turnout
    events), they re-link nobody."""
    Ballot.objects.filter(vote=vote).delete()
    Ballot.objects.bulk_create(
        Ballot(
            vote=vote,
            recommendation_id=recommendation_id,
            juror=None,
            level=level,
            reason=reason,
            publish_reason=bool(reason),
            cast_at=None,
            changed_at=None,
        )
        for recommendation_id, level, reason in sorted(counted)
    )


def results_of(vote):
    """The frozen results in recommendation order, each with the count behind it: a list of
    dicts with "row" (VoteResult), "result" (tally.Result) and "levels" ((label, number) for
    every level, abstention last). One query."""
    if vote is None or not vote.is_closed:
        return []
    rules = rules_of(vote)
    rows = VoteResult.objects.filter(vote=vote).select_related("recommendation__jury")
    shown = []
    for row in rows:
        result = recount(row, rules)
        levels = [(LEVEL_LABELS[level], result.counts[level]) for level in Level]
        shown.append({"row": row, "result": result, "levels": levels})
    return shown


def recount(row, rules):
    """The tally.Result a stored VoteResult stands for (shares, turnout), from its counts."""
    return row.tally(rules)


# --- Emails ----------------------------------------------------------------------------------


@task()
def email_jurors(vote_id, template):
    """Tell every juror of the vote's jury (runs in the worker). Nothing queues it any more: the
    vote's opening, its results and the ranking go through `juries.notifications.notify`; it is
    kept so that a ranking email queued before that change is still sent."""
    vote = Vote.objects.select_related("jury").filter(pk=vote_id).first()
    if vote is None:
        return
    jury = vote.jury
    people = jury.memberships.jurors().reachable().select_related("user")
    urls = {
        "vote_url": settings.SITE_URL + reverse("voting:vote", args=[jury.slug]),
        "results_url": settings.SITE_URL + reverse("voting:vote-results", args=[jury.slug]),
        "ranking_url": settings.SITE_URL + reverse("voting:vote-ranking", args=[jury.slug]),
    }
    for membership in people:
        emails.queue(
            template,
            to=membership,
            context={"jury": jury, "vote": vote, "person": membership.user, **urls},
        )
