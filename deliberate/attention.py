"""What the deliberation asks of the facilitators now, at the top of their dashboard: flagged
posts waiting for moderation and jurors who have not spoken. Registered with juries' attention
checks (`juries.attention`) in DeliberateConfig.ready()."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from juries.attention import Item
from juries.models import Stage
from juries.permissions import Action

from .models import Flag, Post, PostState, Turn

# Jurors are expected to speak while they deliberate and draft; before that, reading is the work.
TALKING_STAGES = frozenset({Stage.DELIBERATION, Stage.DRAFTING})


def flagged_posts(access, now):
    """Posts a juror flagged that no facilitator has dealt with yet."""
    if not access.may[Action.VIEW_HIDDEN_POSTS]:
        return None
    count = (
        Flag.objects.filter(
            post__thread__jury=access.jury,
            post__state=PostState.VISIBLE,
            resolved_at__isnull=True,
        )
        .values("post")
        .distinct()
        .count()
    )
    if not count:
        return None
    return Item(
        key="flags",
        count=count,
        text=ngettext(
            "%(count)s post was flagged by a juror and is waiting for you to look at it.",
            "%(count)s posts were flagged by jurors and are waiting for you to look at them.",
            count,
        )
        % {"count": count},
        url=reverse("deliberate:moderation", args=[access.jury.slug]),
        link_label=_("Look at the flagged posts"),
    )


def quiet_jurors(access, now):
    """Jurors with no post and no turn in a sitting, as the participation page counts them."""
    jury = access.jury
    if jury.stage not in TALKING_STAGES or not access.may[Action.VIEW_PARTICIPATION]:
        return None
    posted = Post.objects.filter(
        thread__jury=jury, author=OuterRef("user"), state=PostState.VISIBLE
    )
    spoke = Turn.objects.filter(room__sitting__jury=jury, user=OuterRef("user"))
    count = jury.memberships.jurors().reachable().filter(~Exists(posted), ~Exists(spoke)).count()
    if not count:
        return None
    return Item(
        key="quiet",
        count=count,
        text=ngettext(
            "%(count)s juror has not posted or spoken yet. A call may help.",
            "%(count)s jurors have not posted or spoken yet. A call may help.",
            count,
        )
        % {"count": count},
        url=reverse("deliberate:participation", args=[jury.slug]),
        link_label=_("See who is quiet"),
    )
