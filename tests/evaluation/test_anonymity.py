"""Acceptance check 5, as an insider with direct database access: nothing in the stored answers
leads back to the juror who gave them, and nothing else carries the answers to a person."""

import json
import uuid

import pytest
from django.db import connection, models

from evaluation import services
from evaluation.models import Answered, Kind, Response, TopicStatement
from evaluation.questions import COMMENT, SCALE_VALUES
from juries.models import AuditEntry, JuryEvent

from .helpers import add_jurors, answer_all, answers_for, close, open_questionnaire

pytestmark = pytest.mark.django_db


def test_the_response_table_has_no_column_leading_to_a_person_or_a_time():
    fields = Response._meta.get_fields()
    assert {field.name for field in fields} == {"id", "questionnaire", "answers"}
    for field in fields:
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField)
        if field.is_relation:
            assert field.related_model._meta.label == "evaluation.Questionnaire"
    assert isinstance(Response._meta.pk, models.UUIDField)
    with connection.cursor() as cursor:
        columns = [
            c.name
            for c in connection.introspection.get_table_description(cursor, "evaluation_response")
        ]
    assert sorted(columns) == ["answers", "id", "questionnaire_id"]


def test_the_who_answered_record_holds_no_answer_and_no_time():
    names = {field.name for field in Answered._meta.get_fields()}
    assert names == {"id", "questionnaire", "user"}


def test_rows_are_in_an_order_of_their_content_not_the_order_people_answered(jury):
    questionnaire = open_questionnaire(jury)
    jurors = add_jurors(jury, 5)
    # The first to answer gives the last value of the scale, and so on: answer order is the
    # reverse of content order.
    values = ["strongly_disagree", "disagree", "neither", "agree", "strongly_agree"]
    for user, value in zip(jurors, values, strict=True):
        services.answer(questionnaire, user, answers_for(questionnaire, value))

    # The rows in the order they lie in the table: SQLite's rowid, PostgreSQL's ctid.
    physical_order = {"sqlite": "rowid", "postgresql": "ctid"}[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, answers FROM evaluation_response WHERE questionnaire_id = %s "
            f"ORDER BY {physical_order}",
            [questionnaire.pk],
        )
        stored = cursor.fetchall()
    assert len(stored) == 5

    physical = [
        (json.loads(answers) if isinstance(answers, str) else answers)["remit"]
        for _id, answers in stored
    ]
    assert physical == sorted(physical), "rows follow content, not the order of answering"
    assert physical != values
    for key, _answers in stored:
        assert uuid.UUID(str(key)).version == 4
    # The who-answered records follow answering order; nothing joins them to the responses.
    assert list(Answered.objects.order_by("pk").values_list("user", flat=True)) == [
        user.pk for user in jurors
    ]


def test_keys_change_each_time_someone_answers(jury):
    questionnaire = open_questionnaire(jury)
    first, second = add_jurors(jury, 2)
    services.answer(questionnaire, first, answers_for(questionnaire, "agree"))
    before = set(Response.objects.values_list("pk", flat=True))
    services.answer(questionnaire, second, answers_for(questionnaire, "agree"))
    after = set(Response.objects.values_list("pk", flat=True))
    assert len(after) == 2 and not before & after


def test_answering_writes_no_event_and_no_audit_entry_and_no_email(jury, mailoutbox):
    questionnaire = open_questionnaire(jury)
    (juror,) = add_jurors(jury, 1)
    events, entries = JuryEvent.objects.count(), AuditEntry.objects.count()
    services.answer(questionnaire, juror, answers_for(questionnaire, SCALE_VALUES[0]))
    assert JuryEvent.objects.count() == events
    assert AuditEntry.objects.count() == entries
    assert mailoutbox == []


def test_a_person_answers_once_and_a_second_answer_writes_nothing(jury):
    questionnaire = open_questionnaire(jury)
    (juror,) = add_jurors(jury, 1)
    services.answer(questionnaire, juror, answers_for(questionnaire, "agree"))
    with pytest.raises(services.AlreadyAnswered):
        services.answer(questionnaire, juror, answers_for(questionnaire, "disagree"))
    assert Response.objects.count() == 1
    assert Answered.objects.count() == 1
    assert Response.objects.get().answers["remit"] == "agree"


def test_a_closed_questionnaire_takes_no_answers(jury):
    questionnaire = open_questionnaire(jury)
    questionnaire.state = "closed"
    questionnaire.save()
    (juror,) = add_jurors(jury, 1)
    with pytest.raises(services.NotOpen):
        services.answer(questionnaire, juror, answers_for(questionnaire, "agree"))
    assert not Response.objects.exists() and not Answered.objects.exists()


def test_the_admin_shows_no_answers():
    from django.contrib import admin

    assert Response not in admin.site._registry
    assert Answered not in admin.site._registry


def test_a_persons_data_download_says_they_answered_never_how(jury):
    from juries.accounts import export_data

    questionnaire = open_questionnaire(jury)
    (juror,) = add_jurors(jury, 1)
    services.answer(questionnaire, juror, answers_for(questionnaire, "strongly_disagree"))
    data = export_data(juror)
    assert data["questionnaires"] == [
        {
            "jury": jury.title,
            "questionnaire": questionnaire.title,
            "answers": "Kept without your name, so they cannot be found or included.",
        }
    ]
    assert "strongly_disagree" not in json.dumps(data)


def test_deleting_an_account_keeps_the_anonymous_answers_and_the_count(jury):
    questionnaire = open_questionnaire(jury)
    (juror,) = add_jurors(jury, 1)
    services.answer(questionnaire, juror, answers_for(questionnaire, "agree"))
    juror.delete()
    assert Response.objects.count() == 1
    assert Answered.objects.get().user is None


def test_the_downloads_own_words_go_through_translation(jury, monkeypatch):
    """ "Topic", "Comment" and the line in a person's data download are marked for translation."""
    from evaluation import export

    monkeypatch.setattr(export, "_", lambda text: f"«{text}»")
    TopicStatement.objects.create(jury=jury, text="Scores are fair", position=0)
    start = open_questionnaire(jury, Kind.START)
    organisers = open_questionnaire(jury, Kind.ORGANISER)
    jurors = add_jurors(jury, 5)
    answer_all(start, jurors, topics=list(jury.topic_statements.all()))
    for user in jurors:
        services.answer(organisers, user, {**answers_for(organisers, "agree"), COMMENT: "Well run"})
    close(start, organisers)
    data = export.answers_of(jury)
    themes = {q["theme"] for each in data["questionnaires"] for q in each["questions"]}
    assert "«Topic»" in themes
    assert "«Comment»" in export.as_csv(jury)
    assert export.questionnaires_of(jurors[0])[0]["answers"] == (
        "«Kept without your name, so they cannot be found or included.»"
    )
