"""The draw, from computing the fairest lottery to the invitations.

1. `start_draw()` snapshots the pool (pseudonyms and answers only) and the quotas, and queues
   `compute_draw`, which runs in the worker: the LEXIMIN distribution, written as a commitment.
2. `publish_distribution()` makes the commitment and its SHA-256 public. No seed exists yet.
3. `enter_seed()` records a seed from a public source; the panel and the ordered reserve list
   follow from seed and commitment alone (`juries.selection.bundle.draw`), so anyone can re-run it.
4. `invite_selected()` invites the panel through the ordinary invitation flow and tells everyone
   else, kindly; `replace()` brings in the first reserve who keeps the quotas met.

Every function here is called by a facilitator's view after `juries.permissions` allowed it.
"""

import logging
import time

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from juries import audit
from juries.models import (
    Answer,
    Category,
    Draw,
    DrawState,
    Jury,
    Place,
    PlaceKind,
    PlaceState,
    Recruitment,
    Volunteer,
)
from juries.refusals import Refused

from . import (
    QuotasInfeasible,
    SelectionCancelled,
    SelectionTimeout,
    bundle,
    find_distribution,
)

logger = logging.getLogger(__name__)


class DrawError(Refused):
    """A plain-language reason the draw cannot move on."""


class _Cancelled(Exception):
    pass


def current_draw(jury):
    """The jury's draw in progress or finished, else its latest failed or cancelled one."""
    return jury.draws.live().first() or jury.draws.first()


def _pool_snapshot(jury):
    """Pseudonym -> {category: answer} for everyone in the pool, in two queries. Someone who
    registered before a question was added is in the pool with that answer missing."""
    in_pool = Volunteer.objects.in_pool().filter(jury=jury)
    pool = {pseudonym: {} for pseudonym in in_pool.values_list("pseudonym", flat=True)}
    rows = Answer.objects.filter(volunteer__in=in_pool).values_list(
        "volunteer__pseudonym", "category__name", "value__label"
    )
    for pseudonym, category, value in rows:
        if pseudonym in pool:
            pool[pseudonym][category] = value
    return dict(sorted(pool.items()))


def _categories(jury, panel_size):
    result = []
    for category in Category.objects.filter(jury=jury).prefetch_related("values"):
        values = [
            {
                "value": value.label,
                "min": value.minimum,
                "max": panel_size if value.maximum is None else min(value.maximum, panel_size),
            }
            for value in category.values.all()
        ]
        result.append({"name": category.name, "values": values})
    return result


def start_draw(*, jury, by):
    """Queue the computation of the jury's lottery. Raises DrawError when it cannot start."""
    recruitment, _created = Recruitment.objects.get_or_create(jury=jury)
    if recruitment.is_open:
        raise DrawError(
            _("Close recruitment first, so that everyone who registered has the same chance.")
        )
    with transaction.atomic():
        # The jury's row is the lock: two facilitators starting at once make one draw.
        Jury.objects.select_for_update().filter(pk=jury.pk).first()
        live = jury.draws.live().first()
        if live is not None and live.state != DrawState.COMPUTED:
            raise DrawError(
                _("This jury already has a draw: %(state)s.")
                % {"state": live.get_state_display().lower()}
            )
        if live is not None:  # computed but never published: replaced by the new computation
            live.state, live.finished_at = DrawState.CANCELLED, timezone.now()
            live.save(update_fields=["state", "finished_at"])
            audit.record(
                actor=by,
                action="draw.cancel",
                jury=jury,
                target=live,
                summary=_("Discarded draw %(number)s, computed but not published, to start again.")
                % {"number": live.pk},
            )
        pool = _pool_snapshot(jury)
        if len(pool) < recruitment.panel_size:
            raise DrawError(
                _("The pool has %(count)s people, fewer than the %(size)s jurors to select.")
                % {"count": len(pool), "size": recruitment.panel_size}
            )
        categories = _categories(jury, recruitment.panel_size)
        if not categories:
            raise DrawError(_("Add at least one question with quotas before drawing."))
        draw = Draw.objects.create(
            jury=jury,
            panel_size=recruitment.panel_size,
            volunteer_count=len(pool),
            started_by=by,
            inputs={"pool": pool, "categories": categories},
        )
        audit.record(
            actor=by,
            action="draw.start",
            jury=jury,
            target=draw,
            summary=_(
                "Started computing the lottery for %(size)s jurors from %(count)s volunteers."
            )
            % {"size": draw.panel_size, "count": draw.volunteer_count},
        )
        transaction.on_commit(lambda: compute_draw.enqueue(draw.pk))
    return draw


def _quotas_of(categories):
    return {
        (category["name"], value["value"]): (value["min"], value["max"])
        for category in categories
        for value in category["values"]
    }


@task()
def compute_draw(draw_id):
    """Compute the LEXIMIN distribution for a queued draw. Runs in the worker, never a request."""
    claimed = Draw.objects.filter(
        pk=draw_id, state=DrawState.QUEUED, cancel_requested=False
    ).update(state=DrawState.RUNNING, started_at=timezone.now())
    if not claimed:
        Draw.objects.filter(pk=draw_id, state=DrawState.QUEUED).update(
            state=DrawState.CANCELLED, finished_at=timezone.now()
        )
        return
    draw = Draw.objects.select_related("jury").get(pk=draw_id)
    try:
        _compute(draw)
    except (_Cancelled, SelectionCancelled):
        _finish(draw, DrawState.CANCELLED)
    except QuotasInfeasible as error:
        _finish(draw, DrawState.FAILED, _infeasible_text(error.report))
    except SelectionTimeout:
        _finish(
            draw,
            DrawState.FAILED,
            _(
                "The first level of fairness was not reached within the time allowed. Use fewer "
                "questions, or wider quotas, and try again."
            ),
        )
    except Exception:  # the page must say it failed, not spin forever
        logger.exception("Draw %s failed", draw_id)
        _finish(
            draw,
            DrawState.FAILED,
            _("Something went wrong while computing the lottery. Please try again."),
        )


def _infeasible_text(report):
    parts = [str(report.explanation)]
    # The explanation usually says the reasons already; add only those it does not.
    parts += [str(reason) for reason in report.reasons or [] if str(reason) not in parts[0]]
    return "\n".join(part for part in parts if part)


# The solver asks before each of its (often sub-second) calls; the database is asked at most this
# often, so a cancel takes effect within a couple of seconds without hundreds of queries.
CANCEL_CHECK_SECONDS = 2.0


def _every(seconds, check):
    """`check`, but answered from the last result unless `seconds` have passed since."""
    last = {"at": None, "answer": False}

    def throttled():
        now = time.monotonic()
        if last["at"] is None or now - last["at"] >= seconds:
            last["at"], last["answer"] = now, check()
        return last["answer"]

    return throttled


def _cancel_requested(draw_id):
    return Draw.objects.filter(pk=draw_id, cancel_requested=True).exists()


def _compute(draw):
    pool = draw.inputs["pool"]
    categories = draw.inputs["categories"]
    pseudonyms = sorted(pool)
    volunteers = [pool[p] for p in pseudonyms]

    def progress(levels, elapsed):
        Draw.objects.filter(pk=draw.pk).update(levels_fixed=levels, elapsed_seconds=elapsed)
        if _cancel_requested(draw.pk):
            raise _Cancelled

    distribution = find_distribution(
        volunteers,
        _quotas_of(categories),
        draw.panel_size,
        time_limit=draw.time_cap_seconds,
        progress=progress,
        should_stop=_every(CANCEL_CHECK_SECONDS, lambda: _cancel_requested(draw.pk)),
    )
    profiles = [
        {
            "answers": dict(zip(distribution.pool.categories, profile.answers, strict=True)),
            "members": sorted(pseudonyms[m] for m in profile.members),
        }
        for profile in distribution.pool.profiles
    ]
    commitment = bundle.commitment(
        jury={"slug": draw.jury.slug, "title": draw.jury.title},
        panel_size=draw.panel_size,
        categories=categories,
        profiles=profiles,
        panels=distribution.panels,
        probabilities=distribution.probabilities,
        algorithm=distribution.algorithm,
        levels=distribution.levels,
        complete=distribution.complete,
        created_at=timezone.now().isoformat(timespec="seconds"),
    )
    probabilities = distribution.profile_probabilities
    sizes = [len(p["members"]) for p in profiles]
    draw.commitment = commitment
    draw.profile_count = len(profiles)
    draw.levels_fixed = len(distribution.levels)
    draw.complete = distribution.complete
    draw.elapsed_seconds = distribution.elapsed
    draw.lowest_probability = min(probabilities)
    draw.mean_probability = sum(p * n for p, n in zip(probabilities, sizes, strict=True)) / sum(
        sizes
    )
    _finish(
        draw,
        DrawState.COMPUTED,
        fields=[
            "commitment",
            "profile_count",
            "levels_fixed",
            "complete",
            "elapsed_seconds",
            "lowest_probability",
            "mean_probability",
        ],
    )


def _finish(draw, state, error="", fields=()):
    draw.state, draw.error, draw.finished_at = state, error, timezone.now()
    # Only a running draw is finished: a draw cancelled meanwhile stays cancelled.
    updated = Draw.objects.filter(pk=draw.pk, state=DrawState.RUNNING).update(
        state=state,
        error=error,
        finished_at=draw.finished_at,
        **{name: getattr(draw, name) for name in fields},
    )
    if not updated:
        draw.refresh_from_db()


def cancel_draw(*, draw, by):
    """Cancel a draw that is queued, computing or computed but not yet published."""
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if draw.state not in (DrawState.QUEUED, DrawState.RUNNING, DrawState.COMPUTED):
            raise DrawError(_("Only a draw that has not been published can be cancelled."))
        # Cancelled at once, even while the worker computes: it stops at its next check and
        # never overwrites a cancelled draw, and a worker that died cannot leave it stuck.
        draw.cancel_requested = True
        draw.state, draw.finished_at = DrawState.CANCELLED, timezone.now()
        draw.save(update_fields=["cancel_requested", "state", "finished_at"])
        audit.record(
            actor=by,
            action="draw.cancel",
            jury=draw.jury,
            target=draw,
            summary=_("Cancelled draw %(number)s.") % {"number": draw.pk},
        )
    return draw


def publish_distribution(*, draw, by, seed_source, seed_numbers, seed_date=None):
    """Declare where the seed will come from, how many numbers it has and on what day the event
    gives it (`seed_date`, a date; the form asks for it), and make the commitment public with its
    SHA-256. From now on nothing in it can change: the seed rule is part of it, so the seed cannot
    be chosen after the fact. Raises DrawError."""
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if draw.state != DrawState.COMPUTED:
            raise DrawError(_("Only a computed lottery that is not yet public can be published."))
        try:
            draw.commitment = bundle.with_seed_rule(
                draw.commitment, source=seed_source, numbers=seed_numbers, date=seed_date
            )
        except ValueError as error:
            raise DrawError(str(error)) from None
        draw.commitment_sha256 = bundle.sha256_of(draw.commitment)
        draw.seed_source = draw.commitment["seed_rule"]["source"][:300]
        draw.state, draw.published_at, draw.published_by = DrawState.PUBLISHED, timezone.now(), by
        draw.save(
            update_fields=[
                "commitment",
                "commitment_sha256",
                "seed_source",
                "state",
                "published_at",
                "published_by",
            ]
        )
        audit.record(
            actor=by,
            action="draw.publish",
            jury=draw.jury,
            target=draw,
            summary=_("Published the lottery's distribution (SHA-256 %(sha)s).")
            % {"sha": draw.commitment_sha256},
            data={"draw": draw.pk, "commitment_sha256": draw.commitment_sha256},
        )
    return draw


def too_early_for_seed(draw, today=None):
    """Why no seed can be entered yet, or "": a seed typed in before the declared seed event
    cannot be that event's result. Refused, not merely warned about, so that nobody (and no
    slip of the mouse) draws from a number known before the lottery was fixed."""
    event_day = draw.seed_event_date
    today = today or timezone.localdate()
    if event_day is None or today >= event_day:
        return ""
    return _(
        "The seed cannot be entered before the seed event: it was declared for %(day)s. A number "
        "known today cannot be that event's result. Enter it on or after %(day)s."
    ) % {"day": date_format(event_day, "DATE_FORMAT")}


def enter_seed(*, draw, seed, by, today=None):
    """Record the seed from the source declared at publication and draw the panel and reserves
    from it. Only its numbers count, as many as declared. Refused before the declared day of the
    seed event (`today` defaults to the local date). Raises DrawError."""
    with transaction.atomic():
        draw = Draw.objects.select_for_update().get(pk=draw.pk)
        if draw.state != DrawState.PUBLISHED:
            raise DrawError(
                _("The seed can only be entered once, after the distribution is published.")
            )
        too_early = too_early_for_seed(draw, today)
        if too_early:
            raise DrawError(too_early)
        if bundle.sha256_of(draw.commitment) != draw.commitment_sha256:
            # The stored commitment no longer matches what was published: never draw from it.
            raise DrawError(_("The stored distribution does not match its published SHA-256."))
        try:
            seed = bundle.normalise_seed(seed, draw.commitment["seed_rule"]["numbers"])
            outcome = bundle.draw(draw.commitment, seed)
        except ValueError as error:
            raise DrawError(str(error)) from None
        draw.seed, draw.seed_entered_by = seed, by
        draw.seed_entered_at = timezone.now()
        draw.outcome = {
            "panel": outcome.panel,
            "reserves": outcome.reserves,
            "panel_index": outcome.panel_index,
        }
        draw.state = DrawState.DRAWN
        draw.save(update_fields=["seed", "seed_entered_by", "seed_entered_at", "outcome", "state"])
        _create_places(draw, outcome)
        audit.record(
            actor=by,
            action="draw.seed",
            jury=draw.jury,
            target=draw,
            summary=_("Entered the seed “%(seed)s” (%(source)s) and drew the panel.")
            % {"seed": seed, "source": draw.seed_source[:120]},
            data={"draw": draw.pk, "commitment_sha256": draw.commitment_sha256, "seed": seed},
        )
    return draw


def _create_places(draw, outcome):
    volunteers = dict(Volunteer.objects.filter(jury=draw.jury).values_list("pseudonym", "pk"))
    unavailable = set(
        Volunteer.objects.filter(jury=draw.jury, withdrawn_at__isnull=False).values_list(
            "pseudonym", flat=True
        )
    )
    places = []
    for kind, names in ((PlaceKind.PANEL, outcome.panel), (PlaceKind.RESERVE, outcome.reserves)):
        for position, pseudonym in enumerate(names, start=1):
            gone = pseudonym in unavailable or pseudonym not in volunteers
            places.append(
                Place(
                    draw=draw,
                    volunteer_id=volunteers.get(pseudonym),
                    pseudonym=pseudonym,
                    kind=kind,
                    position=position,
                    state=PlaceState.UNAVAILABLE if gone else PlaceState.WAITING,
                )
            )
    Place.objects.bulk_create(places)


def public_bundle(draw):
    """What anyone may download: the commitment as published and, once drawn, the seed and the
    result as recorded (not recomputed, so a checker compares the record with what the seed
    draws), and the replacements made since, in order."""
    if draw.state == DrawState.DRAWN:
        return {
            "commitment": draw.commitment,
            "commitment_sha256": draw.commitment_sha256,
            "seed": {
                "value": draw.seed,
                "source": draw.seed_source,
                "entered_at": draw.seed_entered_at.isoformat(timespec="seconds"),
            },
            "result": {
                "panel": list(draw.outcome["panel"]),
                "reserves": list(draw.outcome["reserves"]),
                "panel_index": draw.outcome["panel_index"],
            },
            "replacements": [
                {
                    "leaving": leaving,
                    "joining": joining,
                    "made_at": made_at.isoformat(timespec="seconds"),
                }
                for leaving, joining, made_at in draw.replacements.order_by(
                    "made_at", "id"
                ).values_list("leaving__pseudonym", "joining__pseudonym", "made_at")
            ],
        }
    if draw.state == DrawState.PUBLISHED:
        return {
            "commitment": draw.commitment,
            "commitment_sha256": draw.commitment_sha256,
        }
    raise DrawError(_("This draw is not public."))
