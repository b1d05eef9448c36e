"""The steps on a member's jury home that lead to the live room and the discussions, registered
with juries' next steps (`juries.next_step`) in DeliberateConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext as _

from juries.models import Role, Stage
from juries.next_step import NextStep
from juries.permissions import Action


def sitting_on_now(user, access, next_sitting, now):
    in_progress = next_sitting is not None and next_sitting.starts_at <= now <= next_sitting.ends_at
    if in_progress and access.may[Action.JOIN_SITTING]:
        return NextStep(
            title=_("The sitting is on now"),
            text=_("“%(title)s” has started. Open the live room beside the video meeting.")
            % {"title": next_sitting.title},
            url=reverse("deliberate:room", args=[access.jury.slug, next_sitting.pk]),
            link_label=_("Open the live room"),
        )
    return None


def join_the_discussion(user, access, next_sitting, now):
    jury = access.jury
    if access.role == Role.JUROR and jury.stage == Stage.DELIBERATION:
        return NextStep(
            title=_("Join the discussion"),
            text=_("Say what you think about what you have learned, in your own time."),
            url=reverse("deliberate:threads", args=[jury.slug]),
            link_label=_("Go to the discussions"),
        )
    return None
