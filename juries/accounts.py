"""A person's own account: their data, and deleting it."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import audit
from .models import AuditEntry, Invitation


def export_data(user):
    """Everything Deliberate holds about a person, as plain JSON-ready data."""
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "timezone": user.timezone,
            "joined": user.date_joined.isoformat(),
            "last_sign_in": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "memberships": [
            {
                "jury": m.jury.title,
                "role": m.role,
                "name_shown_publicly": m.show_name_publicly,
                "joined": m.joined_at.isoformat(),
            }
            for m in user.memberships.select_related("jury")
        ],
        "invitations_received": [
            {"jury": i.jury.title, "role": i.role, "sent": i.created_at.isoformat(), "state": i.state.value}
            for i in Invitation.objects.filter(email=user.email).select_related("jury")
        ],
        "two_factor_methods": [a.type for a in Authenticator.objects.filter(user=user)],
        "signed_in_devices": [
            {"ip": s.ip, "user_agent": s.user_agent, "last_seen": s.last_seen_at.isoformat()}
            for s in UserSession.objects.filter(user=user)
        ],
        "actions_recorded": [
            {"when": a.at.isoformat(), "action": a.action, "summary": a.summary}
            for a in AuditEntry.objects.filter(actor=user)
        ],
    }


def delete_account(*, user):
    """Delete a person's account at their request.

    Personal data (email, display name, second factors, devices) is erased at once; the row stays
    so that what they wrote in a jury remains, shown as by "former juror". They are signed out
    everywhere. Their address is removed from invitations and the audit log's wording.
    """
    old_email = user.email
    with transaction.atomic():
        for session in UserSession.objects.filter(user=user):
            session.end()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Invitation.objects.filter(email=old_email).update(email=f"deleted-{user.pk}@deleted.invalid")
        mentions = AuditEntry.objects.filter(
            Q(summary__icontains=old_email) | Q(target_label__icontains=old_email)
        )
        for entry in mentions:
            entry.summary = entry.summary.replace(old_email, "[deleted address]")
            entry.target_label = entry.target_label.replace(old_email, "[deleted address]")
            entry.save(update_fields=["summary", "target_label"])
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.display_name = ""
        user.is_active = False
        user.deleted_at = timezone.now()
        user.set_unusable_password()
        user.save()
        audit.record(actor=None, action="account.delete", summary="A member deleted their account.")
