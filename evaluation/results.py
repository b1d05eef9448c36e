"""What the answers add up to: counts per question, as charts with their tables.

Only counts are ever computed, from the anonymous responses; a questionnaire's results exist only
once it has closed with at least `MINIMUM_ANSWERS` answers (before that, `Results.shown` is False
and nothing but the number of answers is given). Waiting for the close matters as much as the five:
results that moved while answers came in would tell whoever compared them, before and after a
juror answered, what that juror said. For the same reason a questionnaire closed with results
cannot be opened again (`services.set_state`). The change of opinion on a topic statement puts the
start questionnaire's distribution beside the end questionnaire's: the two answers of one person
are never paired (nothing could pair them).
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from juries.charts import Key, stacked_bars

from .models import MINIMUM_ANSWERS, Kind, Questionnaire, State
from .questions import SCALE, SCALE_VALUES, Scale

TONES = {
    Scale.STRONGLY_AGREE: ("green-dark", ""),
    Scale.AGREE: ("green", ""),
    Scale.NEITHER: ("grey-light", "dots"),
    Scale.DISAGREE: ("red", "hatch"),
    Scale.STRONGLY_DISAGREE: ("red-dark", "cross"),
}


def scale_keys():
    """A key per point of the scale; "prefer not to say" is counted in the table, not drawn."""
    labels = dict(SCALE)
    keys = [Key(str(labels[value]), *TONES[value]) for value in SCALE_VALUES[:-1]]
    return [*keys, Key(str(labels[Scale.PREFER_NOT]), "grey", drawn=False)]


@dataclass
class Results:
    questionnaire: Questionnaire
    answers: int
    chart: object = None
    counts: dict = field(default_factory=dict)  # question key -> Counter of values

    @property
    def enough(self):
        return self.answers >= MINIMUM_ANSWERS

    @property
    def shown(self):
        return self.enough and self.questionnaire.state == State.CLOSED

    @property
    def still_needed(self):
        return max(MINIMUM_ANSWERS - self.answers, 0)


def questions_of(questionnaire, topics):
    """(key, label) of every scale question the questionnaire asks, topic statements last."""
    asked = [(q.key, str(q.text)) for q in questionnaire.fixed_questions()]
    if questionnaire.asks_topics:
        asked += [(topic.key, topic.text) for topic in topics]
    return asked


def _counts(questionnaire):
    counts = {}
    for answers in questionnaire.responses.values_list("answers", flat=True):
        for key, value in answers.items():
            counts.setdefault(key, Counter())[value] += 1
    return counts


def _answer_counts(jury):
    return dict(
        Questionnaire.objects.filter(jury=jury).annotate(n=Count("answered")).values_list("pk", "n")
    )


def results_for(jury, *, kinds=None, table_open=False):
    """Results of the jury's questionnaires that have been opened (of `kinds`, if given), in
    order: start, sittings, end, organisers. A chart only where enough people answered."""
    topics = list(jury.topic_statements.all())
    counted = _answer_counts(jury)
    order = {Kind.START: 0, Kind.SITTING: 1, Kind.END: 2, Kind.ORGANISER: 3}
    questionnaires = [
        q
        for q in Questionnaire.objects.filter(jury=jury)
        .exclude(state=State.NOT_OPEN)
        .select_related("sitting", "jury")
        if kinds is None or q.kind in kinds
    ]
    questionnaires.sort(
        key=lambda q: (order[Kind(q.kind)], q.sitting.starts_at if q.sitting else 0, q.pk)
    )
    found = []
    for questionnaire in questionnaires:
        result = Results(questionnaire, counted.get(questionnaire.pk, 0))
        if result.shown:
            result.counts = _counts(questionnaire)
            result.chart = _chart(
                questionnaire, questions_of(questionnaire, topics), result, table_open
            )
        found.append(result)
    return found


def _row(counter):
    return [int(counter.get(value, 0)) for value in SCALE_VALUES]


def _chart(questionnaire, asked, result, table_open):
    rows = [(label, _row(result.counts.get(key, Counter()))) for key, label in asked]
    return stacked_bars(
        f"evaluation-{questionnaire.pk}",
        questionnaire.title,
        _(
            "One bar per statement, from strongly agree on the left to strongly disagree on the "
            "right, out of %(count)s people who answered. Answers of “prefer not to say” are "
            "counted in the table, not drawn."
        )
        % {"count": result.answers},
        scale_keys(),
        rows,
        table_open=table_open,
        value_heading=_("People"),
    )


def change_chart(jury, results, *, table_open=False):
    """Before against after for each topic statement: two bars per statement, from the start
    and end questionnaires' distributions, when both have enough answers; else None."""
    by_kind = {r.questionnaire.kind: r for r in results if r.questionnaire.kind != Kind.SITTING}
    start, end = by_kind.get(Kind.START), by_kind.get(Kind.END)
    topics = list(jury.topic_statements.all())
    if not topics or start is None or end is None or not (start.shown and end.shown):
        return None
    rows = []
    for topic in topics:
        rows.append(
            (
                _("Before: %(statement)s") % {"statement": topic.text},
                _row(start.counts.get(topic.key, Counter())),
            )
        )
        rows.append(
            (
                _("After: %(statement)s") % {"statement": topic.text},
                _row(end.counts.get(topic.key, Counter())),
            )
        )
    return stacked_bars(
        "evaluation-change",
        _("How opinion changed on the jury's topic"),
        _(
            "For each statement, the first bar shows the answers at the start of the jury "
            "(%(before)s people) and the second the answers at the end (%(after)s people). These "
            "are two separate counts: nobody's two answers are paired."
        )
        % {"before": start.answers, "after": end.answers},
        scale_keys(),
        rows,
        table_open=table_open,
        value_heading=_("People"),
    )
