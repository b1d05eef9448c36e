"""A witness's next step on the jury home: the questions put to them, and the date to answer by."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from evidence.models import EvidenceItem, EvidencePack, Question, Witness
from evidence.packs import record_reading
from juries.next_step import next_step_for
from juries.permissions import access_for


def test_a_witness_is_asked_to_answer_the_questions_put_to_them(jury, juror, witness):
    jury.stage = "learning"
    jury.save()
    assert next_step_for(witness, access_for(witness, jury)).title == "Nothing to do right now"

    wren = Witness.objects.create(jury=jury, user=witness, name="Wren", role="Statistician")
    other = Witness.objects.create(jury=jury, name="Mark", role="Supplier")
    Question.objects.create(jury=jury, asked_by=juror, witness=wren, text="How was it tested?")
    Question.objects.create(jury=jury, asked_by=juror, text="Anyone: who checks it?")
    Question.objects.create(jury=jury, asked_by=juror, witness=other, text="Not for Wren")
    Question.objects.filter(text="How was it tested?").update(
        created_at=timezone.now() - timedelta(days=2)
    )
    step = next_step_for(witness, access_for(witness, jury))
    assert step.title == "Answer the questions put to you"
    assert "2 questions" in step.text
    answer_by = timezone.localdate() + timedelta(days=5)
    assert f"by {answer_by.day} {answer_by:%B %Y}" in step.text
    assert step.url == reverse("evidence:questions", args=[jury.slug])


def test_a_facilitator_is_sent_first_to_what_needs_attention(jury, juror, facilitator):
    jury.stage = "learning"
    jury.save()
    assert next_step_for(facilitator, access_for(facilitator, jury)).title == "Run the jury"

    Question.objects.create(jury=jury, asked_by=juror, text="Who checks the score?")
    Question.objects.update(created_at=timezone.now() - timedelta(days=9))
    step = next_step_for(facilitator, access_for(facilitator, jury))
    assert step.title == "Needs your attention"
    assert "1 has waited more than 7 days: past its date." in step.text
    assert step.url == reverse("evidence:questions", args=[jury.slug])


def test_a_juror_learning_is_told_how_much_evidence_is_left_to_read(jury, juror):
    jury.stage = "learning"
    jury.save()
    pack = EvidencePack.objects.create(jury=jury, title="The score", published_at=timezone.now())
    draft = EvidencePack.objects.create(jury=jury, title="Not yet published")
    items = [
        EvidenceItem.objects.create(
            pack=pack, title=f"Item {n}", standpoint="expert", reading_minutes=10, position=n
        )
        for n in range(3)
    ]
    EvidenceItem.objects.create(pack=draft, title="Hidden", standpoint="expert", reading_minutes=9)
    record_reading(item=items[0], user=juror)
    step = next_step_for(juror, access_for(juror, jury))
    assert step.title == "Read the evidence"
    assert "2 of 3 items are new to you or changed since you read them" in step.text
    assert "about 20 minutes" in step.text

    for item in items[1:]:
        record_reading(item=item, user=juror)
    assert next_step_for(juror, access_for(juror, jury)).title == "Nothing to do right now"


def test_a_facilitator_learning_is_told_how_many_jurors_have_not_read_it_all(
    jury, juror, other_juror, facilitator
):
    jury.stage = "learning"
    jury.save()
    pack = EvidencePack.objects.create(jury=jury, title="The score", published_at=timezone.now())
    items = [
        EvidenceItem.objects.create(pack=pack, title=f"Item {n}", standpoint="expert", position=n)
        for n in range(2)
    ]
    for item in items:
        record_reading(item=item, user=juror)
    record_reading(item=items[0], user=other_juror)
    step = next_step_for(facilitator, access_for(facilitator, jury))
    assert step.title == "Needs your attention"
    assert "1 of 2 jurors has not yet read all the published evidence" in step.text
    assert other_juror.display_name not in step.text
    assert step.url == reverse("evidence:index", args=[jury.slug])
