from .packs import (
    EvidenceItem,
    EvidenceItemVersion,
    EvidencePack,
    ItemKind,
    ItemVisibility,
    Reading,
    Standpoint,
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
