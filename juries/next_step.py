"""The one clear "what to do next" on a member's jury home.

Steps are asked in order and the first that applies wins. Juries' own steps are registered here;
an app built on juries registers the steps that lead to its pages in its AppConfig.ready()
(`next_step.register(order, step)`), so juries never names their pages. The orders in use:

    100 choose a display name                 500 answer the recommendations (voting)
    190 the vote is open, to its facilitator  505 a witness answers questions (evidence)
    192 between rounds of the vote (voting)
    195 sign-off so far, to its facilitator
    200 the facilitator runs the jury         510 a juror reads the evidence (evidence)
    300 the sitting is on now (deliberate)    520 a juror joins the discussion (deliberate)
    350 a juror casts their vote (voting)     525 a juror comments on the drafts (voting)
    355 a juror ranks the adopted (voting)
    360 a juror signs off the text (voting)   530 a juror chooses what the public sees
    370 a questionnaire to fill in (evaluation)  610 an evaluator reads the results (evaluation)
    400 a sitting within a week               540 a juror sees the answers (voting)
    600 an observer follows the jury          545 a juror has voted, may change it (voting)
    700 any later sitting

A step with a deadline that only this person can meet (a vote, a sign-off) comes before a
sitting later in the week; a sitting on now comes first of all. When none applies, there is
nothing to do: then the step says when the next stage is planned to start, if the facilitators
planned it (a later sitting is already a step, at 700).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .attention import items_for
from .models import Role, Stage, StagePlan
from .permissions import Action


@dataclass
class NextStep:
    title: str
    text: str
    url: str = ""
    link_label: str = ""


# (order, step) sorted by order; step(user, access, next_sitting, now) -> NextStep or None.
STEPS = []


def register(order, step):
    """Ask `step(user, access, next_sitting, now)` at `order` (see the module's docstring).
    Registering the same step again changes nothing (an app's ready() may run twice)."""
    if (order, step) in STEPS:
        return
    STEPS.append((order, step))
    STEPS.sort(key=lambda entry: entry[0])


def next_step_for(user, access, next_sitting=None):
    now = timezone.now()
    for _order, step in STEPS:
        found = step(user, access, next_sitting, now)
        if found is not None:
            return found
    return _nothing_to_do(access, now)


def _nothing_to_do(access, now):
    text = _("The facilitators will email you when there is something for you to do.")
    next_stage = Stage(access.jury.stage).next
    planned = None
    if next_stage is not None:
        planned = (
            StagePlan.objects.filter(
                jury=access.jury, stage=next_stage, planned_start__gte=timezone.localdate(now)
            )
            .values_list("planned_start", flat=True)
            .first()
        )
    if planned is not None:
        text = " ".join(
            [
                _("The next stage, %(stage)s, is planned to start on %(date)s.")
                % {"stage": next_stage.label, "date": date_format(planned, "j F Y")},
                text,
            ]
        )
    return NextStep(title=_("Nothing to do right now"), text=text)


def _sitting_step(sitting):
    when = timezone.localtime(sitting.starts_at)
    return NextStep(
        title=_("Get ready for the next sitting"),
        text=_("“%(title)s” starts on %(date)s at %(time)s.")
        % {
            "title": sitting.title,
            "date": date_format(when, "l j F"),
            "time": time_format(when, "H:i"),
        },
        url=sitting.get_absolute_url(),
        link_label=_("See the agenda"),
    )


def _display_name(user, access, next_sitting, now):
    if not user.display_name:
        return NextStep(
            title=_("Choose your display name"),
            text=_("Other members see this name instead of your email address."),
            url=reverse("juries:profile"),
            link_label=_("Choose a display name"),
        )
    return None


def _run_the_jury(user, access, next_sitting, now):
    """For a facilitator: the most pressing thing on the dashboard's "needs attention" list
    (`juries.attention`), or else running the jury in general."""
    if access.may[Action.VIEW_DASHBOARD] and access.role == Role.FACILITATOR:
        items = items_for(access, now)
        if items:
            first = items[0]
            text = first.text
            if len(items) > 1:
                more = len(items) - 1
                text = " ".join(
                    [
                        text,
                        ngettext(
                            "%(count)s more thing needs attention on the dashboard.",
                            "%(count)s more things need attention on the dashboard.",
                            more,
                        )
                        % {"count": more},
                    ]
                )
            return NextStep(
                title=_("Needs your attention"),
                text=text,
                url=first.url,
                link_label=first.link_label,
            )
        return NextStep(
            title=_("Run the jury"),
            text=_("Invite members, schedule sittings and move the jury on when it is ready."),
            url=reverse("juries:dashboard", args=[access.jury.slug]),
            link_label=_("Open the facilitator dashboard"),
        )
    return None


def _sitting_soon(user, access, next_sitting, now):
    if next_sitting is not None and (next_sitting.starts_at - now).days < 7:
        return _sitting_step(next_sitting)
    return None


def _name_visibility(user, access, next_sitting, now):
    jury = access.jury
    if access.role == Role.JUROR and jury.stage in (Stage.SETUP, Stage.SELECTION):
        return NextStep(
            title=_("Decide whether your name is public"),
            text=_("Your name is not shown to the public unless you choose to show it."),
            url=reverse("juries:name-visibility", args=[jury.slug]),
            link_label=_("Choose what the public sees"),
        )
    return None


def _follow_the_jury(user, access, next_sitting, now):
    if access.role == Role.OBSERVER:
        return NextStep(
            title=_("Follow the jury's work"),
            text=_("You can read everything, including the record of every facilitator action."),
            url=reverse("juries:audit-log", args=[access.jury.slug]),
            link_label=_("Read the audit log"),
        )
    return None


def _sitting_later(user, access, next_sitting, now):
    return _sitting_step(next_sitting) if next_sitting is not None else None


register(100, _display_name)
register(200, _run_the_jury)
register(400, _sitting_soon)
register(530, _name_visibility)
register(600, _follow_the_jury)
register(700, _sitting_later)
