"""Small groups in published figures: who could be recognised, and what to hide.

The draw's public record lists the pool as *profiles* (one per combination of answers) under
pseudonyms. Someone who shares a combination with only one or two others can be recognised by
people who know them ("the only volunteer over 75 in the north ward"). Facilitators are warned
before a draw is published and shown which question to make broader; the public page's counts
never show a group of fewer than `SMALLEST_GROUP`.

Pure functions over plain data: no models, so the rules are easy to read and test.
"""

from collections import Counter
from dataclasses import dataclass, field

# The smallest group a published count may describe. Three is the common rule for statistics
# about people (a group of one is the person; in a group of two each knows the other).
SMALLEST_GROUP = 3


def _profile(answers, categories):
    return tuple(answers.get(category, "") for category in categories)


def people_in_small_profiles(volunteers, categories):
    """How many of `volunteers` (dicts of category -> answer) share their combination of answers
    over `categories` with fewer than `SMALLEST_GROUP - 1` others, and in how many profiles."""
    sizes = Counter(_profile(answers, categories) for answers in volunteers)
    small = [size for size in sizes.values() if size < SMALLEST_GROUP]
    return sum(small), len(small)


@dataclass
class SmallGroups:
    """The pool's small profiles, and what dropping or merging would do about them.

    `without` maps each category to the number of people still in small profiles if that question
    were not asked; `rare_answers` lists (category, answer, count) given by fewer than
    `SMALLEST_GROUP` people, the first candidates to merge with a neighbouring answer.
    """

    people: int = 0
    profiles: int = 0
    without: dict = field(default_factory=dict)
    rare_answers: list = field(default_factory=list)

    @property
    def any(self):
        return self.people > 0

    def best_to_drop(self):
        """The categories whose removal helps most, best first (only those that help)."""
        helpful = [(left, name) for name, left in self.without.items() if left < self.people]
        return [name for _left, name in sorted(helpful, key=lambda pair: (pair[0], pair[1]))]


def small_groups(volunteers, categories):
    """Look at the pool `volunteers` (dicts of category -> answer) over `categories` in order."""
    people, profiles = people_in_small_profiles(volunteers, categories)
    if not people:
        return SmallGroups()
    without = {
        name: people_in_small_profiles(volunteers, [c for c in categories if c != name])[0]
        for name in categories
    }
    rare = []
    for name in categories:
        counts = Counter(answers[name] for answers in volunteers if answers.get(name))
        rare.extend(
            (name, answer, count)
            for answer, count in sorted(counts.items())
            if count < SMALLEST_GROUP
        )
    return SmallGroups(people, profiles, without, rare)


# How `suppress_small` marks a count it does not show.
SMALL = "small"  # fewer than SMALLEST_GROUP people
WITHHELD = "withheld"  # large enough, but hidden so the total does not give a small one away


def suppress_small(counts):
    """Counts safe to publish side by side with their total: a count of 1 or 2 becomes `SMALL`.

    When any count in a list is small, the total would give the hidden ones away by subtraction
    (one hidden count outright; two hidden 1s as well, since each is 1 or 2), so the next smallest
    non-zero count becomes `WITHHELD` too. Zero says nobody, and stays.
    """
    shown = [SMALL if 0 < count < SMALLEST_GROUP else count for count in counts]
    if SMALL in shown:
        others = [(count, i) for i, count in enumerate(shown) if count not in (SMALL, 0)]
        if others:
            shown[min(others)[1]] = WITHHELD
    return shown
