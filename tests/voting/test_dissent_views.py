"""The dissent pages and panel: writing, signing, hiding for a legal reason, and what each person
sees."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from juries.models import AuditEntry, Stage
from juries.permissions import access_for
from voting import dissent as service
from voting.models import Dissent, DissentSigner, Recommendation
from voting.views import reports as report_views


@pytest.fixture
def rec(at_stage, make_recommendation):
    at_stage(Stage.REPORT)
    return make_recommendation("Publish the error rates every year.")


def url(name, jury, *args):
    return reverse(f"voting:{name}", args=[jury.slug, *args])


def test_a_juror_writes_a_statement_about_a_recommendation(client, jury, juror, rec):
    client.force_login(juror)
    form = client.get(url("dissent-create", jury) + f"?about={rec.number}").content.decode()
    assert f'<option value="{rec.number}" selected>' in form
    response = client.post(
        url("dissent-create", jury), {"about": str(rec.number), "text": "It goes too far."}
    )
    dissent = Dissent.objects.get()
    assert response.url == url("dissent-list", jury) + f"#dissent-{dissent.pk}"
    assert dissent.recommendation == rec
    assert dissent.written_by == juror


def test_a_statement_about_the_whole_report(client, jury, juror, rec):
    client.force_login(juror)
    client.post(url("dissent-create", jury), {"about": "report", "text": "Rushed."})
    assert Dissent.objects.get().recommendation is None


def test_a_statement_without_words_is_shown_again_with_the_choice_kept(client, jury, juror, rec):
    client.force_login(juror)
    response = client.post(url("dissent-create", jury), {"about": str(rec.number), "text": " "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'<option value="{rec.number}" selected>' in page
    assert not Dissent.objects.exists()


def test_a_long_statement_is_refused_but_its_words_are_kept(client, jury, juror, rec):
    client.force_login(juror)
    words = "My careful words. " * 600  # longer than text_limits.LONG
    response = client.post(url("dissent-create", jury), {"about": "report", "text": words})
    assert response.status_code == 400
    assert "My careful words." in response.content.decode()


def test_another_juror_adds_their_name_and_takes_it_off(client, jury, juror, other_juror, rec):
    dissent = service.write_dissent(jury, juror, "No.", rec)
    client.force_login(other_juror)
    listing = client.get(url("dissent-list", jury)).content.decode()
    assert "Add my name" in listing
    client.post(url("dissent-sign", jury, dissent.pk))
    assert dissent.signers.count() == 2
    listing = client.get(url("dissent-list", jury)).content.decode()
    assert "Signed by 2 jurors: Jo, Kim" in listing
    assert "Take my name off" in listing
    client.post(url("dissent-sign", jury, dissent.pk), {"do": "remove"})
    assert dissent.signers.count() == 1


def test_signing_returns_to_the_page_it_came_from_but_never_to_another_site(
    client, jury, juror, other_juror, rec
):
    dissent = service.write_dissent(jury, juror, "No.", rec)
    client.force_login(other_juror)
    back = client.post(url("dissent-sign", jury, dissent.pk), {"next": "/juries/fraud-scores/x/"})
    assert back.url == "/juries/fraud-scores/x/"
    away = client.post(
        url("dissent-sign", jury, dissent.pk), {"do": "remove", "next": "https://evil.example/"}
    )
    assert away.url.startswith(url("dissent-list", jury))


def test_the_only_signer_is_not_offered_to_take_their_name_off(client, jury, juror, rec):
    service.write_dissent(jury, juror, "No.", rec)
    client.force_login(juror)
    assert "Take my name off" not in client.get(url("dissent-list", jury)).content.decode()


def test_hiding_needs_a_legal_reason_and_the_page_keeps_what_was_typed(
    client, jury, juror, facilitator, rec
):
    dissent = service.write_dissent(jury, juror, "Names Mr X.", rec)
    client.force_login(facilitator)
    page = client.get(url("dissent-hide", jury, dissent.pk)).content.decode()
    assert "Names Mr X." in page
    response = client.post(url("dissent-hide", jury, dissent.pk), {"reason": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    dissent.refresh_from_db()
    assert not dissent.is_hidden
    response = client.post(url("dissent-hide", jury, dissent.pk), {"reason": "x" * 501})
    assert response.status_code == 400
    assert "x" * 501 in response.content.decode()


def test_a_hidden_statement_shows_its_reason_to_everyone_and_its_words_only_to_overseers(
    client, jury, juror, other_juror, facilitator, observer, rec
):
    dissent = service.write_dissent(jury, juror, "Names Mr X.", rec)
    client.force_login(facilitator)
    response = client.post(url("dissent-hide", jury, dissent.pk), {"reason": "Names a person."})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="dissent.hide", actor=facilitator).exists()
    for person, sees_words in ((other_juror, False), (observer, True), (facilitator, True)):
        client.force_login(person)
        page = client.get(url("dissent-list", jury)).content.decode()
        assert "hidden by a facilitator for a legal reason: Names a person." in page
        assert ("Names Mr X." in page) is sees_words, person.public_name
    assert Dissent.objects.get().text == "Names Mr X."


def test_facilitators_have_no_address_to_edit_or_delete_a_statement(
    client, jury, juror, facilitator, rec
):
    dissent = service.write_dissent(jury, juror, "No.", rec)
    names = {pattern.name for pattern in report_views.urlpatterns}
    assert not {name for name in names if "edit" in name or "delete" in name or "remove" in name}
    client.force_login(facilitator)
    for tail in ("edit/", "delete/", "unhide/"):
        address = f"/juries/{jury.slug}/dissent/{dissent.pk}/{tail}"
        assert client.post(address, {"text": "Changed."}).status_code == 404
    # Taking a name off is a juror's own act; a facilitator cannot take anyone's off.
    response = client.post(url("dissent-sign", jury, dissent.pk), {"do": "remove"})
    assert response.status_code == 403
    assert Dissent.objects.get().text == "No."
    assert DissentSigner.objects.count() == 1


def _panel(subject, user, jury):
    request = RequestFactory().get("/somewhere/")
    request.user = user
    template = Template("{% load dissent %}{% dissent_panel subject access %}")
    return template.render(
        Context(
            {"subject": subject, "access": access_for(user, jury), "request": request, "user": user}
        )
    )


def test_the_panel_lists_statements_with_signers_and_offers_to_write_and_sign(
    jury, juror, other_juror, facilitator, rec
):
    dissent = service.write_dissent(jury, juror, "Too weak.", rec)
    service.add_signature(dissent, other_juror)
    html = _panel(rec, juror, jury)
    assert "Too weak." in html
    assert "Signed by 2 jurors: Jo, Kim" in html
    assert f"?about={rec.number}" in html
    assert "Take my name off" in html
    assert 'name="next" value="/somewhere/"' in html
    facilitator_view = _panel(rec, facilitator, jury)
    assert "Hide for a legal reason" in facilitator_view
    assert "Write a statement" not in facilitator_view


def test_the_panel_for_the_jury_shows_statements_about_the_whole_report(jury, juror, rec):
    service.write_dissent(jury, juror, "About the report.")
    service.write_dissent(jury, juror, "About rec 1.", rec)
    html = _panel(jury, juror, jury)
    assert "About the report." in html
    assert "About rec 1." not in html


def test_the_panel_asks_nothing_more_when_dissent_is_prefetched(
    jury, juror, other_juror, rec, make_recommendation, django_assert_num_queries
):
    for number in range(3):
        dissent = service.write_dissent(jury, juror, f"Statement {number}", rec)
        service.add_signature(dissent, other_juror)
    rec = Recommendation.objects.prefetch_related("dissents__signers__juror").get(pk=rec.pk)
    access = access_for(juror, jury)
    request = RequestFactory().get("/")
    request.user = juror
    template = Template("{% load dissent %}{% dissent_panel subject access %}")
    with django_assert_num_queries(0):
        template.render(Context({"subject": rec, "access": access, "request": request}))


def test_the_dissent_list_asks_the_same_number_of_queries_for_more_statements(
    client, jury, juror, other_juror, rec, make_recommendation, django_assert_num_queries
):
    client.force_login(juror)
    service.write_dissent(jury, juror, "One.", rec)
    client.get(url("dissent-list", jury))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("dissent-list", jury))
    other = make_recommendation("Another.")
    for number in range(5):
        dissent = service.write_dissent(jury, juror, f"More {number}", other)
        service.add_signature(dissent, other_juror)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url("dissent-list", jury))


def test_the_panel_stays_out_of_the_way_while_there_is_nothing_to_show_or_do(
    jury, juror, at_stage, make_recommendation
):
    at_stage(Stage.DRAFTING)
    assert _panel(make_recommendation(), juror, jury).strip() == ""
