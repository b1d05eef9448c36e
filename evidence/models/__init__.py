from .packs import (
    EvidenceItem,
    EvidenceItemVersion,
    EvidencePack,
    ItemKind,
    ItemVisibility,
    Reading,
    Standpoint,
)
from .questions import (
    EvidenceRequest,
    Question,
    QuestionState,
    RequestState,
    Support,
    Witness,
)
from .systems import (
    AIActClass,
    Capability,
    Function,
    OrganisationType,
    Phase,
    System,
    SystemStatus,
)

__all__ = [
    "EvidenceRequest",
    "Question",
    "QuestionState",
    "RequestState",
    "Support",
    "Witness",
    "EvidenceItem",
    "EvidenceItemVersion",
    "EvidencePack",
    "ItemKind",
    "ItemVisibility",
    "Reading",
    "Standpoint",
    "AIActClass",
    "Capability",
    "Function",
    "OrganisationType",
    "Phase",
    "System",
    "SystemStatus",
]
