"""The balance of evidence by standpoint as a chart: one bar per pack, split by standpoint, the
same numbers in the table beside it."""

from django.urls import reverse

from evidence.demo import seed_evidence
from evidence.models import EvidenceItem, Standpoint
from juries import charts


def test_the_balance_chart_splits_each_pack_by_standpoint_as_its_table_counts(
    client, jury, facilitator
):
    seed_evidence(jury, facilitator)
    client.force_login(facilitator)

    response = client.get(reverse("evidence:balance", args=[jury.slug]))

    page = response.content.decode()
    chart = response.context["chart"]
    assert f'<title id="{chart.title_id}">' in page and "<desc" in page
    assert [key.label for key in chart.keys] == [s.label for s in Standpoint]
    for bar, row in zip(chart.bars, response.context["rows"], strict=True):
        assert bar["label"] == row["pack"].title
        items = EvidenceItem.objects.filter(pack=row["pack"])
        drawn = {shape.key.label: shape.value for shape in bar["shapes"]}
        for standpoint in Standpoint:
            count = items.filter(standpoint=standpoint).count()
            assert drawn.get(standpoint.label, 0) == count
        widths = sum(shape.width for shape in bar["shapes"])
        assert abs(widths - charts.WIDTH) < 0.1, "each pack's bar is its whole: shares of its items"
