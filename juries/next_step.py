"""The one clear "what to do next" on a member's jury home."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from .models import Role, Stage
from .permissions import Action


@dataclass
class NextStep:
    title: str
    text: str
    url: str = ""
    link_label: str = ""


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


def _stage_step(access):
    """What a juror, or an oversight member, has to do at the jury's present stage, if anything."""
    jury = access.jury
    if access.may[Action.ANSWER_RECOMMENDATIONS]:
        return NextStep(
            title=_("Answer the jury's recommendations"),
            text=_(
                "For each recommendation the jury adopted, say whether you accept it, why, and "
                "what will be done. Answers are published on the jury's public page."
            ),
            # By name only: juries does not import the apps built on it.
            url=reverse("voting:responses", args=[jury.slug]),
            link_label=_("Answer the recommendations"),
        )
    if access.role != Role.JUROR:
        return None
    if jury.stage == Stage.LEARNING:
        return NextStep(
            title=_("Read the evidence"),
            text=_("Read at your own pace. Ask the witnesses about anything that is not clear."),
            url=reverse("evidence:index", args=[jury.slug]),
            link_label=_("Go to the evidence"),
        )
    if jury.stage == Stage.DELIBERATION:
        return NextStep(
            title=_("Join the discussion"),
            text=_("Say what you think about what you have learned, in your own time."),
            url=reverse("deliberate:threads", args=[jury.slug]),
            link_label=_("Go to the discussions"),
        )
    if jury.stage in (Stage.SETUP, Stage.SELECTION):
        return NextStep(
            title=_("Decide whether your name is public"),
            text=_("Your name is not shown to the public unless you choose to show it."),
            url=reverse("juries:name-visibility", args=[jury.slug]),
            link_label=_("Choose what the public sees"),
        )
    if jury.stage == Stage.RESPONSE:
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


def next_step_for(user, access, next_sitting=None):
    jury = access.jury
    role = access.role
    if not user.display_name:
        return NextStep(
            title=_("Choose your display name"),
            text=_("Other members see this name instead of your email address."),
            url=reverse("juries:profile"),
            link_label=_("Choose a display name"),
        )
    if access.may[Action.VIEW_DASHBOARD] and role == Role.FACILITATOR:
        return NextStep(
            title=_("Run the jury"),
            text=_("Invite members, schedule sittings and move the jury on when it is ready."),
            url=reverse("juries:dashboard", args=[jury.slug]),
            link_label=_("Open the facilitator dashboard"),
        )
    now = timezone.now()
    in_progress = next_sitting is not None and next_sitting.starts_at <= now <= next_sitting.ends_at
    if in_progress and access.may[Action.JOIN_SITTING]:
        return NextStep(
            title=_("The sitting is on now"),
            text=_("“%(title)s” has started. Open the live room beside the video meeting.")
            % {"title": next_sitting.title},
            # By name only: juries does not import the apps built on it.
            url=reverse("deliberate:room", args=[jury.slug, next_sitting.pk]),
            link_label=_("Open the live room"),
        )
    if next_sitting is not None and (next_sitting.starts_at - now).days < 7:
        return _sitting_step(next_sitting)
    step = _stage_step(access)
    if step is not None:
        return step
    if role == Role.OBSERVER:
        return NextStep(
            title=_("Follow the jury's work"),
            text=_("You can read everything, including the record of every facilitator action."),
            url=reverse("juries:audit-log", args=[jury.slug]),
            link_label=_("Read the audit log"),
        )
    if next_sitting is not None:
        return _sitting_step(next_sitting)
    return NextStep(
        title=_("Nothing to do right now"),
        text=_("The facilitators will email you when there is something for you to do."),
    )
