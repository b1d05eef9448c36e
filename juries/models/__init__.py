from .announcements import Announcement, AnnouncementRead, Audience
from .audit import AuditChain, AuditEntry
from .bodies import OversightBody
from .draws import Draw, DrawState, Place, PlaceKind, PlaceState, Replacement
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
from .notifications import EmailChoice, Notification, ReminderQueued
from .people import User
from .recruitment import (
    Answer,
    Category,
    CategoryValue,
    Recruitment,
    RecruitmentState,
    Volunteer,
    VolunteerSource,
)
from .sittings import AgendaItem, Sitting
from .submissions import FormSubmission

__all__ = [
    "STAGE_DESCRIPTIONS",
    "AgendaItem",
    "Announcement",
    "AnnouncementRead",
    "Audience",
    "Answer",
    "AuditChain",
    "AuditEntry",
    "Category",
    "CategoryValue",
    "Draw",
    "EmailChoice",
    "DrawState",
    "FormSubmission",
    "Invitation",
    "InvitationState",
    "Jury",
    "JuryEvent",
    "Membership",
    "Notification",
    "OversightBody",
    "Place",
    "PlaceKind",
    "PlaceState",
    "Recruitment",
    "RecruitmentState",
    "Replacement",
    "ReminderQueued",
    "Role",
    "Sitting",
    "Stage",
    "StageChange",
    "StagePlan",
    "User",
    "Visibility",
    "Volunteer",
    "VolunteerSource",
]
