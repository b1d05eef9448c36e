"""Reading progress as pictures: a juror's own progress through each pack, and for facilitators
how many jurors have opened each pack; the same numbers in a table."""

from django.urls import reverse

from evidence import packs as pack_service

from .test_packs import add_item


def test_a_juror_sees_their_progress_through_a_pack_drawn_as_a_bar(client, jury, juror, pack):
    first, _second, _third = (add_item(pack, n) for n in (1, 2, 3))
    pack_service.record_reading(item=first, user=juror)
    client.force_login(juror)

    response = client.get(reverse("evidence:index", args=[jury.slug]))

    [shown] = response.context["packs"]
    chart = shown.progress
    assert chart.table.rows == [(chart.title, ["1", "3", "33.3%"])]
    assert chart.bars[0]["shapes"][0].width == round(chart.width / 3, 2)
    assert f'<title id="{chart.title_id}">' in response.content.decode()


def test_facilitators_see_how_many_jurors_have_opened_each_pack(
    client, jury, juror, other_juror, facilitator, pack
):
    item = add_item(pack, 1)
    pack_service.record_reading(item=item, user=juror)
    client.force_login(facilitator)

    response = client.get(reverse("evidence:index", args=[jury.slug]))

    chart = response.context["opened_chart"]
    [bar] = chart.bars
    assert bar["label"] == pack.title
    assert [shape.value for shape in bar["shapes"]] == [1, 1]
    assert chart.table.rows == [("Opened", ["1", "50%"]), ("Not opened yet", ["1", "50%"])]
    assert "<svg" in response.content.decode()
