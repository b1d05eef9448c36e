"""A jury ready for its report, shared by the dissent and report suites (no tests here).

`ready_for_report()` builds what the other parts of the decisions leave behind: a registered
system, published evidence, a witness, a sitting, stage changes, two recommendations (one citing
evidence), a closed vote with its results made as `close_vote` makes them, a priority ranking,
and the jury at the report stage.
"""

from datetime import timedelta

from django.utils import timezone

from evidence.models import EvidenceItem, EvidencePack, System, Witness
from juries.models import Sitting, Stage, StageChange
from voting.models import Citation, Theme, Vote, VoteResult, VoteState
from voting.tally import Level


def counts(**given):
    return {level.value: given.get(level.value, 0) for level in Level}


def ready_for_report(jury, facilitator, make_recommendation, *, jurors=2, stage=Stage.REPORT):
    now = timezone.now()
    system = System.objects.create(
        slug="fraud-risk",
        name="Fraud risk score",
        organisation="Department for Benefits",
        purpose="Picks claims to check by hand.",
    )
    system.juries.add(jury)
    pack = EvidencePack.objects.create(jury=jury, title="The basics", published_at=now)
    item = EvidenceItem.objects.create(
        pack=pack,
        title="How the score works",
        provided_by="Department for Benefits",
        standpoint="commissioning",
        summary="A summary.",
        visibility="public",
    )
    draft_pack = EvidencePack.objects.create(jury=jury, title="Not yet published")
    EvidenceItem.objects.create(
        pack=draft_pack,
        title="Draft item",
        provided_by="Nobody yet",
        standpoint="expert",
        summary="Draft.",
    )
    Witness.objects.create(jury=jury, name="Dr Ada Shaw", role="Statistician", standpoint="expert")
    Sitting.objects.create(
        jury=jury,
        title="Opening sitting",
        starts_at=now - timedelta(days=20),
        ends_at=now - timedelta(days=20, hours=-2),
    )
    Sitting.objects.create(
        jury=jury,
        title="A sitting still to come",
        starts_at=now + timedelta(days=20),
        ends_at=now + timedelta(days=20, hours=2),
    )
    StageChange.objects.create(
        jury=jury, from_stage=Stage.DRAFTING, to_stage=Stage.DECISION, changed_by=facilitator
    )
    theme = Theme.objects.create(jury=jury, title="Openness")
    first = make_recommendation("Publish the error rates every year.", theme=theme)
    second = make_recommendation("Stop using the score for housing benefit.")
    Citation.objects.create(recommendation=first, item=item)
    vote = Vote.objects.create(
        jury=jury,
        state=VoteState.CLOSED,
        opened_at=now - timedelta(days=3),
        closed_at=now - timedelta(days=1),
        jurors_at_close=jurors,
        ranking=True,
        ranking_opened_at=now - timedelta(hours=20),
        ranking_closed_at=now - timedelta(hours=2),
        ranking_result={"method": "schulze", "places": [[first.pk]]},
    )
    VoteResult.objects.create(
        vote=vote,
        recommendation=first,
        counts=counts(strongly_support=1, support=1),
        jurors=jurors,
        outcome="adopted",
        reasons=["People deserve to know."],
    )
    VoteResult.objects.create(
        vote=vote,
        recommendation=second,
        counts=counts(oppose=1, abstain=1),
        jurors=jurors,
        outcome="not_adopted",
    )
    jury.stage = stage
    jury.save(update_fields=["stage"])
    return {"vote": vote, "first": first, "second": second, "item": item, "system": system}
