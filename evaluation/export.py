"""The anonymous answers as a download, in CSV and in JSON (schema: answers_schema.json).

Neither file has a column about a person: one row per answer to one question, the responses
numbered in an order of their content (never the order people answered in). A questionnaire still
open, or with fewer than `MINIMUM_ANSWERS` answers, is listed with its count and no answers, as on
the results page. The CSV goes through `juries.csv_export`, so no cell runs as a spreadsheet formula.
"""

import io
import json
from pathlib import Path

from django.utils.translation import gettext as _

from juries import csv_export

from .models import MINIMUM_ANSWERS, Answered
from .questions import COMMENT, SCALE
from .results import questions_of, results_for
from .services import _content_order

SCHEMA_PATH = Path(__file__).with_name("answers_schema.json")
CSV_COLUMNS = ["questionnaire", "sitting", "response", "question", "statement", "answer"]


def answers_of(jury):
    """The whole download as plain data, as the JSON file holds it."""
    topics = list(jury.topic_statements.all())
    themes = {}
    questionnaires = []
    for result in results_for(jury):
        questionnaire = result.questionnaire
        for question in questionnaire.fixed_questions():
            themes[question.key] = str(question.theme)
        asked = questions_of(questionnaire, topics)
        entry = {
            "kind": questionnaire.kind,
            "state": questionnaire.state,
            "title": questionnaire.title,
            "sitting": questionnaire.sitting.title if questionnaire.sitting else None,
            "answers_count": result.answers,
            "included": result.shown,
            "questions": [
                {"key": key, "theme": themes.get(key, _("Topic")), "statement": label}
                for key, label in asked
            ],
            "responses": [],
        }
        if result.shown:
            stored = sorted(
                questionnaire.responses.values_list("answers", flat=True), key=_content_order
            )
            entry["responses"] = [
                {"number": number, "answers": answers}
                for number, answers in enumerate(stored, start=1)
            ]
        questionnaires.append(entry)
    return {
        "jury": jury.slug,
        "minimum_answers": MINIMUM_ANSWERS,
        "scale": [value for value, _label in SCALE],
        "questionnaires": questionnaires,
    }


def as_json(jury):
    return json.dumps(answers_of(jury), indent=2, ensure_ascii=False)


def as_csv(jury):
    data = answers_of(jury)
    out = io.StringIO()
    writer = csv_export.writer(out)
    writer.writerow(CSV_COLUMNS)
    for questionnaire in data["questionnaires"]:
        statements = {q["key"]: q["statement"] for q in questionnaire["questions"]}
        keys = [*statements, COMMENT]
        for response in questionnaire["responses"]:
            for key in keys:
                if key not in response["answers"]:
                    continue
                writer.writerow(
                    [
                        questionnaire["kind"],
                        questionnaire["sitting"] or "",
                        response["number"],
                        key,
                        statements.get(key, _("Comment")),
                        response["answers"][key],
                    ]
                )
    return "\ufeff" + out.getvalue()


def schema():
    return SCHEMA_PATH.read_text(encoding="utf-8")


def questionnaires_of(user):
    """For a person's "Download your data": the questionnaires they answered, never how (the
    answers carry no name, so nothing could find theirs, and nobody can make them hand over a
    receipt)."""
    answered = Answered.objects.filter(user=user).select_related(
        "questionnaire__jury", "questionnaire__sitting"
    )
    return [
        {
            "jury": a.questionnaire.jury.title,
            "questionnaire": a.questionnaire.title,
            "answers": _("Kept without your name, so they cannot be found or included."),
        }
        for a in answered
    ]
