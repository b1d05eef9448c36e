"""Ranking by priority with the Schulze method: a known worked example, cycles, ties, partial
rankings and bad ballots."""

import pytest

from voting.ranking import schulze


def ballots_from(groups):
    return [list(order) for count, order in groups for _ in range(count)]


def test_the_standard_worked_example_with_a_cycle_gives_e_a_c_b_d():
    # The 45-voter example used to explain the method: majorities alone form a cycle.
    ballots = ballots_from(
        [
            (5, "ACBED"),
            (5, "ADECB"),
            (8, "BEDAC"),
            (3, "CABED"),
            (7, "CAEBD"),
            (2, "CBADE"),
            (7, "DCEBA"),
            (8, "EBADC"),
        ]
    )
    ranking = schulze("ABCDE", ballots)
    assert ranking.places == [["E"], ["A"], ["C"], ["B"], ["D"]]
    assert ranking.pairwise[("A", "B")] == 20 and ranking.pairwise[("B", "A")] == 25
    assert ranking.strongest[("E", "A")] == 25 and ranking.strongest[("A", "E")] == 24


def test_a_recommendation_every_majority_prefers_comes_first():
    ranking = schulze(["x", "y", "z"], [["x", "y", "z"], ["x", "z", "y"], ["y", "x", "z"]])
    assert ranking.places[0] == ["x"]


def test_an_exact_tie_shares_a_place():
    ranking = schulze(["x", "y"], [["x", "y"], ["y", "x"]])
    assert ranking.places == [["x", "y"]]


def test_a_three_way_cycle_of_equal_strength_is_a_shared_place():
    ranking = schulze("ABC", [list("ABC"), list("BCA"), list("CAB")])
    assert ranking.places == [["A", "B", "C"]]


def test_recommendations_a_juror_left_out_rank_below_those_they_ranked():
    ranking = schulze(["x", "y", "z"], [["z"], ["z"], ["y"]])
    assert ranking.places[0] == ["z"]
    assert ranking.pairwise[("z", "x")] == 2 and ranking.pairwise[("x", "z")] == 0


def test_with_no_ballots_everything_shares_one_place():
    assert schulze([1, 2, 3], []).places == [[1, 2, 3]]


@pytest.mark.parametrize("bad", [["x", "x"], ["x", "unknown"]])
def test_a_ballot_naming_something_twice_or_unknown_is_refused(bad):
    with pytest.raises(ValueError):
        schulze(["x", "y"], [bad])
