"""The steps on a member's jury home that lead to the drafts, the vote, the sign-off and the
answers to the recommendations, registered with juries' next steps (`juries.next_step`) in
VotingConfig.ready(). Each asks a fixed number of queries, whatever the size of the jury.

"Have you voted" is read from `Participation` (who took part), never from a ballot."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.models import Role, Stage, StagePlan
from juries.next_step import NextStep
from juries.permissions import Action

from .answers_due import due_in
from .decisions import current_vote, has_taken_part, next_round_due, turnout
from .dissent import sign_off_counts
from .drafting import revising_after
from .models import Part, Recommendation, SignOff
from .rounds import may_reopen


def answer_the_recommendations(user, access, next_sitting, now):
    """For an oversight member, whatever the stage their role allows it in: how many
    recommendations wait for an answer, and the deadline (overdue said in words)."""
    if not access.may[Action.ANSWER_RECOMMENDATIONS]:
        return None
    text = _(
        "For each recommendation the jury adopted, say whether you accept it, why, and "
        "what will be done. Answers are published on the jury's public page."
    )
    due = due_in(access.jury, now)
    if due is not None and due.waiting:
        text = " ".join([_waiting(due), _deadline(due), text])
    return NextStep(
        title=_("Answer the jury's recommendations"),
        text=text,
        url=reverse("voting:responses", args=[access.jury.slug]),
        link_label=_("Answer the recommendations"),
    )


def _waiting(due):
    return ngettext(
        "%(waiting)s of %(adopted)s recommendations is waiting for your answer.",
        "%(waiting)s of %(adopted)s recommendations are waiting for your answer.",
        due.waiting,
    ) % {"waiting": due.waiting, "adopted": due.adopted}


def _deadline(due):
    date = date_format(due.deadline.date, "j F Y")
    if due.overdue:
        return ngettext(
            "Overdue: the deadline was %(date)s, %(days)s day ago.",
            "Overdue: the deadline was %(date)s, %(days)s days ago.",
            due.deadline.days_overdue,
        ) % {"date": date, "days": due.deadline.days_overdue}
    return _("The deadline is %(date)s.") % {"date": date}


def see_the_answers(user, access, next_sitting, now):
    jury = access.jury
    if access.role == Role.JUROR and jury.stage == Stage.RESPONSE:
        return NextStep(
            title=_("See the answers"),
            text=_(
                "The oversight body answers each of your recommendations in public. You can "
                "discuss each answer with the other jurors."
            ),
            url=reverse("voting:accountability", args=[jury.slug]),
            link_label=_("See the answers to your recommendations"),
        )
    return None


def _planned_end(jury, stage):
    """The day the jury's `stage` is planned to end, or None."""
    return (
        StagePlan.objects.filter(jury=jury, stage=stage, planned_end__isnull=False)
        .values_list("planned_end", flat=True)
        .first()
    )


def _drafts(jury):
    return Recommendation.objects.active().filter(jury=jury).count()


def comment_on_the_drafts(user, access, next_sitting, now):
    """For a juror while the recommendations are drafted: how many drafts there are, and the
    day drafting is planned to end."""
    jury = access.jury
    if access.role != Role.JUROR or jury.stage != Stage.DRAFTING:
        return None
    revising = revising_after(jury)
    if revising is not None:
        return _revise_after(jury, revising)
    drafts = _drafts(jury)
    if drafts:
        text = ngettext(
            "There is %(count)s draft recommendation. Comment on it, suggest changes or "
            "propose your own.",
            "There are %(count)s draft recommendations. Comment on them, suggest changes or "
            "propose your own.",
            drafts,
        ) % {"count": drafts}
    else:
        text = _("There are no draft recommendations yet. Propose the first one.")
    ends = _planned_end(jury, Stage.DRAFTING)
    if ends is not None:
        text = " ".join([text, _("Drafting is planned to end on %(date)s.") % {"date": _day(ends)}])
    return NextStep(
        title=_("Comment on the draft recommendations"),
        text=text,
        url=reverse("voting:recommendations", args=[jury.slug]),
        link_label=_("Go to the draft recommendations"),
    )


def _revise_after(jury, revising):
    """After an indicative vote: revise what drafting reopened for, its results beside it."""
    if revising.reopened_all:
        text = _(
            "The indicative vote showed where the jury stands. Revise the recommendations "
            "before the final vote: each one shows its results beside the text."
        )
    else:
        count = len(revising.reopened)
        text = ngettext(
            "Revise the %(count)s recommendation that did not reach the threshold in the "
            "indicative vote: it shows its results beside the text. The others go to the final "
            "vote as they are.",
            "Revise the %(count)s recommendations that did not reach the threshold in the "
            "indicative vote: each shows its results beside the text. The others go to the "
            "final vote as they are.",
            count,
        ) % {"count": count}
    return NextStep(
        title=_("Revise the recommendations before the final vote"),
        text=text,
        url=reverse("voting:recommendations", args=[jury.slug]),
        link_label=_("Go to the recommendations"),
    )


def between_rounds(user, access, next_sitting, now):
    """For a facilitator after an indicative vote: reopen drafting, then open the final vote
    once the jury has revised (at the Decision stage)."""
    if not access.may[Action.MANAGE_VOTE]:
        return None
    vote = current_vote(access.jury)
    if vote is None:
        return None
    url = reverse("voting:vote", args=[access.jury.slug])
    if may_reopen(vote) and access.jury.stage == Stage.DECISION:
        return NextStep(
            title=_("The indicative vote has closed"),
            text=_(
                "Reopen drafting for the recommendations that did not reach the threshold, or "
                "for all of them; then hold the final vote."
            ),
            url=url,
            link_label=_("Reopen drafting"),
        )
    after_indicative = next_round_due(vote) or (vote.is_preparing and vote.round > 1)
    if not after_indicative:
        return None
    if access.jury.stage == Stage.DRAFTING:
        text = _(
            "The jurors are revising. When they are done, move the jury to the Decision stage "
            "and open the final vote."
        )
    else:
        text = _("The jurors have revised the recommendations. Open the final vote.")
    return NextStep(
        title=_("Open the final vote"), text=text, url=url, link_label=_("Open the final vote")
    )


def _day(day):
    return date_format(day, "j F Y")


def _open_vote(access):
    """The jury's vote if a juror may vote in it now, else None."""
    if access.role != Role.JUROR or not access.may[Action.CAST_BALLOT]:
        return None
    vote = current_vote(access.jury)
    return vote if vote is not None and vote.is_open else None


def _closes(vote, jury):
    """The day the vote closes, as every step says it: the time the facilitators gave when they
    opened it (in the reader's time zone), else the planned end of the Decision stage, else None."""
    if vote.closes_at is not None:
        return timezone.localdate(vote.closes_at)
    return _planned_end(jury, Stage.DECISION)


def cast_your_vote(user, access, next_sitting, now):
    """For a juror who has not voted while the vote is open: how many recommendations, and when
    the vote closes (the time the facilitators gave when they opened it, else the planned end of
    the Decision stage, if they set one)."""
    vote = _open_vote(access)
    if vote is None or has_taken_part(vote, user):
        return None
    jury = access.jury
    recommendations = _drafts(jury)
    closes = _closes(vote, jury)
    if closes is not None:
        text = ngettext(
            "%(count)s recommendation. The vote closes on %(date)s.",
            "%(count)s recommendations. The vote closes on %(date)s.",
            recommendations,
        ) % {"count": recommendations, "date": _day(closes)}
    else:
        text = ngettext(
            "%(count)s recommendation. The vote is open until the facilitators close it.",
            "%(count)s recommendations. The vote is open until the facilitators close it.",
            recommendations,
        ) % {"count": recommendations}
    return NextStep(
        title=_("Cast your vote"),
        text=" ".join([text, _("Your ballot is secret.")]),
        url=reverse("voting:vote", args=[jury.slug]),
        link_label=_("Cast your vote"),
    )


def you_have_voted(user, access, next_sitting, now):
    """For a juror who has voted while the vote is still open: they may change their ballot."""
    vote = _open_vote(access)
    if vote is None or not has_taken_part(vote, user):
        return None
    closes = _closes(vote, access.jury)
    if closes is not None:
        text = _("Thank you: you can change your ballot until %(date)s.") % {"date": _day(closes)}
    else:
        text = _("Thank you: you can change your ballot until the facilitators close the vote.")
    return NextStep(
        title=_("You have voted"),
        text=text,
        url=reverse("voting:vote", args=[access.jury.slug]),
        link_label=_("See or change your ballot"),
    )


def sign_off_the_wording(user, access, next_sitting, now):
    """For a juror asked to sign off (the report stage, before publication) who has not yet."""
    jury = access.jury
    if access.role != Role.JUROR or not access.may[Action.SIGN_OFF]:
        return None
    if SignOff.objects.filter(jury=jury, juror=user).exists():
        return None
    if jury.reports.exists():  # published: sign-off has closed
        return None
    text = _("Read the final text of the report. Confirm it is the jury's, or object and say why.")
    ends = _planned_end(jury, Stage.REPORT)
    if ends is not None:
        text = " ".join([text, _("Please answer by %(date)s.") % {"date": _day(ends)}])
    return NextStep(
        title=_("Sign off the final wording, or object"),
        text=text,
        url=reverse("voting:report", args=[jury.slug]) + "#sign-off",
        link_label=_("Read the final text and sign off"),
    )


def the_vote_is_open(user, access, next_sitting, now):
    """For a facilitator while the vote is open: how many jurors have not voted, as a count
    only (never who), and the day the vote is planned to close."""
    if not (access.may[Action.MANAGE_VOTE] and access.may[Action.VIEW_TURNOUT]):
        return None
    vote = current_vote(access.jury)
    if vote is None or not vote.is_open:
        return None
    numbers = turnout(vote)
    waiting = numbers["jurors"] - numbers["voted"]
    text = ngettext(
        "%(waiting)s of %(jurors)s jurors has not voted yet.",
        "%(waiting)s of %(jurors)s jurors have not voted yet.",
        waiting,
    ) % {"waiting": waiting, "jurors": numbers["jurors"]}
    closes = _closes(vote, access.jury)
    if closes is not None:
        text = " ".join(
            [text, _("The vote is planned to close on %(date)s.") % {"date": _day(closes)}]
        )
    return NextStep(
        title=_("The vote is open"),
        text=text,
        url=reverse("voting:vote", args=[access.jury.slug]),
        link_label=_("Follow the vote"),
    )


def rank_the_recommendations(user, access, next_sitting, now):
    """For a juror who has not ranked while the ranking of the adopted recommendations is open
    (read from who took part, never from a priority ballot)."""
    if access.role != Role.JUROR or not access.may[Action.CAST_BALLOT]:
        return None
    vote = current_vote(access.jury)
    if vote is None or not vote.ranking_is_open or has_taken_part(vote, user, Part.RANKING):
        return None
    adopted = Recommendation.objects.adopted().filter(jury=access.jury, results__vote=vote).count()
    return NextStep(
        title=_("Rank the adopted recommendations"),
        text=ngettext(
            "Put the %(count)s adopted recommendation in order of priority, most important "
            "first. Your ranking is secret.",
            "Put the %(count)s adopted recommendations in order of priority, most important "
            "first. Your ranking is secret.",
            adopted,
        )
        % {"count": adopted},
        url=reverse("voting:vote-ranking", args=[access.jury.slug]),
        link_label=_("Rank the recommendations"),
    )


def sign_off_progress(user, access, next_sitting, now):
    """For a facilitator at the report stage before publication: how many jurors have not
    signed off yet and how many objected, as counts only."""
    jury = access.jury
    if jury.stage != Stage.REPORT or not access.may[Action.PUBLISH_REPORT]:
        return None
    if jury.reports.exists():  # published: sign-off has closed
        return None
    counts = sign_off_counts(jury)
    text = (
        ngettext(
            "%(not_yet)s of %(jurors)s jurors has not signed off yet; %(objected)s objected.",
            "%(not_yet)s of %(jurors)s jurors have not signed off yet; %(objected)s objected.",
            counts["not_yet"],
        )
        % counts
    )
    return NextStep(
        title=_("Sign-off of the final wording"),
        text=" ".join([text, _("Publish the report when the jury is ready.")]),
        url=reverse("voting:report", args=[jury.slug]) + "#sign-off",
        link_label=_("See the sign-off"),
    )
