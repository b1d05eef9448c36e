"""Building blocks for the vote's suites (plain functions; each suite makes its own fixtures)."""

from juries.models import Membership, Role
from tests.conftest import make_user
from voting import decisions


def add_jurors(jury, number, *, prefix="juror"):
    """`number` more jurors, with names and addresses a test can look for in a page."""
    people = []
    for index in range(number):
        user = make_user(f"{prefix}{index}@example.org", f"Zed{prefix.title()}{index}")
        Membership.objects.create(jury=jury, user=user, role=Role.JUROR)
        people.append(user)
    return people


def open_the_vote(jury, facilitator, **rules):
    """Prepare the jury's vote with `rules` (defaults otherwise) and open it."""
    if rules:
        rules = {"threshold_percent": 80, "quorum_percent": 75, "ranking": False, **rules}
        decisions.set_rules(jury, facilitator, **rules)
    vote = decisions.prepare_vote(jury, facilitator)
    return decisions.open_vote(vote, facilitator)


def cast_all(vote, recommendation, jurors, levels):
    """Each juror in turn casts the level at the same position in `levels`."""
    for juror, level in zip(jurors, levels, strict=True):
        decisions.cast_ballot(vote, recommendation, juror, level)
