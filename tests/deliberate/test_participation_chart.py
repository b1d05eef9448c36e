"""Participation per juror as a chart: posts and turns as bars, quiet jurors said in words, and
the same numbers in the table beside it."""

from django.urls import reverse

from deliberate import threads as thread_service


def test_participation_draws_posts_and_turns_per_juror_and_names_the_quiet_in_words(
    client, thread, juror, other_juror, facilitator
):
    for body in ("First thought.", "Second thought."):
        thread_service.add_post(thread=thread, body=body, by=juror)
    client.force_login(facilitator)

    response = client.get(reverse("deliberate:participation", args=[thread.jury.slug]))

    page = response.content.decode()
    chart = response.context["chart"]
    assert "<svg" in page and f'<title id="{chart.title_id}">' in page
    bars = {bar["label"]: [shape.value for shape in bar["shapes"]] for bar in chart.bars}
    quiet_label = f"{other_juror.public_name} (quiet so far)"
    assert bars == {juror.public_name: [2, 0], quiet_label: [0, 0]}
    assert quiet_label in page, "quiet is said in words, not colour"
    posts, turns = chart.bars[0]["shapes"]
    assert posts.width > 0 and turns.width == 0
    assert [row[1] for row in chart.table.rows] == [["2", "0"], ["0", "0"]]
