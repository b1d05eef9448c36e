"""For the drafting suites: a wording, proposing and amending with it, and evidence to cite (a
published pack's item, an unpublished one, an answered and an unanswered question, a post)."""

from django.utils import timezone

from deliberate import threads as thread_service
from evidence.models import EvidenceItem, EvidencePack, Question, QuestionState
from voting import amendments, drafting

WORDING = {
    "statement": "Publish the error rates every year.",
    "rationale": "People flagged wrongly should know how often it happens.",
    "addressed_to": "Department for Benefits",
}


def propose(jury, by, **changes):
    return drafting.propose(jury, by, **{**WORDING, **changes})


def amend(rec, by, statement="Publish the error rates every month."):
    return amendments.propose_amendment(
        rec, by, **{**WORDING, "statement": statement}, reason="Once a year is too slow."
    )


def add_item(pack, title="How the score is made", **fields):
    defaults = {"provided_by": "The department", "standpoint": "commissioning", "summary": "S"}
    return EvidenceItem.objects.create(pack=pack, title=title, **{**defaults, **fields})


def evidence_for(jury, *, facilitator, juror):
    """Things of `jury` that may be cited, and some that may not."""
    pack = EvidencePack.objects.create(jury=jury, title="The system", published_at=timezone.now())
    draft = EvidencePack.objects.create(jury=jury, title="Not yet published")
    answered = Question.objects.create(
        jury=jury,
        asked_by=juror,
        text="How often is the score wrong?",
        state=QuestionState.ANSWERED,
        answer="About one time in five.",
        answered_at=timezone.now(),
    )
    thread = thread_service.start_thread(
        jury=jury, title="Error rates", body="The answer worries me.", by=juror
    )
    return {
        "item": add_item(pack),
        "draft_item": add_item(draft, "A draft"),
        "question": answered,
        "open_question": Question.objects.create(jury=jury, asked_by=juror, text="Who checks?"),
        "post": thread.posts.get(),
        "thread": thread,
    }
