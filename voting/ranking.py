"""Ranking the adopted recommendations by priority: the Schulze method.

Each juror may rank the adopted recommendations, most important first; they may leave some out
(left-out ones rank below every one they ranked, and equal among themselves). The method:

1. For every pair of recommendations A and B, count the jurors who rank A above B: d[A][B].
2. The strength of a path from A to B is its weakest link; p[A][B] is the strength of the
   strongest path (widest path, Floyd–Warshall style), counting only links where d[X][Y] > d[Y][X].
3. A ranks above B when p[A][B] > p[B][A]. Recommendations that neither beats share a place.

It is a Condorcet method (a recommendation preferred to every other by a majority comes first),
it resists cycles that make a plain majority ambiguous, and every step can be checked by hand:
`Ranking.pairwise` and `Ranking.strongest` are the counts behind the result, shown beside it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Ranking:
    places: list  # list of lists: the recommendations sharing each place, best first
    pairwise: dict  # (a, b) -> jurors ranking a above b
    strongest: dict  # (a, b) -> strength of the strongest path from a to b


def _beats(order, a, b):
    """Does this juror rank a above b? Unranked items rank below ranked ones, level together."""
    position = {item: index for index, item in enumerate(order)}
    unranked = len(order)
    return position.get(a, unranked) < position.get(b, unranked)


def schulze(candidates, ballots):
    """Rank `candidates` (hashable, for example recommendation ids) from `ballots`, each a list
    of candidates in the juror's order of priority. Raises ValueError on a ballot naming an
    unknown candidate or the same one twice."""
    candidates = list(dict.fromkeys(candidates))
    known = set(candidates)
    for ballot in ballots:
        if len(set(ballot)) != len(ballot) or not set(ballot) <= known:
            raise ValueError(f"A ballot must rank known recommendations once each: {ballot!r}")
    pairwise = {
        (a, b): sum(_beats(ballot, a, b) for ballot in ballots)
        for a in candidates
        for b in candidates
        if a != b
    }
    strongest = {
        pair: (count if count > pairwise[(pair[1], pair[0])] else 0)
        for pair, count in pairwise.items()
    }
    for middle in candidates:
        for a in candidates:
            if a == middle:
                continue
            for b in candidates:
                if b in (a, middle):
                    continue
                through = min(strongest[(a, middle)], strongest[(middle, b)])
                if through > strongest[(a, b)]:
                    strongest[(a, b)] = through
    return Ranking(places=_places(candidates, strongest), pairwise=pairwise, strongest=strongest)


def _places(candidates, strongest):
    """Group into places: a candidate's place is set by how many others beat it."""
    beaten_by = {
        a: sum(strongest[(b, a)] > strongest[(a, b)] for b in candidates if b != a)
        for a in candidates
    }
    places = {}
    for candidate in candidates:
        places.setdefault(beaten_by[candidate], []).append(candidate)
    return [places[key] for key in sorted(places)]
