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
    "AIActClass",
    "Capability",
    "Function",
    "OrganisationType",
    "Phase",
    "System",
    "SystemStatus",
]
