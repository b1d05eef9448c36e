"""A jury's timeline: every stage with its planned dates, and where the jury is now."""

from dataclasses import dataclass

from .models import STAGE_DESCRIPTIONS, Stage


@dataclass
class TimelineStage:
    stage: Stage
    description: str
    planned_start: object
    planned_end: object
    state: str  # "done", "current" or "upcoming"


def timeline_for(jury, plans=None):
    plans = {p.stage: p for p in (plans if plans is not None else jury.stage_plans.all())}
    current = Stage(jury.stage).position
    rows = []
    for stage in Stage:
        plan = plans.get(stage)
        state = (
            "done"
            if stage.position < current
            else "current"
            if stage.position == current
            else "upcoming"
        )
        rows.append(
            TimelineStage(
                stage=stage,
                description=STAGE_DESCRIPTIONS[stage],
                planned_start=plan.planned_start if plan else None,
                planned_end=plan.planned_end if plan else None,
                state=state,
            )
        )
    return rows


# The stages in which jurors do the jury's work: from reading the evidence to checking the report.
JURORS_STAGES = (Stage.LEARNING, Stage.DELIBERATION, Stage.DRAFTING, Stage.DECISION, Stage.REPORT)


@dataclass
class JurorsWork:
    """When the jurors' work is planned: the first planned day of Learning (or the earliest of
    the jurors' stages) to the last planned day of the Report. Either may be None."""

    start: object
    end: object


def jurors_work(plans):
    """JurorsWork from a jury's StagePlans (pass them prefetched for a list of juries)."""
    plans = [plan for plan in plans if plan.stage in JURORS_STAGES]
    starts = [plan.planned_start for plan in plans if plan.planned_start]
    ends = [plan.planned_end for plan in plans if plan.planned_end]
    return JurorsWork(start=min(starts, default=None), end=max(ends, default=None))
