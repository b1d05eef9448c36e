"""A person's own account: their data, and deleting it."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, erasure, events
from .models import AuditEntry, Invitation, Jury, Notification, Role, Volunteer
from .permissions import Action
from .refusals import Refused
from .selection import recruitment

# Apps built on juries add what they hold about a person: name -> function(user) -> JSON-ready
# data. Registered in their AppConfig.ready(), so juries need not import them.
EXPORTERS = {}

# And what a jury's stored event stream still shows of a person who deleted their account (their
# posts, their name in the live rooms): function(jury, user) that drops it, called for each jury
# they belonged to, inside the deletion's transaction. Registered the same way.
FORGET_IN_EVENT_STREAM = []


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
                "emails": m.emails,
            }
            for m in user.memberships.select_related("jury")
        ],
        "invitations_received": [
            {
                "jury": i.jury.title,
                "role": i.role,
                "sent": i.created_at.isoformat(),
                "state": i.state.value,
            }
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("jury")
        ],
        "registrations_of_interest": _registrations(user),
        "two_factor_methods": [a.type for a in Authenticator.objects.filter(user=user)],
        "signed_in_devices": [
            {"ip": s.ip, "user_agent": s.user_agent, "last_seen": s.last_seen_at.isoformat()}
            for s in UserSession.objects.filter(user=user)
        ],
        "whats_new": [
            # The kind of news and its times: what it was about may name other people.
            {
                "jury": n.jury.title,
                "kind": n.kind,
                "when": n.created_at.isoformat(),
                "read": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(user=user).select_related("jury")
        ],
        "actions_recorded": [
            # Only the kind of action: the wording names other people.
            {"when": a.at.isoformat(), "action": a.action}
            for a in AuditEntry.objects.filter(actor_ref=user.audit_ref)
        ],
        **{name: exporter(user) for name, exporter in EXPORTERS.items()},
    }


def _registrations(user):
    """What the person gave when volunteering for a jury's lottery, under any verified address."""
    # Only addresses the person proved are theirs: access needs can be health information.
    addresses = [e.email.lower() for e in EmailAddress.objects.filter(user=user, verified=True)]
    volunteers = Volunteer.objects.filter(email__in=addresses).select_related("jury")
    return [
        {
            "jury": v.jury.title,
            "name": v.name,
            "email": v.email,
            "access_needs": v.access_needs,
            "answers": {a.category.name: a.value.label for a in v.answers.all()},
            "registered": v.registered_at.isoformat(),
            "confirmed": v.confirmed_at.isoformat() if v.confirmed_at else None,
        }
        for v in volunteers.prefetch_related("answers__category", "answers__value")
    ]


class AccountDeletionError(Refused):
    pass


def juries_only_facilitated_by(user):
    """Juries that would be left without a facilitator if this person left."""
    led = Jury.objects.filter(memberships__user=user, memberships__role=Role.FACILITATOR)
    return [
        jury
        for jury in led.annotate(
            facilitators=Count("memberships", filter=Q(memberships__role=Role.FACILITATOR))
        )
        if jury.facilitators == 1
    ]


def delete_account(*, user, by=None):
    """Delete a person's account at their request (or by staff, `by`, in the admin).

    Personal data (email, display name, second factors, devices) is erased at once; the row stays
    so that what they wrote in a jury remains, shown as by "former juror". They are signed out
    everywhere. Their addresses are removed from invitations and sessions, and any registration
    of interest in a jury's lottery is withdrawn and erased. The audit log is not rewritten: its
    entries name people only by their `audit_ref`, and its pages now show "Former juror" for them.
    """
    sole = juries_only_facilitated_by(user)
    if sole:
        raise AccountDeletionError(
            _(
                "You are the only facilitator of %(juries)s. Ask staff to add another facilitator first."
            )
            % {"juries": ", ".join(f"“{jury.title}”" for jury in sole)}
        )
    # Every address they have had: the current ones, and earlier ones still kept on the
    # invitation they accepted and the registration it came from (after a change of address).
    invitations = Invitation.objects.filter(accepted_by=user)
    volunteers = Volunteer.objects.filter(
        Q(places__invitation__accepted_by=user), withdrawn_at__isnull=True
    )
    addresses = (
        {user.email.lower()}
        | {e.email.lower() for e in EmailAddress.objects.filter(user=user, verified=True)}
        | {email.lower() for email in invitations.values_list("email", flat=True)}
        | {email.lower() for email in volunteers.values_list("email", flat=True)}
    )
    with transaction.atomic():
        for session in UserSession.objects.filter(user=user):
            session.end()
        registered = Volunteer.objects.filter(
            Q(email__in=addresses) | Q(pk__in=volunteers.values("pk")), withdrawn_at__isnull=True
        )
        for volunteer in registered.distinct():
            recruitment.withdraw(volunteer, notify=False)
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Invitation.objects.filter(Q(email__in=addresses) | Q(accepted_by=user)).update(
            email=f"deleted-{user.pk}@deleted.invalid"
        )
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.display_name = ""
        user.is_active = False
        user.deleted_at = timezone.now()
        user.set_unusable_password()
        user.save()
        # The admin's own history names people as they were called: it now says "Former member",
        # as the audit log's pages do.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(user._meta.model), object_id=str(user.pk)
        ).update(object_repr=str(audit.FORMER_MEMBER))
        # Sessions not signed in as them can hold the address too (a sign-in by code begun).
        erasure.end_sessions_holding(addresses)
        if by is None or by.pk == user.pk:
            summary = _("A member deleted their account.")
        else:
            summary = _("Staff deleted a member's account.")
        audit.record(
            actor=by if by is not None and by.pk != user.pk else None,
            action="account.delete",
            summary=summary,
        )
        for membership in user.memberships.select_related("jury"):
            _forget_in_event_stream(membership.jury, user)


def _forget_in_event_stream(jury, user):
    """Their open pages stop at once, and replays no longer carry their name: the apps that
    published it drop the stored HTML that shows it (FORGET_IN_EVENT_STREAM)."""
    for forget in FORGET_IN_EVENT_STREAM:
        forget(jury, user)
    events.publish(
        jury, "member.removed", requires=Action.VIEW_JURY, data={"member": user.pk, "role": None}
    )
