"""Text that cannot exhaust the server: every long text has a limit (juries.text_limits), kept
by forms, services and imports alike; what is refused is said plainly and kept for the person to
shorten; and Markdown is rendered without letting its shape multiply the work."""

import json
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.urls import reverse

from deliberate import room as room_service
from deliberate import threads as thread_service
from deliberate.forms import ThreadForm
from deliberate.models import Post
from evidence import atrs
from evidence.forms import StatementForm
from evidence.models import EvidenceItem, System
from evidence.text import render_markdown
from juries import invitations
from juries.models import Role, Volunteer
from juries.selection import volunteer_import
from juries.text_limits import DOCUMENT, IMPORTED_RECORD, LONG, SHORT
from tests.deliberate.conftest import deliberating, room, sitting, thread  # noqa: F401  (fixtures)
from tests.evidence.conftest import item_data, pack  # noqa: F401  (fixture)
from tests.juries.conftest import categories, open_jury  # noqa: F401  (fixtures)

MEGABYTE = 1024 * 1024
WIDE_TABLE = "|" + "a|" * 300 + "\n|" + "-|" * 300 + "\n" + "|x\n" * 1800


def plain(limit, length):
    return f"This is too long: at most {limit} characters (it has {length})."


def markdown_of(length, unit="> - *a **b [c](d _e `f "):
    """Markdown of exactly `length` characters, written to be slow to parse."""
    return (unit * (length // len(unit) + 1))[: length - 1] + "z"


def posted_as_a_browser_would(client, url, data):
    """A form without files goes urlencoded: brackets, quotes and backticks take three bytes."""
    return client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")


def post_count():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM deliberate_post")
        return cursor.fetchone()[0]


def test_the_longest_post_allowed_is_posted_and_shown(client, thread, juror):  # noqa: F811
    body = markdown_of(LONG)
    client.force_login(juror)

    response = posted_as_a_browser_would(
        client,
        reverse("deliberate:post-create", args=[thread.jury.slug, thread.pk]),
        {"body": body, "submission_key": "longest"},
    )

    assert response.status_code == 302
    assert Post.objects.filter(thread=thread, author=juror).get().body == body
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_a_1_mb_post_is_refused_with_a_plain_message_and_the_text_is_kept(
    client,
    thread,  # noqa: F811
    juror,
):
    body = "[(`" * (MEGABYTE // 3)  # three bytes each when sent: more than Django's default limit
    client.force_login(juror)
    before = post_count()

    response = posted_as_a_browser_would(
        client,
        reverse("deliberate:post-create", args=[thread.jury.slug, thread.pk]),
        {"body": body, "submission_key": "megabyte"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert plain(LONG, len(body)) in page
    assert body in page  # in the form again, to shorten
    assert post_count() == before


def test_a_form_says_plainly_how_long_is_too_long():
    form = ThreadForm(data={"title": "t" * 201, "body": "Fine."})
    assert form.errors["title"] == [plain(200, 201)]

    statement = StatementForm(data={"statement": "s" * (DOCUMENT + 1)})
    assert statement.errors["statement"] == [plain(DOCUMENT, DOCUMENT + 1)]
    assert StatementForm(data={"statement": "s" * DOCUMENT}).is_valid()


def test_the_longest_evidence_text_is_saved_and_a_1_mb_one_is_refused_and_kept(
    client,
    jury,
    pack,  # noqa: F811
    facilitator,
):
    client.force_login(facilitator)
    url = reverse("evidence:item-create", args=[jury.slug, pack.pk])
    longest = markdown_of(DOCUMENT)

    assert client.post(url, item_data(body=longest)).status_code == 302
    assert EvidenceItem.objects.get().body == longest

    too_long = "b" * MEGABYTE
    response = client.post(url, item_data(title="Too long", body=too_long))
    page = response.content.decode()
    assert plain(DOCUMENT, MEGABYTE) in page
    assert too_long in page
    assert EvidenceItem.objects.count() == 1


def test_the_posting_service_refuses_a_message_too_long_whoever_calls_it(
    thread,  # noqa: F811
    juror,
):
    before = post_count()
    with pytest.raises(thread_service.ThreadError) as refused:
        thread_service.add_post(thread=thread, body="m" * (LONG + 1), by=juror)
    assert str(refused.value) == plain(LONG, LONG + 1)
    assert post_count() == before


def test_a_live_poll_with_an_answer_too_long_is_refused_and_nothing_opens(
    room,  # noqa: F811
    facilitator,
):
    with pytest.raises(room_service.RoomError) as refused:
        room_service.open_poll(
            room=room, by=facilitator, question="Lunch now?", options=["Yes", "n" * 201]
        )
    assert str(refused.value) == "An answer is too long: at most 200 characters (it has 201)."
    assert not room.polls.exists()


def test_a_volunteer_import_names_the_line_whose_access_needs_are_too_long(
    open_jury,  # noqa: F811
    facilitator,
):
    text = (
        "name,email,age,area,access needs\n"
        "Grace Hopper,grace@example.net,60 or older,South,Hearing loop\n"
        f"Alan Turing,alan@example.net,30 to 59,North,{'a' * (SHORT + 1)}\n"
    )

    result = volunteer_import.import_volunteers(open_jury, text, facilitator)

    assert result.problems == [
        (3, f"“access needs” is too long: at most {SHORT} characters (it has {SHORT + 1}).")
    ]
    assert not Volunteer.objects.exists()


def test_a_transparency_record_with_a_field_or_list_entry_too_long_is_refused(db):
    record = {
        "schema": "deliberate.atrs/1",
        "metadata": {"organisation": "Council"},
        "tier_1": {"name": "RBV", "description": "d" * (LONG + 1)},
        "tier_2": {
            "risks_mitigations_and_impact_assessments": {
                "risks": [{"name": "Bias", "description": "r" * (LONG + 1)}]
            }
        },
        "deliberate": {"purpose": "To check."},
    }

    system, problems = atrs.import_record(json.dumps(record), "json")

    assert system is None
    too_long = f"{LONG + 1} characters is too long; at most {LONG} are allowed."
    assert f"“tier_1.description”: {too_long}" in problems
    risk = "“tier_2.risks_mitigations_and_impact_assessments.risks” item 1, “description”"
    assert f"{risk}: {too_long}" in problems
    assert not System.objects.exists()


def test_a_transparency_record_over_1_mb_is_refused_before_it_is_read(db):
    text = " " * (IMPORTED_RECORD + 1)
    assert atrs.import_record(text, "json") == (
        None,
        [
            f"The record is too long: at most {IMPORTED_RECORD} characters "
            f"(it has {IMPORTED_RECORD + 1})."
        ],
    )


def test_bulk_invitations_name_the_line_with_an_address_too_long_and_show_it_shortened():
    address = "a" * 300 + "@example.org"
    lines, problems = invitations.read_lines(f"sam@example.org\n{address}\n", Role.JUROR)

    assert [line.email for line in lines] == ["sam@example.org"]
    ((number, shown, reason),) = problems
    assert number == 2
    assert reason == "The email address is too long: at most 254 characters (it has 312)."
    assert shown == address[:100] + "…"


def test_ordinary_markdown_still_renders_with_tables_and_is_cleaned():
    html = render_markdown(
        "**Bold** <script>alert(1)</script> [x](javascript:alert(1))\n\n"
        "| Group | Flagged |\n|---|---|\n| Under 30 | 12% |\n\n> quoted\n\n1. one\n2. two"
    )
    assert "<strong>Bold</strong>" in html
    assert "<script" not in html and "javascript:" not in html
    assert "<td>Under 30</td>" in html and "<th>Flagged</th>" in html
    assert "<blockquote>" in html and "<ol>" in html


@pytest.mark.parametrize(
    "text",
    [
        ">" * DOCUMENT,  # quotes nested two hundred thousand deep
        "- " * 30 + "deep",  # lists nested thirty deep, each holding the next
        WIDE_TABLE,  # short rows, each padded to 300 cells
        (WIDE_TABLE + "\n") * 20,  # table after table, each padded
        "".join(f"> {line}\n" for line in WIDE_TABLE.splitlines()),  # the same, in a quote
    ],
    ids=["deep quotes", "deep lists", "wide table", "wide tables", "wide table quoted"],
)
def test_markdown_whose_shape_would_multiply_the_work_is_shown_as_plain_text(text):
    html = render_markdown(text)
    assert "<blockquote" not in html and "<table" not in html
    assert html.startswith("<p>")
    assert len(html) < 10 * len(text)  # every character kept, none multiplied
