from .glossary import GlossaryTerm
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
    SystemVersion,
)

__all__ = [
    "GlossaryTerm",
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
    "SystemVersion",
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
