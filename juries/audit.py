"""Recording privileged actions. Every service that changes who may do what calls `record()`."""

from .models import AuditEntry


def record(*, actor, action, summary, jury=None, target=None):
    """Append one entry to the audit log. Call inside the service's transaction."""
    return AuditEntry.objects.create(
        jury=jury,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        summary=str(summary)[:500],
        target_type=target._meta.model_name if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
    )
