"""Every page of the oversight body's answers refuses the wrong person.

At the response stage, with the report published:
- answering (the list, the answer form, the progress form; GET and POST) is for oversight
  members only: other members get 403, people outside the jury 404, anonymous visitors are sent
  to sign in; and oversight members cannot answer at any other stage;
- the accountability page is public for a public jury, for members only otherwise (404 to
  anyone else, signed in or not);
- the feed exists only for public juries: 404 for a hidden one, even to its members.
"""

import pytest
from django.urls import reverse

from juries.models import Visibility
from tests.voting.responses_factories import decided_jury
from voting.models import Response, ResponseStatus
from voting.responses import record_response
from voting.views import responses as response_views

ANSWERING = ["responses", "response-answer", "response-progress"]
OTHERS = ["facilitator", "juror", "witness", "observer"]


def test_every_response_url_is_listed():
    names = {pattern.name for pattern in response_views.urlpatterns}
    assert names == {*ANSWERING, "accountability", "accountability-feed"}


@pytest.fixture
def answered(jury, make_recommendation, personas):
    """Recommendation 1 answered, recommendation 2 not; the jury hidden."""
    recs = decided_jury(jury, make_recommendation, adopted=2, not_adopted=0)
    record_response(recs[0], personas["oversight"], ResponseStatus.ACCEPTED, "Agreed.")
    return recs


def url(name, jury):
    if name == "responses":
        return reverse("voting:responses", args=[jury.slug])
    return reverse(f"voting:{name}", args=[jury.slug, 1])


@pytest.mark.parametrize("name", ANSWERING)
@pytest.mark.parametrize("role", OTHERS)
def test_other_members_cannot_open_or_post_the_answering_pages(
    client, jury, answered, personas, name, role
):
    client.force_login(personas[role])
    assert client.get(url(name, jury)).status_code == 403
    assert client.post(url(name, jury), {"status": "accepted"}).status_code == 403


@pytest.mark.parametrize("name", ANSWERING)
def test_people_outside_the_jury_do_not_find_the_answering_pages(
    client, jury, answered, outsider, name
):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    client.force_login(outsider)
    assert client.get(url(name, jury)).status_code == 404
    assert client.post(url(name, jury), {"status": "accepted"}).status_code == 404


@pytest.mark.parametrize("name", ANSWERING)
def test_anonymous_visitors_are_sent_to_sign_in(client, jury, answered, name):
    for response in (client.get(url(name, jury)), client.post(url(name, jury))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ANSWERING)
def test_the_oversight_member_opens_the_answering_pages(client, jury, answered, oversight, name):
    client.force_login(oversight)
    assert client.get(url(name, jury)).status_code == 200


@pytest.mark.parametrize("name", ANSWERING)
def test_oversight_members_cannot_answer_before_the_response_stage(
    client, jury, answered, oversight, name
):
    jury.stage = "report"
    jury.save()
    client.force_login(oversight)
    assert client.get(url(name, jury)).status_code == 403
    assert client.post(url(name, jury), {"status": "accepted", "reasons": "R"}).status_code == 403
    assert Response.objects.count() == 1


def test_a_recommendation_of_another_jury_is_not_found_through_this_one(
    client, jury, make_jury, answered, oversight
):
    other = make_jury(slug="other-jury")
    client.force_login(oversight)
    assert client.get(reverse("voting:response-answer", args=[other.slug, 1])).status_code == 404
    assert client.get(reverse("voting:response-answer", args=[jury.slug, 99])).status_code == 404


# --- The accountability page and its feed ----------------------------------------------------


def accountability(jury):
    return reverse("voting:accountability", args=[jury.slug])


def feed(jury):
    return reverse("voting:accountability-feed", args=[jury.slug])


def test_a_public_jury_accountability_page_and_feed_are_open_to_anyone(
    client, jury, answered, outsider
):
    jury.visibility = Visibility.PUBLIC
    jury.save()
    assert client.get(accountability(jury)).status_code == 200
    assert client.get(feed(jury)).status_code == 200
    client.force_login(outsider)
    assert client.get(accountability(jury)).status_code == 200


def test_a_hidden_jury_accountability_page_is_for_members_only(client, jury, answered, personas):
    assert client.get(accountability(jury)).status_code == 404
    client.force_login(personas["outsider"])
    assert client.get(accountability(jury)).status_code == 404
    for role in [*OTHERS, "oversight"]:
        client.force_login(personas[role])
        assert client.get(accountability(jury)).status_code == 200, role


def test_a_hidden_jury_has_no_feed_even_for_its_members(client, jury, answered, juror, outsider):
    assert client.get(feed(jury)).status_code == 404
    client.force_login(outsider)
    assert client.get(feed(jury)).status_code == 404
    client.force_login(juror)
    assert client.get(feed(jury)).status_code == 404


def test_an_unknown_jury_has_no_accountability_page(client, db):
    assert client.get(reverse("voting:accountability", args=["nobody"])).status_code == 404
    assert client.get(reverse("voting:accountability-feed", args=["nobody"])).status_code == 404
