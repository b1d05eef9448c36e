"""Statements of dissent and sign-off: the services."""

import pytest

from juries.models import AuditEntry, JuryEvent, Stage
from voting import dissent as service
from voting import reports
from voting.models import Dissent, DissentSigner, SignOff

from .report_setup import ready_for_report


@pytest.fixture
def rec(at_stage, make_recommendation):
    at_stage(Stage.DECISION)
    return make_recommendation()


def test_a_juror_writes_a_statement_about_a_recommendation_and_is_its_first_signer(
    jury, juror, rec
):
    dissent = service.write_dissent(jury, juror, "  I disagree: it goes too far.  ", rec)
    assert dissent.text == "I disagree: it goes too far."
    assert dissent.recommendation == rec
    assert list(dissent.signers.values_list("juror", flat=True)) == [juror.pk]
    assert JuryEvent.objects.filter(jury=jury, kind="dissent.written").exists()


def test_a_statement_about_the_whole_report_has_no_recommendation(jury, juror, rec):
    dissent = service.write_dissent(jury, juror, "The report leaves out the appeals.")
    assert dissent.recommendation is None


def test_an_empty_statement_is_refused(jury, juror, rec):
    with pytest.raises(service.DissentError, match="Write your statement"):
        service.write_dissent(jury, juror, "   ", rec)
    assert not Dissent.objects.exists()


def test_a_statement_about_another_jurys_recommendation_is_refused(
    jury, juror, rec, make_jury, make_recommendation
):
    other = make_jury(slug="other")
    foreign = make_recommendation(jury=other, number=1)
    with pytest.raises(service.DissentError):
        service.write_dissent(jury, juror, "No.", foreign)
    assert not Dissent.objects.exists()


def test_other_jurors_add_their_names_once(jury, juror, other_juror, rec):
    dissent = service.write_dissent(jury, juror, "No.", rec)
    service.add_signature(dissent, other_juror)
    service.add_signature(dissent, other_juror)
    assert dissent.signers.count() == 2


def test_only_jurors_can_put_their_name_to_a_statement(jury, juror, facilitator, rec):
    dissent = service.write_dissent(jury, juror, "No.", rec)
    with pytest.raises(service.DissentError):
        service.add_signature(dissent, facilitator)
    assert dissent.signers.count() == 1


def test_a_juror_takes_their_own_name_off_but_the_last_name_stays(jury, juror, other_juror, rec):
    dissent = service.write_dissent(jury, juror, "No.", rec)
    service.add_signature(dissent, other_juror)
    assert service.remove_signature(dissent, other_juror) is True
    assert list(dissent.signers.values_list("juror", flat=True)) == [juror.pk]
    with pytest.raises(service.DissentError, match="only name"):
        service.remove_signature(dissent, juror)
    assert dissent.signers.count() == 1
    assert Dissent.objects.filter(pk=dissent.pk).exists()


def test_hiding_needs_a_reason_and_changes_nothing_without_one(jury, juror, facilitator, rec):
    dissent = service.write_dissent(jury, juror, "Names a council officer.", rec)
    with pytest.raises(service.DissentError, match="legal reason"):
        service.hide_dissent(dissent, facilitator, "  ")
    dissent.refresh_from_db()
    assert not dissent.is_hidden
    assert not AuditEntry.objects.filter(action="dissent.hide").exists()


def test_hiding_keeps_the_words_records_the_reason_and_is_audited(jury, juror, facilitator, rec):
    dissent = service.write_dissent(jury, juror, "Names a council officer.", rec)
    service.hide_dissent(dissent, facilitator, "It names a person outside the jury.")
    dissent.refresh_from_db()
    assert dissent.is_hidden
    assert dissent.text == "Names a council officer."
    assert dissent.hidden_reason == "It names a person outside the jury."
    assert dissent.hidden_by == facilitator
    entry = AuditEntry.objects.get(action="dissent.hide")
    assert entry.actor == facilitator
    assert "It names a person outside the jury." in entry.summary
    with pytest.raises(service.DissentError, match="already hidden"):
        service.hide_dissent(dissent, facilitator, "Again.")


def test_names_cannot_be_added_to_a_hidden_statement(jury, juror, other_juror, facilitator, rec):
    dissent = service.write_dissent(jury, juror, "No.", rec)
    service.hide_dissent(dissent, facilitator, "Defamatory.")
    with pytest.raises(service.DissentError):
        service.add_signature(dissent, other_juror)


def test_there_is_no_service_to_edit_or_delete_a_statement():
    names = {name for name in dir(service) if not name.startswith("_")}
    assert not {n for n in names if "edit" in n or "delete" in n or "unhide" in n}


def test_sign_off_is_one_answer_per_juror_and_can_be_changed(jury, juror, other_juror, at_stage):
    at_stage(Stage.REPORT)
    service.sign_off(jury, juror, "confirm", "")
    service.sign_off(jury, juror, "object", "Rec 2 is wrong.")
    assert SignOff.objects.filter(jury=jury, juror=juror).count() == 1
    assert service.sign_off_counts(jury) == {
        "jurors": 2,
        "confirmed": 0,
        "objected": 1,
        "not_yet": 1,
    }
    service.sign_off(jury, other_juror, "confirm")
    assert service.sign_off_counts(jury)["confirmed"] == 1
    assert service.sign_off_counts(jury)["not_yet"] == 0


def test_an_unknown_sign_off_choice_is_refused(jury, juror, at_stage):
    at_stage(Stage.REPORT)
    with pytest.raises(ValueError):
        service.sign_off(jury, juror, "maybe")
    assert not SignOff.objects.exists()


def test_after_publication_dissent_and_sign_off_are_closed(
    jury, facilitator, juror, other_juror, make_recommendation
):
    setup = ready_for_report(jury, facilitator, make_recommendation)
    dissent = service.write_dissent(jury, juror, "No.", setup["first"])
    service.add_signature(dissent, other_juror)
    reports.publish_report(jury, facilitator)
    with pytest.raises(service.DissentError, match="published"):
        service.write_dissent(jury, juror, "Too late.", setup["first"])
    with pytest.raises(service.DissentError, match="published"):
        service.remove_signature(dissent, other_juror)
    with pytest.raises(service.DissentError, match="published"):
        service.sign_off(jury, juror, "confirm")
    assert Dissent.objects.count() == 1
    assert DissentSigner.objects.count() == 2
    assert not SignOff.objects.exists()
