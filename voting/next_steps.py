"""The steps on a member's jury home that lead to the answers to the recommendations, registered
with juries' next steps (`juries.next_step`) in VotingConfig.ready()."""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.models import Role, Stage
from juries.next_step import NextStep
from juries.permissions import Action

from .answers_due import due_in


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
