"""The step on a juror's jury home that leads to the evidence, registered with juries' next steps
(`juries.next_step`) in EvidenceConfig.ready()."""

from django.urls import reverse
from django.utils.translation import gettext as _

from juries.models import Role, Stage
from juries.next_step import NextStep


def read_the_evidence(user, access, next_sitting, now):
    jury = access.jury
    if access.role == Role.JUROR and jury.stage == Stage.LEARNING:
        return NextStep(
            title=_("Read the evidence"),
            text=_("Read at your own pace. Ask the witnesses about anything that is not clear."),
            url=reverse("evidence:index", args=[jury.slug]),
            link_label=_("Go to the evidence"),
        )
    return None
