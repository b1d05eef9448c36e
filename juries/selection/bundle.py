"""The public draw: publish a commitment, then let a seed nobody controls pick the panel.

This module uses the standard library only: copied on its own, it checks a draw without the rest of
Deliberate (`manage.py verify_draw` wraps it).

1. Before the seed exists, the organisers publish a *commitment* (`commitment`): the pool as
   pseudonyms grouped into profiles of identical answers, the quotas, and the LEXIMIN distribution
   as integer panel weights. Its SHA-256 goes on the jury's page.
2. A seed from a public source (say, a lottery result) is entered afterwards.
3. The draw is a pure function of (commitment, seed): anyone can recompute the panel and the
   ordered reserves from the published *bundle* (`reveal`) and confirm them (`verify`).

Hash. `canonical_bytes(x)` is Python's `json.dumps(x, sort_keys=True, separators=(",", ":"),
ensure_ascii=False, allow_nan=False)` as UTF-8: keys sorted by code point, no spaces, non-ASCII
written as itself, with quote, backslash and control characters escaped as that function does.
Counts and weights are integers; the only floats are the informational `levels`, written as
Python's shortest round-trip `repr` (`0.2`, `1e-05`). The hash is the lowercase hex SHA-256 of
those bytes.

Seed rule. Before publication the organisers add `seed_rule` to the commitment: where the seed will
come from (a public event after publication, say a lottery draw on a stated date) and how many
numbers it has, and, in commitments declared since the date was asked for, `date`: the event's day
as YYYY-MM-DD. The seed can then be chosen by nobody: only its numbers count, and Deliberate takes
none before that day.

Seed. `normalise_seed` keeps the runs of ASCII digits in the text, in order, each written as a
decimal integer without leading zeros, joined by single spaces ("07-13, bonus (11)" is "7 13 11");
everything else is ignored. There must be exactly `seed_rule.numbers` of them, and the result must
have at most 200 characters.

The draw, exactly. Let H be the commitment hash (64 hex digits) and S the normalised seed. The
random bytes are the blocks B0 B1 B2 ... in order, where Bi = SHA-256(UTF-8 of H + "\\n" + S +
"\\n" + i in decimal without leading zeros). Bytes are taken in order and never reused.

- uniform(n), n >= 1, is uniform on [0, n): when n = 1 it is 0 and takes no bytes. Otherwise let b
  be the bit length of n - 1 and k = ceil(b / 8); take k bytes, read them as a big-endian unsigned
  integer, keep its low b bits; return that if it is below n, else try again with the next k bytes.
- pick(items, m) is a partial Fisher-Yates shuffle: for i = 0 .. m - 1, j = i + uniform(len - i),
  swap items[i] and items[j]; the result is items[0 .. m - 1] in that order.

1. Panel: r = uniform(weight_total); the panel drawn is the first index p (from 0) of
   `distribution.panels` with r < w0 + ... + wp. That p is `panel_index`.
2. Members: for each profile in listed order, pick(its members, its count in panel p); members are
   stored sorted by code point. The panel lists these picks in profile order, then pick order.
3. Reserves: everyone in the pool not on the panel, sorted by code point, then
   pick(reserves, len(reserves)). They are called in that order (see `replacement`).

Integer arithmetic throughout: each panel comes up with probability exactly weight / weight_total
and, given the panel, every member of a profile is equally likely to fill each of its seats.

Problems are `Problem` strings in plain English that keep their template and values, so a caller
with Django can translate them: `gettext(problem.template).format(**problem.params)`.
"""

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction

WEIGHT_TOTAL = 10**12
BUNDLE_FORMAT = "deliberate-draw/2"
SEED_MAX_LENGTH = 200


class Problem(str):
    """A plain-English message that remembers its template and values for translation."""

    def __new__(cls, template, **params):
        problem = super().__new__(cls, template.format(**params))
        problem.template = template
        problem.params = params
        return problem


def _(template, **params):
    """Build a `Problem`. Named `_` so that `makemessages` collects the templates; this module
    never translates, as it must run without Django."""
    return Problem(template, **params)


@dataclass(frozen=True)
class Outcome:
    """What a seed draws: pseudonyms on the panel and the reserves, each in order."""

    panel: list
    reserves: list
    panel_index: int
    commitment_sha256: str


@dataclass(frozen=True)
class Verification:
    """`ok` when `problems` is empty; `outcome` is the redrawn result, or None when the bundle is
    too broken to draw from."""

    ok: bool
    problems: list
    outcome: Outcome | None


def canonical_bytes(data) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_of(data) -> str:
    return hashlib.sha256(canonical_bytes(data)).hexdigest()


def normalise_seed(text, numbers=None) -> str:
    """The seed as the draw uses it: its numbers only (see the module docstring). With `numbers`,
    it must have exactly that many. Raises ValueError (holding a `Problem`) when unusable."""
    found = re.findall(r"[0-9]+", text) if isinstance(text, str) else []
    seed = " ".join(str(int(digits)) for digits in found)
    if not seed:
        raise ValueError(_("The seed has no numbers in it."))
    if len(seed) > SEED_MAX_LENGTH:
        raise ValueError(_("The seed is longer than {limit} characters.", limit=SEED_MAX_LENGTH))
    if numbers is not None and len(found) != numbers:
        raise ValueError(
            _(
                "The seed rule says the seed has {expected} numbers; this has {count}.",
                expected=numbers,
                count=len(found),
            )
        )
    return seed


def _iso(moment):
    return moment.isoformat() if isinstance(moment, datetime) else str(moment)


# --- the commitment --------------------------------------------------------------------------


def integer_weights(probabilities, total=WEIGHT_TOTAL):
    """Whole-number weights summing exactly to `total`, in proportion to `probabilities`.

    Largest remainder on exact fractions: each panel gets the floor of its share, then the units
    left go to the largest remainders, ties to the lower index.
    """
    shares = [Fraction(float(p)) if math.isfinite(p) else Fraction(-1) for p in probabilities]
    if any(share < 0 for share in shares) or sum(shares) <= 0:
        raise ValueError(_("The panel probabilities must be positive numbers."))
    exact = [share * total / sum(shares) for share in shares]
    weights = [math.floor(value) for value in exact]
    left = total - sum(weights)
    for i in sorted(range(len(exact)), key=lambda i: (weights[i] - exact[i], i))[:left]:
        weights[i] += 1
    return weights


def commitment(
    *,
    jury,
    panel_size,
    categories,
    profiles,
    panels,
    probabilities,
    algorithm,
    levels,
    complete,
    created_at,
    seed_rule=None,
) -> dict:
    """The commitment to publish before the seed is known (see the module docstring).

    `categories`: [{"name", "values": [{"value", "min", "max"}]}] in display order; `profiles`:
    [{"answers": {category: value}, "members": [pseudonym, ...]}]; `panels`: count tuples aligned
    with `profiles`, `probabilities` alongside. Zero-weight panels are left out. Raises ValueError
    (holding a `Problem`) when a panel breaks a quota or has the wrong size, or the pool is
    inconsistent.
    """
    panels, probabilities = list(panels), list(probabilities)
    if len(panels) != len(probabilities):
        raise ValueError(_("There must be one probability for each panel."))
    weighted = zip(panels, integer_weights(probabilities), strict=True)
    data = {
        "format": BUNDLE_FORMAT,
        "algorithm": str(algorithm),
        "jury": {"slug": str(jury["slug"]), "title": str(jury["title"])},
        "panel_size": int(panel_size),
        "categories": [
            {"name": str(c["name"]), "values": [_quota(v) for v in c["values"]]} for c in categories
        ],
        "profiles": [
            {
                "answers": {str(k): str(v) for k, v in p["answers"].items()},
                "members": sorted(str(member) for member in p["members"]),
            }
            for p in profiles
        ],
        "distribution": {
            "weight_total": WEIGHT_TOTAL,
            "panels": [{"counts": [int(c) for c in x], "weight": w} for x, w in weighted if w],
            "levels": [float(level) for level in levels],
            "complete": bool(complete),
        },
        "created_at": _iso(created_at),
        "seed_rule": _seed_rule(seed_rule or {"source": "", "numbers": 0}),
    }
    _raise_if_broken(data)
    return data


def _seed_rule(rule):
    cleaned = {"source": " ".join(str(rule["source"]).split()), "numbers": int(rule["numbers"])}
    if rule.get("date"):
        cleaned["date"] = str(rule["date"])
    return cleaned


def with_seed_rule(data: dict, *, source: str, numbers: int, date=None) -> dict:
    """The commitment with its seed rule declared, ready to publish: `date` (a `datetime.date`,
    or None) is the day of the seed event. Raises ValueError."""
    rule = _seed_rule({"source": source, "numbers": numbers, "date": date and date.isoformat()})
    declared = {**data, "seed_rule": rule}
    problems = seed_rule_problems(declared)
    if problems:
        raise ValueError(problems[0])
    _raise_if_broken(declared)
    return declared


def seed_rule_problems(data) -> list:
    """What is wrong with a commitment's seed rule; a draw needs one declared."""
    rule = data.get("seed_rule") if isinstance(data, dict) else None
    if not _fits(rule, SHAPE["seed_rule"]):
        return [_("The commitment has no seed rule.")]
    problems = []
    if not rule["source"]:
        problems.append(_("The seed rule does not say where the seed comes from."))
    if not 1 <= rule["numbers"] <= 50:
        problems.append(_("The seed rule must say how many numbers the seed has (1 to 50)."))
    if "date" in rule and seed_event_date(data) is None:
        problems.append(_("The seed rule's date must be a day written YYYY-MM-DD."))
    return problems


def seed_event_date(data):
    """The declared day of the seed event, as a `datetime.date`, or None when none was declared
    (or it is not a valid YYYY-MM-DD)."""
    text = (data.get("seed_rule") or {}).get("date") if isinstance(data, dict) else None
    if not isinstance(text, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        return None


def _quota(value):
    return {"value": str(value["value"]), "min": int(value["min"]), "max": int(value["max"])}


def _raise_if_broken(data):
    problems = commitment_problems(data)
    if problems:
        raise ValueError(_("The commitment is not valid. {problems}", problems=" ".join(problems)))


# The shape of a commitment. A type stands for a value of that type (`int` never a boolean, `float`
# any number), a dict for an object with exactly those fields, a one-item list for a list of such
# items, and TEXT_MAP for an object whose keys and values are all text. A key ending in "?" may be
# left out (it was added to the format later; a commitment without it is read as before).
TEXT_MAP = "text -> text"
SHAPE = {
    "format": str,
    "algorithm": str,
    "jury": {"slug": str, "title": str},
    "panel_size": int,
    "categories": [{"name": str, "values": [{"value": str, "min": int, "max": int}]}],
    "profiles": [{"answers": TEXT_MAP, "members": [str]}],
    "distribution": {
        "weight_total": int,
        "panels": [{"counts": [int], "weight": int}],
        "levels": [float],
        "complete": bool,
    },
    "created_at": str,
    "seed_rule": {"source": str, "numbers": int, "date?": str},
}
SEED_SHAPE = {"value": str, "source": str, "entered_at": str}
RESULT_SHAPE = {"panel": [str], "reserves": [str], "panel_index": int}


def _fits(value, shape):
    """Whether `value` (parsed JSON) has `shape` (see SHAPE)."""
    if shape is TEXT_MAP:
        return isinstance(value, dict) and all(_fits(x, str) for x in [*value, *value.values()])
    if isinstance(shape, dict):
        fields = {key.removesuffix("?"): inner for key, inner in shape.items()}
        required = {key for key in shape if not key.endswith("?")}
        return (
            isinstance(value, dict)
            and required <= set(value) <= set(fields)
            and all(_fits(value[key], fields[key]) for key in value)
        )
    if isinstance(shape, list):
        return isinstance(value, list) and all(_fits(item, shape[0]) for item in value)
    if isinstance(value, bool) and shape is not bool:
        return False
    return isinstance(value, int | float if shape is float else shape)


def commitment_problems(data) -> list:
    """Everything wrong with a commitment, in plain English; empty when it is sound. Never raises."""
    if not isinstance(data, dict):
        return [_("The commitment is not a JSON object.")]
    problems = [
        _('The commitment\'s "{field}" is missing or malformed.', field=field)
        for field, shape in SHAPE.items()
        if field not in data or not _fits(data[field], shape)
    ]
    extra = sorted(str(key) for key in data if key not in SHAPE)
    if extra:
        problems.append(_("The commitment has unknown fields: {fields}.", fields=", ".join(extra)))
    if problems:
        return problems
    if data["format"] != BUNDLE_FORMAT:
        problems.append(_('This checker reads "{format}" commitments only.', format=BUNDLE_FORMAT))
    return problems + _pool_problems(data) + _panel_problems(data)


def _pool_problems(data):
    problems = []
    names = {category["name"] for category in data["categories"]}
    seen = Counter()
    for number, profile in enumerate(data["profiles"]):
        members = profile["members"]
        if set(profile["answers"]) != names:
            problems.append(_("Profile {n} does not answer each quota category once.", n=number))
        if not members or members != sorted(members):
            problems.append(_("Profile {n} is empty or its members are not sorted.", n=number))
        seen.update(members)
    answers = Counter(tuple(sorted(profile["answers"].items())) for profile in data["profiles"])
    if any(times > 1 for times in answers.values()):
        # Identical answers must share one profile, or a split could favour some of them.
        problems.append(_("Two profiles give the same answers."))
    repeated = sorted(member for member, times in seen.items() if times > 1)
    if repeated:
        problems.append(_("Listed more than once: {names}.", names=", ".join(repeated)))
    if data["panel_size"] < 1:
        problems.append(_("The panel size must be at least 1."))
    return problems


def _panel_problems(data):
    distribution = data["distribution"]
    panels = distribution["panels"]
    problems = []
    if distribution["weight_total"] != WEIGHT_TOTAL:
        problems.append(_("The weight total must be {total}.", total=WEIGHT_TOTAL))
    if not panels or sum(panel["weight"] for panel in panels) != distribution["weight_total"]:
        problems.append(_("The panel weights do not add up to the weight total."))
    for index, panel in enumerate(panels):
        if panel["weight"] <= 0:
            problems.append(_("Panel {index} has a weight that is not positive.", index=index))
        problems += _count_problems(data, panel["counts"], index)
    return problems


def _count_problems(data, counts, index):
    """What is wrong with panel `index`, given as counts per profile."""
    profiles = data["profiles"]
    if len(counts) != len(profiles) or any(
        not 0 <= count <= len(profile["members"])
        for count, profile in zip(counts, profiles, strict=False)
    ):
        return [_("Panel {index} does not fit the profiles' sizes.", index=index)]
    problems = []
    if sum(counts) != data["panel_size"]:
        problems.append(
            _(
                "Panel {index} has {got} members, not {size}.",
                index=index,
                got=sum(counts),
                size=data["panel_size"],
            )
        )
    problems += [
        _(
            'Panel {index} has {got} with {name} "{value}", outside {low} to {high}.',
            index=index,
            **miss,
        )
        for miss in _quota_misses(data, counts)
    ]
    return problems


def _quota_misses(data, counts):
    """The quotas a panel (counts per profile) misses, each as name, value, got, low and high."""
    seats = Counter()
    for profile, count in zip(data["profiles"], counts, strict=True):
        for category, value in profile["answers"].items():
            seats[category, value] += count
    return [
        {"name": category["name"], "value": quota["value"], "got": got}
        | {"low": quota["min"], "high": quota["max"]}
        for category in data["categories"]
        for quota in category["values"]
        if not quota["min"] <= (got := seats[category["name"], quota["value"]]) <= quota["max"]
    ]


# --- the draw --------------------------------------------------------------------------------


class _Stream:
    """The draw's random bytes and what is taken from them (see the module docstring)."""

    def __init__(self, commitment_sha256, seed):
        self.prefix = f"{commitment_sha256}\n{seed}\n".encode()
        self.counter = 0
        self.buffer = b""

    def take(self, count):
        while len(self.buffer) < count:
            block = str(self.counter).encode("ascii")
            self.buffer += hashlib.sha256(self.prefix + block).digest()
            self.counter += 1
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def uniform(self, n):
        if n == 1:
            return 0
        bits = (n - 1).bit_length()
        while True:
            value = int.from_bytes(self.take((bits + 7) // 8), "big") & ((1 << bits) - 1)
            if value < n:
                return value

    def pick(self, items, count):
        items = list(items)
        for i in range(count):
            j = i + self.uniform(len(items) - i)
            items[i], items[j] = items[j], items[i]
        return items[:count]


def draw(commitment: dict, seed: str) -> Outcome:
    """The panel and reserves `seed` draws from `commitment`. Raises ValueError (holding a
    `Problem`) when the commitment is not sound or the seed is unusable."""
    _raise_if_broken(commitment)
    rule_problems = seed_rule_problems(commitment)
    if rule_problems:
        raise ValueError(rule_problems[0])
    sha = sha256_of(commitment)
    stream = _Stream(sha, normalise_seed(seed, commitment["seed_rule"]["numbers"]))
    panels = commitment["distribution"]["panels"]
    target = stream.uniform(commitment["distribution"]["weight_total"])
    index, reached = 0, panels[0]["weight"]
    while target >= reached:
        index += 1
        reached += panels[index]["weight"]
    panel = []
    for profile, count in zip(commitment["profiles"], panels[index]["counts"], strict=True):
        panel += stream.pick(profile["members"], count)
    chosen = set(panel)
    rest = sorted(m for p in commitment["profiles"] for m in p["members"] if m not in chosen)
    return Outcome(panel, stream.pick(rest, len(rest)), index, sha)


def reveal(commitment: dict, *, seed: str, seed_source: str, seed_entered_at) -> dict:
    """The public bundle: the commitment, its hash, the seed and what it draws."""
    outcome = draw(commitment, seed)
    seed = {"value": normalise_seed(seed), "source": str(seed_source)}
    seed["entered_at"] = _iso(seed_entered_at)
    result = {"panel": outcome.panel, "reserves": outcome.reserves}
    result["panel_index"] = outcome.panel_index
    sha = outcome.commitment_sha256
    return {"commitment": commitment, "commitment_sha256": sha, "seed": seed, "result": result}


# --- checking a bundle -----------------------------------------------------------------------


def verify(bundle: dict, *, expect_sha256=None) -> Verification:
    """Check a bundle from scratch: the hash (against `expect_sha256` too, when given), the
    commitment, the seed and the recorded result. Never raises: reports problems instead."""
    try:
        problems, outcome = _check(bundle, expect_sha256)
    except Exception as error:  # a safety net: a checker must report, not crash
        problems, outcome = [_("The bundle could not be checked ({error}).", error=error)], None
    return Verification(not problems, problems, outcome)


def _check(bundle, expect_sha256):
    if not isinstance(bundle, dict) or not isinstance(bundle.get("commitment_sha256"), str):
        return [_("This is not a draw bundle: it has no commitment SHA-256.")], None
    commitment = bundle.get("commitment")
    problems = _hash_problems(commitment, bundle["commitment_sha256"], expect_sha256)
    broken = commitment_problems(commitment)
    problems += broken
    seed = bundle.get("seed")
    if not _fits(seed, SEED_SHAPE):
        return problems + [_("The bundle's seed is missing or malformed.")], None
    if broken:
        return problems, None
    rule_problems = seed_rule_problems(commitment)
    if rule_problems:
        return problems + rule_problems, None
    try:
        if normalise_seed(seed["value"], commitment["seed_rule"]["numbers"]) != seed["value"]:
            problems.append(_("The recorded seed is not in its normal form."))
    except ValueError as error:
        return problems + [error.args[0]], None
    outcome = draw(commitment, seed["value"])
    return problems + _result_problems(bundle.get("result"), outcome), outcome


def _hash_problems(commitment, recorded, expected):
    try:
        actual = sha256_of(commitment)
    except (TypeError, ValueError):
        return [_("The commitment cannot be written as canonical JSON, so it has no hash.")]
    problems = []
    if actual != recorded.strip().lower():
        problems.append(_("The commitment's SHA-256 is {sha}, not the recorded one.", sha=actual))
    if expected is not None and actual != str(expected).strip().lower():
        problems.append(_("The commitment's SHA-256 is {sha}, not the published one.", sha=actual))
    return problems


def _result_problems(result, outcome):
    if not _fits(result, RESULT_SHAPE):
        return [_("The bundle's result is missing or malformed.")]
    problems = []
    if result["panel_index"] != outcome.panel_index:
        problems.append(
            _("The seed draws panel {index}, not the one recorded.", index=outcome.panel_index)
        )
    if result["panel"] != outcome.panel:
        problems.append(_("The recorded panel is not the one the seed draws."))
    if result["reserves"] != outcome.reserves:
        problems.append(_("The recorded reserves are not the ones the seed draws, in that order."))
    return problems


# --- after the draw --------------------------------------------------------------------------


def replacement(
    *, leaving: str, panel: list, reserves: list, unavailable: set, commitment: dict
) -> str | None:
    """Who takes `leaving`'s seat: the first reserve, in order, who is available, not already on
    the panel, and with whom the panel still meets every quota. None when no reserve can.
    Raises ValueError when `leaving` is not on the panel or the panel has strangers."""
    profile_of = {m: i for i, p in enumerate(commitment["profiles"]) for m in p["members"]}
    if leaving not in panel or any(member not in profile_of for member in panel):
        raise ValueError(_("{name} is not on this commitment's panel.", name=leaving))
    counts = [0] * len(commitment["profiles"])
    for member in panel:
        counts[profile_of[member]] += member != leaving
    fits = {}
    for reserve in reserves:
        if reserve in unavailable or reserve in panel or reserve not in profile_of:
            continue
        profile = profile_of[reserve]
        if profile not in fits:
            counts[profile] += 1
            fits[profile] = not _quota_misses(commitment, counts)
            counts[profile] -= 1
        if fits[profile]:
            return reserve
    return None
