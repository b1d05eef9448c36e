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
