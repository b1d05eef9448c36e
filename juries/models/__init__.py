from .audit import AuditEntry
from .bodies import OversightBody
from .events import JuryEvent
from .invitations import Invitation, InvitationState
from .juries import (
    STAGE_DESCRIPTIONS,
    Jury,
    Membership,
    Role,
    Stage,
    StageChange,
    StagePlan,
    Visibility,
)
from .people import User
from .sittings import AgendaItem, Sitting
from .submissions import FormSubmission

__all__ = [
    "STAGE_DESCRIPTIONS",
    "AgendaItem",
    "AuditEntry",
    "FormSubmission",
    "Invitation",
    "InvitationState",
    "Jury",
    "JuryEvent",
    "Membership",
    "OversightBody",
    "Role",
    "Sitting",
    "Stage",
    "StageChange",
    "StagePlan",
    "User",
    "Visibility",
]
