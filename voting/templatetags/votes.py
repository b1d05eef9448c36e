"""The vote as other pages show it: a panel on a recommendation's page, a banner on the list.

Both show counts and the person's own ballot only, never anyone else's.
"""

from django import template

from juries.permissions import Action
from juries.templatetags.ui import error_summary

from .. import decisions
from .. import rounds as round_service
from ..charts import results_chart
from ..models import Ballot, Recommendation, VoteResult
from ..models.decisions import LEVEL_LABELS

register = template.Library()


@register.inclusion_tag("voting/decisions/_panel.html", takes_context=True)
def vote_panel(context, subject, access):
    """On a recommendation's page: while the vote is open, a juror's own ballot (with a link to
    vote) or, for facilitators and observers, how many jurors have voted overall (never on this
    recommendation: see `decisions.turnout`); once closed, the result with its counts. Nothing
    for people who may not read recommendations."""
    shown = {"jury": access.jury, "may": access.may, "subject": subject}
    if not isinstance(subject, Recommendation) or not access.may[Action.VIEW_RECOMMENDATIONS]:
        return shown
    vote = decisions.current_vote(access.jury)
    if vote is not None and vote.is_preparing:
        # The next round is being prepared: the last round's result is still the one to read
        # (while the jury revises after an indicative vote, beside the text it revises).
        vote = round_service.latest_closed(access.jury) or vote
    shown["vote"] = vote
    if vote is None or vote.is_preparing:
        return shown
    if vote.is_open:
        if access.may[Action.CAST_BALLOT]:
            user = context.get("user") or context["request"].user
            ballot = Ballot.objects.filter(vote=vote, recommendation=subject, juror=user).first()
            shown["ballot"] = ballot
            shown["ballot_label"] = LEVEL_LABELS.get(ballot.level) if ballot else None
        if access.may[Action.VIEW_TURNOUT]:
            shown["turnout"] = decisions.turnout(vote)
        return shown
    row = VoteResult.objects.filter(vote=vote, recommendation=subject).first()
    if row is not None:
        result = decisions.recount(row, decisions.rules_of(vote))
        shown["result"] = {
            "row": row,
            "result": result,
            "levels": [(LEVEL_LABELS[level], number) for level, number in result.counts.items()],
        }
        shown["chart"] = results_chart(
            [(subject.number, row.outcome, result.counts)],
            vote.threshold_percent,
            id=f"vote-result-{subject.number}",
            titled=False,
        )
    return shown


@register.inclusion_tag("voting/decisions/_banner.html", takes_context=True)
def vote_banner(context, access):
    """One line on the recommendations list saying where the vote stands and what to do."""
    shown = {"jury": access.jury, "may": access.may}
    if not access.may[Action.VIEW_RECOMMENDATIONS]:
        return shown
    vote = decisions.current_vote(access.jury)
    shown["vote"] = vote
    if vote is not None and vote.is_open and access.may[Action.VIEW_TURNOUT]:
        shown["turnout"] = decisions.turnout(vote)
    return shown


@register.inclusion_tag("components/error_summary.html")
def ballot_error_summary(sheet, ballots):
    """The ballot sheet's error summary (`sheet`: page-level problems; `ballots`: one BallotForm
    per recommendation). A problem with a level links to the first radio button of that
    recommendation, not to its fieldset, so following the link puts keyboard focus on something
    that takes it."""
    shown = error_summary(sheet, ballots)
    first_radio = {form["level"].auto_id: form["level"][0].id_for_label for form in ballots}
    for problem in shown["problems"]:
        problem["anchor"] = first_radio.get(problem["anchor"], problem["anchor"])
    return shown


@register.inclusion_tag("voting/decisions/_earlier_rounds.html")
def earlier_rounds(access):
    """On the report: its results are the final round's; the rounds before it are listed, each
    linked to its results page for those who may read them (the same people as the results
    page). The page around the frozen content, never the content itself: a published report
    stays as it was."""
    rounds = round_service.closed_rounds(access.jury)
    may = getattr(access, "may", None)
    return {
        "jury": access.jury,
        "final": rounds[-1] if rounds else None,
        "earlier": rounds[:-1],
        "linked": bool(may and may[Action.VIEW_RECOMMENDATIONS]),
    }
