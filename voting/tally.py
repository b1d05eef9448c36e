"""The count: a pure function from ballots to a result, with the rules fixed before voting opens.

Rules (shown to jurors before the vote opens, and unchangeable once it has):

- Each juror casts at most one ballot per recommendation, at one of five levels of agreement:
  strongly support, support, can live with it, oppose, strongly oppose. A juror may instead
  abstain: an abstention is a ballot that takes part in the vote but takes no side.
- **Quorum**: the vote counts only if at least `quorum_percent` of the jury's jurors cast a ballot
  (abstentions included, since those jurors took part). Default 75 %.
- **Threshold**: a recommendation is adopted when at least `threshold_percent` of the ballots that
  take a side are in the first three levels (strongly support, support, can live with it).
  Abstentions are left out of this share. Default 80 %.
- "At least" is exact: the comparison is done in whole numbers (`accepting * 100 >=
  threshold * sides`), so 8 of 10 at an 80 % threshold is adopted and 79 of 100 is not.
- With no ballot taking a side (everyone abstained), nothing is adopted.

The result keeps the count at every level, so anyone can check it by hand.
"""

from dataclasses import dataclass
from enum import StrEnum

from juries.numbers import percent_value


class Level(StrEnum):
    STRONGLY_SUPPORT = "strongly_support"
    SUPPORT = "support"
    CAN_LIVE_WITH_IT = "can_live_with_it"
    OPPOSE = "oppose"
    STRONGLY_OPPOSE = "strongly_oppose"
    ABSTAIN = "abstain"


ACCEPTING = (Level.STRONGLY_SUPPORT, Level.SUPPORT, Level.CAN_LIVE_WITH_IT)
SIDES = (*ACCEPTING, Level.OPPOSE, Level.STRONGLY_OPPOSE)
DEFAULT_THRESHOLD_PERCENT = 80
DEFAULT_QUORUM_PERCENT = 75


class Outcome(StrEnum):
    ADOPTED = "adopted"
    NOT_ADOPTED = "not_adopted"
    NO_QUORUM = "no_quorum"


@dataclass(frozen=True)
class Rules:
    threshold_percent: int = DEFAULT_THRESHOLD_PERCENT
    quorum_percent: int = DEFAULT_QUORUM_PERCENT

    def __post_init__(self):
        for name in ("threshold_percent", "quorum_percent"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 100:
                raise ValueError(f"{name} must be a whole number from 1 to 100, not {value!r}")


@dataclass(frozen=True)
class Result:
    counts: dict  # Level -> number of ballots, every level present
    jurors: int
    ballots: int  # abstentions included
    sides: int  # ballots that took a side
    accepting: int
    quorum_met: bool
    outcome: Outcome

    @property
    def accepting_percent(self):
        """The share shown to people, rounded half up to a tenth (`juries.numbers`); the decision
        never uses it. None when no ballot took a side."""
        return percent_value(self.accepting, self.sides)

    @property
    def turnout_percent(self):
        return percent_value(self.ballots, self.jurors)


def count(levels, *, jurors, rules=Rules()):
    """Count the ballots of one recommendation.

    `levels` holds one `Level` (or its value) per ballot cast; `jurors` is the number of jurors
    who could vote. Raises ValueError on an unknown level or more ballots than jurors: both mean
    something upstream is wrong, and a count must never paper over that.
    """
    if jurors < 0:
        raise ValueError("The number of jurors cannot be negative.")
    counts = {level: 0 for level in Level}
    for value in levels:
        counts[Level(value)] += 1
    ballots = sum(counts.values())
    if ballots > jurors:
        raise ValueError(f"{ballots} ballots for {jurors} jurors: each juror votes once.")
    sides = sum(counts[level] for level in SIDES)
    accepting = sum(counts[level] for level in ACCEPTING)
    quorum_met = jurors > 0 and ballots * 100 >= rules.quorum_percent * jurors
    if not quorum_met:
        outcome = Outcome.NO_QUORUM
    elif sides and accepting * 100 >= rules.threshold_percent * sides:
        outcome = Outcome.ADOPTED
    else:
        outcome = Outcome.NOT_ADOPTED
    return Result(
        counts=counts,
        jurors=jurors,
        ballots=ballots,
        sides=sides,
        accepting=accepting,
        quorum_met=quorum_met,
        outcome=outcome,
    )
