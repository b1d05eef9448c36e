"""Registering interest in a jury: the public form, the emailed links, withdrawing."""

import re

import pytest
from django.urls import reverse

from juries.models import (
    Answer,
    AuditEntry,
    Recruitment,
    RecruitmentState,
    Visibility,
    Volunteer,
)
from juries.selection import recruitment, volunteer_import

from .recruitment_helpers import add_volunteer, link_in, value

# Each test starts with no registrations counted against the test client's address.
pytestmark = pytest.mark.usefixtures("fresh_rate_limits")


def form_data(categories, **overrides):
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.net",
        f"category_{categories['age'].pk}": value(categories["age"], "30 to 59").pk,
        f"category_{categories['area'].pk}": value(categories["area"], "North").pk,
        "statement_0": "on",
        "statement_1": "on",
        "access_needs": "Step-free access, please",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: item for key, item in data.items() if item is not None}


def register_url(jury):
    return reverse("juries:volunteer-register", args=[jury.slug])


# --- registering ------------------------------------------------------------------------------


def test_registering_stores_an_unconfirmed_volunteer_and_emails_a_confirm_link(
    client, open_jury, categories, mailoutbox
):
    response = client.post(register_url(open_jury), form_data(categories))

    assert response.status_code == 302
    page = client.get(response.url)
    assert "Check your email" in page.content.decode()
    volunteer = Volunteer.objects.get()
    assert (volunteer.name, volunteer.email) == ("Ada Lovelace", "ada@example.net")
    assert volunteer.access_needs == "Step-free access, please"
    assert volunteer.confirmed_at is None and volunteer.consented_at is not None
    assert not Volunteer.objects.in_pool().exists()
    assert sorted(a.value.label for a in Answer.objects.filter(volunteer=volunteer)) == [
        "30 to 59",
        "North",
    ]
    [message] = mailoutbox
    assert message.to == ["ada@example.net"]
    assert link_in(message, "confirm") == volunteer.confirm_url()


def test_opening_the_confirm_link_does_not_confirm(client, open_jury, categories, mailoutbox):
    client.post(register_url(open_jury), form_data(categories))

    response = client.get(link_in(mailoutbox[0], "confirm"))

    assert response.status_code == 200
    assert "Confirm my registration" in response.content.decode()
    assert Volunteer.objects.get().confirmed_at is None


def test_pressing_confirm_puts_the_volunteer_in_the_pool(client, open_jury, categories, mailoutbox):
    client.post(register_url(open_jury), form_data(categories))
    link = link_in(mailoutbox[0], "confirm")

    response = client.post(link, follow=True)

    assert "You are registered" in response.content.decode()
    assert Volunteer.objects.in_pool().count() == 1
    client.post(link)  # a second press changes nothing
    assert Volunteer.objects.in_pool().count() == 1


def test_registering_an_address_again_resends_the_link_and_shows_the_same_page(
    client, open_jury, categories, mailoutbox
):
    first = client.post(register_url(open_jury), form_data(categories))
    again = client.post(
        register_url(open_jury), form_data(categories, name="Someone Else", email="ADA@example.net")
    )

    assert again.status_code == first.status_code == 302
    assert again.url == first.url
    assert Volunteer.objects.count() == 1
    assert Volunteer.objects.get().name == "Ada Lovelace", "a stranger changed the details"
    assert [link_in(m, "confirm") for m in mailoutbox] == [
        Volunteer.objects.get().confirm_url()
    ] * 2


def test_registering_a_confirmed_address_again_sends_an_already_registered_note(
    client, open_jury, categories, mailoutbox
):
    add_volunteer(open_jury, categories)
    mailoutbox.clear()

    response = client.post(register_url(open_jury), form_data(categories))

    assert response.status_code == 302 and "sent=1" in response.url
    [message] = mailoutbox
    assert "already registered" in message.subject
    assert "/confirm/" not in message.body
    assert Volunteer.objects.count() == 1


def test_the_form_asks_each_question_as_a_group_of_choices(client, open_jury, categories):
    page = client.get(register_url(open_jury)).content.decode()

    assert "<legend>How old are you?</legend>" in page
    assert "<legend>Where in the borough do you live?</legend>" in page
    assert "I live in the borough" in page and "I am 16 or older" in page
    assert reverse("juries:volunteer-privacy", args=[open_jury.slug]) in page
    assert "never affects whether you are selected" in page


def test_the_honeypot_field_is_hidden_from_people(client, open_jury, categories):
    page = client.get(register_url(open_jury)).content.decode()

    hidden = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', page, re.S)
    assert hidden and "Leave this empty" in hidden.group(1)
    assert 'tabindex="-1"' in hidden.group(1) and 'autocomplete="off"' in hidden.group(1)


def test_a_filled_honeypot_pretends_success_and_stores_nothing(
    client, open_jury, categories, mailoutbox
):
    response = client.post(
        register_url(open_jury), form_data(categories, website="http://spam.example")
    )

    assert response.status_code == 302 and "sent=1" in response.url
    assert not Volunteer.objects.exists()
    assert mailoutbox == []


def test_a_form_with_errors_keeps_what_was_typed_and_says_what_is_wrong(
    client, open_jury, categories, mailoutbox
):
    data = form_data(categories, email="not-an-address", statement_1=None)
    data.pop(f"category_{categories['area'].pk}")

    response = client.post(register_url(open_jury), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter an email address like name@example.org." in page
    assert "Choose an answer to “Where in the borough do you live?”." in page
    assert "Confirm “I am 16 or older”" in page
    assert 'value="Ada Lovelace"' in page and 'value="not-an-address"' in page
    assert "Step-free access, please" in page
    age_choice = value(categories["age"], "30 to 59").pk
    assert re.search(rf'value="{age_choice}"[^>]*checked', page), "the chosen answer was lost"
    assert not Volunteer.objects.exists() and mailoutbox == []


def test_registering_without_consent_is_refused(client, open_jury, categories):
    response = client.post(register_url(open_jury), form_data(categories, consent=None))

    assert "Tick the box to agree to the privacy notice" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_registrations_past_the_hourly_limit_are_refused_keeping_the_form(
    client, open_jury, categories, settings, mailoutbox
):
    settings.VOLUNTEER_REGISTRATIONS_PER_HOUR = 2
    for n in range(2):
        response = client.post(register_url(open_jury), form_data(categories, email=f"p{n}@x.org"))
        assert response.status_code == 302

    response = client.post(
        register_url(open_jury), form_data(categories, name="Third", email="p3@x.org")
    )

    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many registrations have come from your network" in page
    assert 'value="Third"' in page and 'value="p3@x.org"' in page
    assert Volunteer.objects.count() == 2 and len(mailoutbox) == 2


def test_the_hourly_limit_counts_each_address_separately(client, open_jury, categories, settings):
    settings.VOLUNTEER_REGISTRATIONS_PER_HOUR = 1
    client.post(register_url(open_jury), form_data(categories, email="a@x.org"))

    response = client.post(
        register_url(open_jury), form_data(categories, email="b@x.org"), REMOTE_ADDR="10.0.0.9"
    )

    assert response.status_code == 302
    assert Volunteer.objects.count() == 2


@pytest.mark.parametrize("state", [RecruitmentState.NOT_OPEN, RecruitmentState.CLOSED])
def test_registration_that_is_not_open_says_so_and_stores_nothing(
    client, open_jury, categories, state, mailoutbox
):
    Recruitment.objects.filter(jury=open_jury).update(state=state)

    shown = client.get(register_url(open_jury))
    posted = client.post(register_url(open_jury), form_data(categories))

    assert shown.status_code == posted.status_code == 200
    assert "Registration is not open" in shown.content.decode()
    assert "Your name" not in shown.content.decode()
    assert not Volunteer.objects.exists() and mailoutbox == []


def test_a_jury_without_recruitment_settings_is_not_open(client, jury):
    jury.visibility = Visibility.PUBLIC
    jury.save()

    response = client.get(register_url(jury))

    assert "Registration is not open" in response.content.decode()
    assert not Recruitment.objects.exists(), "a stranger's visit created a row"


def test_the_shared_form_works_while_the_jury_itself_is_not_yet_public(
    client, open_jury, categories
):
    open_jury.visibility = Visibility.HIDDEN
    open_jury.save()

    assert client.get(register_url(open_jury)).status_code == 200
    assert client.get(reverse("juries:volunteer-privacy", args=[open_jury.slug])).status_code == 200
    client.post(register_url(open_jury), form_data(categories))
    assert Volunteer.objects.count() == 1
    assert client.get(reverse("juries:public", args=[open_jury.slug])).status_code == 404


def test_a_private_jury_not_recruiting_has_no_registration_page_for_strangers(
    client, open_jury, categories
):
    open_jury.visibility = Visibility.HIDDEN
    open_jury.save()
    Recruitment.objects.filter(jury=open_jury).update(state="closed")

    assert client.get(register_url(open_jury)).status_code == 404
    assert client.post(register_url(open_jury), form_data(categories)).status_code == 404
    privacy = reverse("juries:volunteer-privacy", args=[open_jury.slug])
    assert client.get(privacy).status_code == 404
    assert not Volunteer.objects.exists()


def test_the_public_page_offers_registration_only_while_it_is_open(client, open_jury):
    public = reverse("juries:public", args=[open_jury.slug])

    assert "Register your interest" in client.get(public).content.decode()
    Recruitment.objects.filter(jury=open_jury).update(state=RecruitmentState.CLOSED)
    assert "Register your interest" not in client.get(public).content.decode()


def test_the_privacy_notice_says_how_long_details_are_kept_and_whom_to_ask(client, open_jury):
    open_jury.help_contact = "selection@council.example"
    open_jury.save()
    Recruitment.objects.filter(jury=open_jury).update(retention_days=45)

    page = client.get(reverse("juries:volunteer-privacy", args=[open_jury.slug])).content.decode()

    assert "45 days after the jury publishes its report" in page
    assert "selection@council.example" in page
    assert "Only the jury's facilitators can see your name" in page


def test_confirming_after_registration_closed_is_refused(client, open_jury, categories):
    volunteer = add_volunteer(open_jury, categories, confirmed=False)
    Recruitment.objects.filter(jury=open_jury).update(state=RecruitmentState.CLOSED)

    response = client.post(volunteer.confirm_url())

    assert response.status_code == 200
    assert "Registration has closed" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.confirmed_at is None


# --- withdrawing ------------------------------------------------------------------------------


def test_opening_the_withdraw_link_does_not_withdraw(client, open_jury, categories):
    volunteer = add_volunteer(open_jury, categories)

    response = client.get(volunteer.withdraw_url())

    assert "Withdraw and erase my details" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.withdrawn_at is None and volunteer.email == "ada@example.net"


def test_withdrawing_erases_contact_details_at_once_and_keeps_the_answers(
    client, open_jury, categories, mailoutbox
):
    volunteer = add_volunteer(open_jury, categories)
    pseudonym = volunteer.pseudonym
    mailoutbox.clear()

    response = client.post(volunteer.withdraw_url(), follow=True)

    assert "You have withdrawn" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.withdrawn_at is not None
    assert volunteer.name == "" and volunteer.access_needs == ""
    assert "ada" not in volunteer.email and volunteer.email.endswith("@invalid")
    assert volunteer.pseudonym == pseudonym
    assert volunteer.answers.count() == 2
    assert not Volunteer.objects.in_pool().exists()
    [message] = mailoutbox
    assert message.to == ["ada@example.net"]
    assert "withdrawn" in message.subject


def test_withdrawing_twice_is_harmless(client, open_jury, categories, mailoutbox):
    volunteer = add_volunteer(open_jury, categories)
    mailoutbox.clear()

    client.post(volunteer.withdraw_url())
    response = client.post(volunteer.withdraw_url(), follow=True)

    assert "You have withdrawn" in response.content.decode()
    assert len(mailoutbox) == 1


def test_someone_who_withdrew_can_register_again(client, open_jury, categories):
    volunteer = add_volunteer(open_jury, categories)
    recruitment.withdraw(volunteer)

    response = client.post(register_url(open_jury), form_data(categories))

    assert response.status_code == 302
    assert Volunteer.objects.filter(email="ada@example.net", withdrawn_at=None).count() == 1


def test_a_withdrawn_volunteer_cannot_confirm(client, open_jury, categories):
    volunteer = add_volunteer(open_jury, categories, confirmed=False)
    recruitment.withdraw(volunteer)

    response = client.post(volunteer.confirm_url())

    assert "You have withdrawn" in response.content.decode()
    volunteer.refresh_from_db()
    assert volunteer.confirmed_at is None


@pytest.mark.parametrize("kind", ["confirm", "withdraw"])
def test_an_unknown_link_says_so_in_plain_words(client, db, kind):
    response = client.get(reverse(f"juries:volunteer-{kind}", args=["no-such-token"]))

    assert response.status_code == 404
    assert "We could not find this link" in response.content.decode()
    assert client.post(reverse(f"juries:volunteer-{kind}", args=["nope"])).status_code == 404


def test_contact_details_never_reach_the_audit_log(client, open_jury, categories, facilitator):
    client.force_login(facilitator)
    recruitment.close_recruitment(open_jury, facilitator)
    recruitment.open_recruitment(open_jury, facilitator)
    volunteer = add_volunteer(open_jury, categories)
    recruitment.withdraw(volunteer)
    csv_text = "name,email,age,area\nGrace Hopper,grace@example.net,60 or older,South\n"
    volunteer_import.import_volunteers(open_jury, csv_text, facilitator)
    client.get(reverse("juries:volunteer-export", args=[open_jury.slug]))

    logged = " ".join(
        f"{e.summary} {e.target_label}" for e in AuditEntry.objects.filter(jury=open_jury)
    )
    assert "recruitment.import" in AuditEntry.objects.values_list("action", flat=True)
    for secret in ("ada@example.net", "Ada", "grace@example.net", "Grace", "Large print"):
        assert secret not in logged
