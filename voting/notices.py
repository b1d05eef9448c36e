"""Voting's news and reminders, for juries/notifications.py: the vote opening (sent by
`decisions.open_vote`), the request to sign off the final wording when the jury moves to the
report stage, and one reminder the day before the vote closes to jurors who have not voted."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries import notifications
from juries.models import Stage

from .models import Part, Participation, Vote, VoteState


def ask_to_sign_off(change):
    """STAGE_NEWS: moving to the report stage asks every juror to sign off (it needs them)."""
    if change.to_stage != Stage.REPORT:
        return
    jury = change.jury
    notifications.notify(
        jury=jury,
        recipients=jury.memberships.jurors().reachable().select_related("user"),
        kind="signoff.requested",
        target=change,
        needs_action=True,
        context={"report_url": settings.SITE_URL + reverse("voting:report", args=[jury.slug])},
    )


def report_is_the_news(change):
    """STAGE_NEWS: publishing the report moves the jury to the response stage, and the report's
    own email (voting/reports.py) is the news: "What's new" lists it for every member, with no
    second email about the move."""
    if change.to_stage != Stage.RESPONSE:
        return
    notifications.notify(
        jury=change.jury,
        recipients=change.jury.memberships.reachable().select_related("user"),
        kind="report.published",
        target=change,
        needs_action=False,
        email=False,
    )


def vote_reminders(now):
    """The day before the vote's planned close (from 9 in the morning, the juror's time) until
    it closes, to each juror who has not voted."""
    closing = Vote.objects.filter(
        state=VoteState.OPEN,
        closes_at__gt=now,
        closes_at__lte=now + datetime.timedelta(days=2),
    ).select_related("jury")
    for vote in closing:
        voted = set(
            Participation.objects.filter(vote=vote, part=Part.VOTE).values_list(
                "juror_id", flat=True
            )
        )
        jurors = vote.jury.memberships.jurors().reachable().select_related("user", "jury")
        for member in jurors.exclude(user_id__in=voted):
            closes_on = notifications.local_day(vote.closes_at, member.user)
            if not notifications.from_morning_before(closes_on, now, member.user):
                continue
            yield notifications.Due(
                member,
                "vote.closing",
                vote,
                "voting/email/vote_closing",
                {
                    "vote": vote,
                    "vote_url": settings.SITE_URL + reverse("voting:vote", args=[vote.jury.slug]),
                },
            )


def _vote_link(vote):
    return reverse("voting:vote", args=[vote.jury.slug])


def register():
    from juries.stages import STAGE_NEWS

    notifications.register_targets(Vote.objects.select_related("jury"))
    notifications.register_kind(
        "vote.opened",
        email="voting/email/vote_open",
        sentence=_("Voting is open: please cast your vote"),
        link=_vote_link,
    )
    notifications.register_kind(
        "ranking.opened",
        email="voting/email/vote_ranking",
        sentence=_("Put the adopted recommendations in order of priority"),
        link=lambda vote: reverse("voting:vote-ranking", args=[vote.jury.slug]),
    )
    notifications.register_kind(
        "vote.closing",
        email="voting/email/vote_closing",
        sentence=_("Reminder: the vote closes soon and you have not voted yet"),
        link=_vote_link,
    )
    notifications.register_kind(
        "vote.results",
        email="voting/email/vote_results",
        sentence=_("The vote is closed: see the results"),
        link=lambda vote: reverse("voting:vote-results", args=[vote.jury.slug]),
    )
    notifications.register_kind(
        "signoff.requested",
        email="voting/email/sign_off",
        sentence=_("Please sign off the final wording of the recommendations, or object to it"),
        link=lambda change: reverse("voting:report", args=[change.jury.slug]),
    )
    notifications.register_kind(
        "report.published",
        email="",
        sentence=_("The jury's report is published"),
        link=lambda change: change.jury.get_absolute_url(),
    )
    for tell in (ask_to_sign_off, report_is_the_news):
        if tell not in STAGE_NEWS:
            STAGE_NEWS.append(tell)
    notifications.register_reminders(vote_reminders)
