"""The questions-and-quotas pages: who may open them, what they show, and what they change."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from juries.models import AuditEntry, Category, CategoryValue, Draw, Jury, Recruitment, Stage
from juries.selection import pool_check, quotas

from .quota_helpers import add_volunteer, fill_pool


@pytest.fixture
def gender(jury, facilitator):
    Recruitment.objects.create(jury=jury, panel_size=10)
    category = quotas.add_category(
        jury, facilitator, "Gender", "What is your gender?", ["Woman", "Man"]
    )
    woman, man = category.values.all()
    return category, woman, man


def page_url(jury):
    return reverse("juries:quotas", args=[jury.slug])


def quota_data(woman, man, **changes):
    data = {
        f"share-{woman.pk}": "51",
        f"min-{woman.pk}": "4",
        f"max-{woman.pk}": "6",
        f"share-{man.pk}": "49",
        f"min-{man.pk}": "4",
        f"max-{man.pk}": "",
    }
    data.update(changes)
    return data


# --- who may open what ---------------------------------------------------------------------------


def every_url(jury, category):
    """(url, methods) for every page here: the quotas page reads with GET and changes with POST."""
    return [
        (page_url(jury), ("GET", "POST")),
        (reverse("juries:category-create", args=[jury.slug]), ("GET", "POST")),
        (reverse("juries:category-edit", args=[jury.slug, category.pk]), ("GET", "POST")),
        (reverse("juries:category-delete", args=[jury.slug, category.pk]), ("GET", "POST")),
        (reverse("juries:category-merge", args=[jury.slug, category.pk]), ("GET", "POST")),
    ]


def send(client, method, url):
    return client.post(url) if method == "POST" else client.get(url)


def test_anonymous_visitors_are_sent_to_sign_in(client, jury, gender):
    for url, methods in every_url(jury, gender[0]):
        for method in methods:
            response = send(client, method, url)
            assert response.status_code == 302, (url, method)
            assert response.url.startswith(reverse("account_login"))


def test_outsiders_are_told_the_pages_do_not_exist(client, jury, gender, outsider):
    client.force_login(outsider)

    for url, methods in every_url(jury, gender[0]):
        for method in methods:
            response = send(client, method, url)
            assert response.status_code == 404, (url, method)
            assert jury.title not in response.content.decode()


@pytest.mark.parametrize("role", ["juror", "witness", "oversight"])
def test_members_without_the_right_are_forbidden(client, jury, gender, personas, role):
    client.force_login(personas[role])
    entries = AuditEntry.objects.count()

    for url, methods in every_url(jury, gender[0]):
        for method in methods:
            assert send(client, method, url).status_code == 403, (url, method)
    assert AuditEntry.objects.count() == entries


def test_observers_may_read_the_quotas_but_change_nothing(client, jury, gender, observer):
    category, woman, man = gender
    client.force_login(observer)
    pool = [add_volunteer(jury, n, {category: woman}) for n in range(1, 4)]

    page = client.get(page_url(jury))

    assert page.status_code == 200
    text = page.content.decode()
    assert "<caption" in text and "Gender" in text
    assert "You can read these figures but not change them." in text
    assert 'name="min-' not in text
    assert "Add a category" not in text
    for volunteer in pool:
        assert volunteer.name not in text
        assert volunteer.email not in text
    assert client.post(page_url(jury), quota_data(woman, man)).status_code == 403
    for url, _methods in every_url(jury, category)[1:]:
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    woman.refresh_from_db()
    assert woman.minimum == 0


def test_facilitators_read_only_once_jurors_are_learning(client, jury, gender, facilitator):
    category, woman, man = gender
    Jury.objects.filter(pk=jury.pk).update(stage=Stage.LEARNING)
    client.force_login(facilitator)

    page = client.get(page_url(jury))

    assert page.status_code == 200
    assert 'name="min-' not in page.content.decode()
    assert client.post(page_url(jury), quota_data(woman, man)).status_code == 403
    assert client.get(reverse("juries:category-create", args=[jury.slug])).status_code == 403


# --- the quotas page ----------------------------------------------------------------------------


def test_the_page_shows_each_category_as_a_table_of_the_pool(client, jury, gender, facilitator):
    category, woman, man = gender
    quotas.set_quotas(jury, facilitator, {woman.pk: (Decimal("51"), 4, 6), man.pk: (None, 0, None)})
    fill_pool(jury, category, {woman: 3, man: 1})
    client.force_login(facilitator)

    text = client.get(page_url(jury)).content.decode()

    assert f'<caption id="category-{category.pk}-caption">Gender</caption>' in text
    assert "3 (75%)" in text and "1 (25%)" in text
    assert "4 to 6 seats" in text
    assert "40% to 60% of the panel" in text
    assert "4 volunteers are in the pool" in text


def test_saving_quotas_from_the_page(client, jury, gender, facilitator):
    _category, woman, man = gender
    client.force_login(facilitator)

    response = client.post(page_url(jury), quota_data(woman, man), follow=True)

    assert response.redirect_chain[-1][0] == page_url(jury)
    assert "The quotas have been saved." in response.content.decode()
    assert pool_check.quotas_for(jury) == {("Gender", "Woman"): (4, 6), ("Gender", "Man"): (4, 10)}


def test_the_form_keeps_what_was_typed_and_lists_the_problems(client, jury, gender, facilitator):
    _category, woman, man = gender
    client.force_login(facilitator)

    response = client.post(
        page_url(jury), quota_data(woman, man, **{f"min-{woman.pk}": "7", f"max-{man.pk}": "lots"})
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "The maximum for Gender: Woman is 6, less than its minimum of 7." in text
    assert "Enter a number for Gender: Man." in text
    assert f'href="#id_max-{woman.pk}"' in text
    assert f'name="min-{woman.pk}" value="7"' in text
    assert f'name="max-{man.pk}" value="lots"' in text
    woman.refresh_from_db()
    assert woman.minimum == 0


def test_shares_not_adding_up_are_saved_with_a_warning(client, jury, gender, facilitator):
    _category, woman, man = gender
    client.force_login(facilitator)

    response = client.post(
        page_url(jury), quota_data(woman, man, **{f"share-{man.pk}": "40"}), follow=True
    )

    assert "add up to 91%, not 100%" in response.content.decode()
    man.refresh_from_db()
    assert man.population_share == Decimal("40")


def test_the_suggest_button_fills_minimums_and_maximums(client, jury, gender, facilitator):
    _category, woman, man = gender
    quotas.set_quotas(
        jury, facilitator, {woman.pk: (Decimal("51"), 0, None), man.pk: (Decimal("49"), 0, None)}
    )
    client.force_login(facilitator)

    page = client.get(page_url(jury)).content.decode()
    assert "Suggest minimums and maximums from the population shares" in page
    response = client.post(page_url(jury), {"suggest": "1"}, follow=True)

    assert "worked out from the population shares" in response.content.decode()
    assert pool_check.quotas_for(jury) == {("Gender", "Woman"): (4, 7), ("Gender", "Man"): (3, 6)}


def test_the_page_says_quotas_that_cannot_be_met_and_what_to_relax(
    client, jury, gender, facilitator
):
    category, woman, man = gender
    Recruitment.objects.filter(jury=jury).update(panel_size=24)
    fill_pool(jury, category, {woman: 5, man: 30})
    quotas.set_quotas(jury, facilitator, {woman.pk: (None, 20, None), man.pk: (None, 0, None)})
    client.force_login(facilitator)

    text = client.get(page_url(jury)).content.decode()

    assert "These quotas cannot be met" in text
    assert "Gender: Woman (at least 20, at most 24)" in text
    assert "Lower the minimum for Gender: Woman from 20 to 5." in text
    assert "The minimum for Gender = Woman is 20 but only 5 volunteers in the pool have it." in text
    assert "No draw can start until the quotas can be met." in text


def test_the_page_says_quotas_that_can_be_met(client, jury, gender, facilitator, observer):
    category, woman, man = gender
    fill_pool(jury, category, {woman: 8, man: 8})
    quotas.set_quotas(jury, facilitator, {woman.pk: (None, 4, 6), man.pk: (None, 4, 6)})
    client.force_login(observer)

    text = client.get(page_url(jury)).content.decode()

    assert "These quotas can be met." in text
    assert "No draw can start" not in text


def test_the_page_says_when_there_is_no_pool_or_no_category(client, jury, facilitator):
    client.force_login(facilitator)
    assert "There are no categories yet" in client.get(page_url(jury)).content.decode()

    Recruitment.objects.create(jury=jury, panel_size=10)
    quotas.add_category(jury, facilitator, "Area", "Where do you live?", ["North", "South"])

    assert "Nobody is in the pool yet" in client.get(page_url(jury)).content.decode()


def test_once_a_draw_is_published_the_page_is_read_only(client, jury, gender, facilitator):
    _category, woman, man = gender
    Draw.objects.create(jury=jury, panel_size=10, state="published")
    client.force_login(facilitator)

    text = client.get(page_url(jury)).content.decode()
    assert "can no longer be changed" in text
    assert 'name="min-' not in text
    response = client.post(page_url(jury), quota_data(woman, man), follow=True)

    assert "can no longer be changed" in response.content.decode()
    woman.refresh_from_db()
    assert woman.minimum == 0
    create = client.get(reverse("juries:category-create", args=[jury.slug]))
    assert create.status_code == 302


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["facilitator", "observer"])
def test_page_queries_do_not_grow_with_the_pool(client, jury, gender, personas, who):
    category, woman, man = gender
    age = quotas.add_category(jury, personas["facilitator"], "Age", "How old?", ["Young", "Old"])
    young, old = age.values.all()
    client.force_login(personas[who])
    fill_pool(jury, category, {woman: 2, man: 2})
    client.get(page_url(jury))  # the first request of a session does its own bookkeeping
    small = queries_for(client, page_url(jury))

    for number in range(100, 140):
        add_volunteer(
            jury,
            number,
            {category: woman if number % 2 else man, age: young if number % 3 else old},
        )

    assert queries_for(client, page_url(jury)) == small


# --- categories ---------------------------------------------------------------------------------


def test_adding_a_category_from_its_page(client, jury, facilitator):
    client.force_login(facilitator)
    url = reverse("juries:category-create", args=[jury.slug])

    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "Age", "question": "How old are you?", "values": "16-29\n30-64\n\n65+\n"}
    )

    assert response.status_code == 302
    category = Category.objects.get(jury=jury)
    assert list(category.values.values_list("label", flat=True)) == ["16-29", "30-64", "65+"]


def test_a_category_form_with_problems_is_shown_again(client, jury, gender, facilitator):
    client.force_login(facilitator)

    response = client.post(
        reverse("juries:category-create", args=[jury.slug]),
        {"name": "Gender", "question": "Again?", "values": "Only one"},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Give at least two answers, one on each line." in text
    assert "Only one" in text
    assert Category.objects.filter(jury=jury).count() == 1


def test_a_duplicate_category_name_is_explained(client, jury, gender, facilitator):
    client.force_login(facilitator)

    response = client.post(
        reverse("juries:category-create", args=[jury.slug]),
        {"name": "gender", "question": "Again?", "values": "A\nB"},
    )

    assert "There is already a category called “gender”." in response.content.decode()


def test_editing_a_category_from_its_page(client, jury, gender, facilitator):
    category, _woman, _man = gender
    client.force_login(facilitator)
    url = reverse("juries:category-edit", args=[jury.slug, category.pk])

    assert "Woman\nMan" in client.get(url).content.decode()
    response = client.post(
        url, {"name": "Gender", "question": "Which?", "values": "Woman\nMan\nOther"}
    )

    assert response.status_code == 302
    assert category.values.count() == 3


def test_an_answered_category_is_not_offered_for_deletion(client, jury, gender, facilitator):
    category, woman, _man = gender
    add_volunteer(jury, 1, {category: woman})
    client.force_login(facilitator)
    url = reverse("juries:category-delete", args=[jury.slug, category.pk])

    page = client.get(url).content.decode()
    assert "cannot be deleted: 1 volunteer has already answered it" in page
    assert "Delete the category</button>" not in page
    client.post(url)

    assert Category.objects.filter(pk=category.pk).exists()


def test_deleting_a_category_after_confirming(client, jury, gender, facilitator):
    category, _woman, _man = gender
    client.force_login(facilitator)
    url = reverse("juries:category-delete", args=[jury.slug, category.pk])

    assert "Delete the category</button>" in client.get(url).content.decode()
    response = client.post(url)

    assert response.status_code == 302
    assert not Category.objects.filter(pk=category.pk).exists()
    assert not CategoryValue.objects.exists()


def test_a_category_of_another_jury_is_not_found(client, jury, make_jury, facilitator):
    other = make_jury(slug="other-jury")
    category = Category.objects.create(jury=other, name="Age", question="?")
    client.force_login(facilitator)

    assert (
        client.get(reverse("juries:category-edit", args=[jury.slug, category.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("juries:category-delete", args=[jury.slug, category.pk])).status_code
        == 404
    )
