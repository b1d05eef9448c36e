"""The published draw's privacy: small groups are flagged before publication, never counted on
the public page, and can be made broader by merging answers."""

import pytest
from django.urls import reverse

from juries.models import Answer, AuditEntry, CategoryValue, Jury, Visibility
from juries.selection import disclosure, quotas

from .draw_helpers import drawn_draw, make_pool, text_of, url
from .quota_helpers import add_volunteer

# --- the rules ------------------------------------------------------------------------------


def test_people_sharing_answers_with_fewer_than_two_others_are_counted():
    pool = [{"age": "young", "area": "north"}] * 3 + [
        {"age": "old", "area": "north"},
        {"age": "old", "area": "south"},
        {"age": "old", "area": "south"},
    ]
    groups = disclosure.small_groups(pool, ["age", "area"])
    assert (groups.people, groups.profiles) == (3, 2)
    # Without the area question, the three older people form one group of three; without the
    # age question, the two in the south are still a small group.
    assert groups.without == {"age": 2, "area": 0}
    assert groups.best_to_drop() == ["area", "age"]
    assert groups.rare_answers == [("area", "south", 2)]


def test_answers_given_by_fewer_than_three_people_are_named_as_candidates_to_merge():
    pool = [{"age": "young"}] * 5 + [{"age": "over 90"}]
    groups = disclosure.small_groups(pool, ["age"])
    assert groups.rare_answers == [("age", "over 90", 1)]


def test_a_pool_without_small_groups_raises_nothing():
    groups = disclosure.small_groups([{"age": "young"}] * 3, ["age"])
    assert not groups.any


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([10, 20], [10, 20]),
        ([0, 20], [0, 20]),
        ([2, 20, 30], [disclosure.SMALL, disclosure.WITHHELD, 30]),
        # With the total known, two hidden counts adding up to 2 or 4 would both be known.
        ([1, 1, 30], [disclosure.SMALL, disclosure.SMALL, disclosure.WITHHELD]),
        ([2, 2, 30, 40], [disclosure.SMALL, disclosure.SMALL, disclosure.WITHHELD, 40]),
        ([2], [disclosure.SMALL]),
        ([2, 0], [disclosure.SMALL, 0]),
    ],
)
def test_small_counts_are_hidden_and_so_is_one_more_when_the_total_would_tell(counts, shown):
    assert disclosure.suppress_small(counts) == shown


# --- the quotas page warns, and merging answers fixes it -----------------------------------------


@pytest.fixture
def ages(jury, facilitator):
    category = quotas.add_category(
        jury, facilitator, "Age", "How old are you?", ["16 to 24", "25 to 34", "35 or over"]
    )
    young, middle, older = category.values.all()
    number = 0
    for value, count in ((young, 2), (middle, 4), (older, 10)):
        for _ in range(count):
            number += 1
            add_volunteer(jury, number, {category: value})
    return category, young, middle, older


def quota_page(client, jury):
    return text_of(client.get(reverse("juries:quotas", args=[jury.slug])))


def test_the_quotas_page_warns_about_people_who_could_be_recognised(
    client, jury, ages, facilitator
):
    client.force_login(facilitator)
    page = quota_page(client, jury)
    assert "Some volunteers could be recognised" in page
    assert "2 volunteers in the pool have a combination of answers" in page
    assert "Age: 16 to 24 (2)" in page
    assert "Merge answers" in page


def test_merging_answers_moves_the_volunteers_and_adds_up_the_quotas(
    client, jury, ages, facilitator
):
    category, young, middle, older = ages
    CategoryValue.objects.filter(pk=young.pk).update(minimum=1, maximum=3, population_share=12)
    CategoryValue.objects.filter(pk=middle.pk).update(minimum=2, maximum=4, population_share=15)
    client.force_login(facilitator)
    merge = reverse("juries:category-merge", args=[jury.slug, category.pk])

    form = text_of(client.get(merge))
    assert "16 to 24 (2 in the pool)" in form

    response = client.post(merge, {"values": [young.pk, middle.pk], "label": "16 to 34"})

    assert response.status_code == 302
    merged = CategoryValue.objects.get(category=category, label="16 to 34")
    assert (merged.minimum, merged.maximum, merged.population_share) == (3, 7, 27)
    assert Answer.objects.filter(value=merged).count() == 6
    assert list(category.values.values_list("label", flat=True)) == ["16 to 34", "35 or over"]
    entry = AuditEntry.objects.get(action="selection.value.merge")
    assert "16 to 24" in entry.summary and "16 to 34" in entry.summary
    assert "could be recognised" not in quota_page(client, jury)


def test_merging_may_reuse_the_label_of_an_answer_being_merged(jury, ages, facilitator):
    category, young, middle, _older = ages
    merged = quotas.merge_values(category, facilitator, [young, middle], "25 to 34")
    assert merged.label == "25 to 34"
    assert category.values.count() == 2


def test_a_merge_that_would_leave_one_answer_is_refused_and_keeps_what_was_typed(
    client, jury, ages, facilitator
):
    category, young, middle, older = ages
    client.force_login(facilitator)
    merge = reverse("juries:category-merge", args=[jury.slug, category.pk])

    response = client.post(merge, {"values": [young.pk, middle.pk, older.pk], "label": "Anyone"})

    assert response.status_code == 200
    page = text_of(response)
    assert "A category needs at least two answers" in page
    assert 'value="Anyone"' in page
    assert category.values.count() == 3


def test_a_merge_of_one_answer_is_refused_with_a_message(client, jury, ages, facilitator):
    category, young, _middle, _older = ages
    client.force_login(facilitator)
    merge = reverse("juries:category-merge", args=[jury.slug, category.pk])

    response = client.post(merge, {"values": [young.pk], "label": "Young"})

    assert response.status_code == 200
    assert "Choose at least two answers to merge." in text_of(response)


# --- the public page never counts a group of fewer than three ------------------------------------


def test_the_public_page_hides_small_counts_and_one_more(
    client, jury, facilitator, django_capture_on_commit_callbacks
):
    Jury.objects.filter(pk=jury.pk).update(visibility=Visibility.PUBLIC, stage="selection")
    jury.refresh_from_db()
    pool_quotas = {
        "gender": {"female": (2, 5), "male": (2, 5), "non-binary": (0, 1)},
        "age": {"under 40": (3, 5), "40 or over": (3, 5)},
    }
    volunteers = make_pool(jury, quotas=pool_quotas)
    other = CategoryValue.objects.get(label="non-binary")
    Answer.objects.filter(volunteer__in=volunteers[:2], category=other.category).update(value=other)
    drawn_draw(jury, facilitator, django_capture_on_commit_callbacks)

    page = text_of(client.get(url("selection-public", jury)))

    # 40 people: 22 female, 16 male, 2 non-binary. The 2 is hidden, and so is the 16, which
    # with the total of 40 would give the 2 away.
    assert '<th scope="row">non-binary</th><td>fewer than 3</td>' in page
    assert '<th scope="row">male</th><td>not shown</td>' in page
    assert '<th scope="row">female</th><td>22</td>' in page
    assert '<th scope="row">under 40</th><td>14</td>' in page
    assert "are not counted exactly" in page


def test_the_privacy_notice_says_what_the_public_record_contains(client, jury):
    Jury.objects.filter(pk=jury.pk).update(visibility=Visibility.PUBLIC, stage="selection")
    page = text_of(client.get(url("volunteer-privacy", jury)))
    assert "What the public record of the lottery contains" in page
    assert "grouped with the codes of everyone who gave exactly the same answers" in page
    assert "If the jury never publishes a report, we delete them 365 days after" in page
    assert "access needs when the jury publishes its report" in page
