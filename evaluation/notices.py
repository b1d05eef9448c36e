"""Evaluation's news, for juries/notifications.py: a questionnaire has opened.

When facilitators open the start, end or organisers' questionnaire, the people asked to fill it
in (the jurors, or the facilitators for the organisers' one) are told on "What's new" and by
email as they chose. It asks something of them, so "only what needs me" includes it. Nothing
about who has answered, or what, is in the news: it names the questionnaire only. When it opens
again, those who have answered it already are not told again.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from juries import notifications

from .models import Answered, Questionnaire


def tell_opened(questionnaire):
    """Call inside the transaction that opens `questionnaire`. When it opens again (closed, then
    reopened while it had fewer than five answers), those who have answered it already are left
    out: there is nothing more for them to do, and it tells them nothing they do not know."""
    jury = questionnaire.jury
    people = jury.memberships.facilitators() if questionnaire.for_organisers else None
    if people is None:
        people = jury.memberships.jurors()
    # The who-answered record only (never the answers). Rows whose person was deleted have no
    # user: left out of the subquery, as a NULL in NOT IN would exclude everyone.
    answered = Answered.objects.filter(questionnaire=questionnaire, user__isnull=False)
    people = people.exclude(user__in=answered.values("user"))
    notifications.notify(
        jury=jury,
        recipients=people.reachable().select_related("user"),
        kind="questionnaire.opened",
        target=questionnaire,
        needs_action=True,
    )


def register():
    # A sitting's questionnaire is named after its sitting (cancelled or not).
    notifications.register_targets(Questionnaire.objects.select_related("jury", "sitting"))
    notifications.register_kind(
        "questionnaire.opened",
        email="evaluation/email/questionnaire_opened",
        sentence=_("Please fill in the questionnaire: “%(title)s”"),
        link=lambda questionnaire: reverse(
            "evaluation:answer", args=[questionnaire.jury.slug, questionnaire.pk]
        ),
        title=lambda questionnaire: questionnaire.title,
    )
