"""The count, on the cases the rules must get exactly right: the threshold's boundary, quorum
failures, abstentions, ties and bad input."""

from decimal import Decimal

import pytest

from voting.tally import Level, Outcome, Rules, count

S, SUP, LIVE, OPP, SOPP, ABST = (
    Level.STRONGLY_SUPPORT,
    Level.SUPPORT,
    Level.CAN_LIVE_WITH_IT,
    Level.OPPOSE,
    Level.STRONGLY_OPPOSE,
    Level.ABSTAIN,
)


def test_exactly_eighty_percent_in_the_first_three_levels_is_adopted():
    result = count([S] * 3 + [SUP] * 3 + [LIVE] * 2 + [OPP] * 2, jurors=10)
    assert result.accepting == 8 and result.sides == 10
    assert result.outcome == Outcome.ADOPTED


def test_just_under_the_threshold_is_not_adopted():
    result = count([SUP] * 79 + [OPP] * 21, jurors=100)
    assert result.outcome == Outcome.NOT_ADOPTED
    assert result.accepting_percent == 79.0


def test_a_share_that_rounds_to_eighty_but_is_below_it_is_not_adopted():
    # 12 of 15 is exactly 80 %; 11 of 14 is 78.57 %; 39 of 49 is 79.59 %, shown as 79.6.
    assert count([SUP] * 12 + [OPP] * 3, jurors=15).outcome == Outcome.ADOPTED
    below = count([SUP] * 39 + [OPP] * 10, jurors=49)
    assert below.outcome == Outcome.NOT_ADOPTED
    assert below.accepting_percent == Decimal("79.6")


def test_without_quorum_nothing_is_adopted_however_unanimous():
    result = count([S] * 8, jurors=11)  # 72.7 % voted, 75 % needed
    assert not result.quorum_met
    assert result.outcome == Outcome.NO_QUORUM


def test_quorum_is_met_exactly_at_seventy_five_percent():
    result = count([S] * 9, jurors=12)
    assert result.quorum_met and result.outcome == Outcome.ADOPTED
    assert result.turnout_percent == 75.0


def test_abstentions_count_for_quorum_but_not_for_the_share():
    # 9 of 12 took part (quorum met); of the 6 who took a side, 5 accept: 83 %.
    result = count([ABST] * 3 + [SUP] * 5 + [OPP], jurors=12)
    assert result.quorum_met
    assert result.sides == 6 and result.accepting == 5
    assert result.outcome == Outcome.ADOPTED


def test_if_everyone_abstains_nothing_is_adopted():
    result = count([ABST] * 10, jurors=10)
    assert result.quorum_met and result.sides == 0
    assert result.outcome == Outcome.NOT_ADOPTED
    assert result.accepting_percent is None


def test_an_even_split_is_not_adopted():
    result = count([SUP] * 5 + [OPP] * 5, jurors=10)
    assert result.outcome == Outcome.NOT_ADOPTED


def test_the_result_keeps_the_exact_count_at_every_level():
    result = count([S, S, SUP, LIVE, OPP, SOPP, ABST], jurors=8)
    assert result.counts == {S: 2, SUP: 1, LIVE: 1, OPP: 1, SOPP: 1, ABST: 1}


def test_other_rules_fixed_in_advance_are_applied():
    rules = Rules(threshold_percent=60, quorum_percent=50)
    assert count([SUP] * 3 + [OPP] * 2, jurors=10, rules=rules).outcome == Outcome.ADOPTED
    assert count([SUP] * 2 + [OPP] * 2, jurors=10, rules=rules).outcome == Outcome.NO_QUORUM


@pytest.mark.parametrize("bad", [0, 101, 80.5, "80"])
def test_rules_outside_one_to_a_hundred_are_refused(bad):
    with pytest.raises(ValueError):
        Rules(threshold_percent=bad)


def test_more_ballots_than_jurors_is_an_error_not_a_result():
    with pytest.raises(ValueError):
        count([SUP] * 4, jurors=3)


def test_an_unknown_level_is_an_error():
    with pytest.raises(ValueError):
        count(["maybe"], jurors=3)


def test_a_jury_with_no_jurors_has_no_quorum():
    assert count([], jurors=0).outcome == Outcome.NO_QUORUM
