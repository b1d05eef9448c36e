"""Changing who belongs to a jury."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, events
from .models import Membership, Notification, Role
from .permissions import Action
from .refusals import Refused


class MembershipError(Refused):
    pass


def last_facilitator_refusal(membership, new_role=None):
    """Why `membership` may not stop being a facilitator (by leaving, or by taking `new_role`),
    or None: a jury is never left without someone to run it."""
    if membership.pk is None or new_role == Role.FACILITATOR:
        return None
    stored = Membership.objects.filter(pk=membership.pk).values_list("role", flat=True).first()
    if stored != Role.FACILITATOR:
        return None
    others = Membership.objects.filter(jury_id=membership.jury_id).facilitators()
    if others.exclude(pk=membership.pk).exists():
        return None
    return _("%(name)s is the only facilitator of “%(jury)s”. Add another facilitator first.") % {
        "name": membership.user.public_name,
        "jury": membership.jury.title,
    }


def add_member(*, jury, user, role, by):
    """Staff add a person to a jury with a role (the admin's way in; the pages' way is an
    invitation). Locks the jury row so one person gets one membership; records it in the jury's
    audit log. Raises MembershipError if they already belong to the jury."""
    with transaction.atomic():
        type(jury).objects.select_for_update().get(pk=jury.pk)
        if Membership.objects.filter(jury=jury, user=user).exists():
            raise MembershipError(_("This person is already a member of this jury."))
        membership = Membership.objects.create(jury=jury, user=user, role=role)
        audit.record(
            actor=by,
            action="membership.add",
            jury=jury,
            target=membership,
            subject=user,
            summary=_("Added %(name)s to the jury as %(role)s.")
            % {"name": audit.PERSON, "role": membership.get_role_display()},
        )
    return membership


def change_role(*, membership, role, by):
    """Give a member another role. Locks the membership; refuses to leave the jury without a
    facilitator (MembershipError); records it in the jury's audit log and publishes
    `member.role`, so their open pages receive what the new role allows from the next event on.
    """
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user", "jury")
            .get(pk=membership.pk)
        )
        if membership.role == role:
            return membership
        refusal = last_facilitator_refusal(membership, role)
        if refusal:
            raise MembershipError(refusal)
        old_role = membership.get_role_display()
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            actor=by,
            action="membership.role",
            jury=membership.jury,
            target=membership,
            subject=membership.user,
            summary=_("%(name)s is now %(role)s (was %(old)s).")
            % {
                "name": audit.PERSON,
                "role": membership.get_role_display(),
                "old": old_role,
            },
        )
        events.publish(
            membership.jury,
            "member.role",
            requires=Action.VIEW_JURY,
            data={"member": membership.user_id, "role": membership.role},
        )
    return membership


def remove_member(*, membership, by):
    """Take a person out of a jury. Their past contributions stay; their access ends at once,
    and their notifications about the jury are deleted. Refuses to remove the last facilitator
    (MembershipError)."""
    with transaction.atomic():
        refusal = last_facilitator_refusal(membership)
        if refusal:
            raise MembershipError(refusal)
        audit.record(
            actor=by,
            action="membership.remove",
            jury=membership.jury,
            target=membership,
            subject=membership.user,
            summary=_("Removed {person} (%(role)s) from the jury.")
            % {"role": membership.get_role_display()},
        )
        user_id = membership.user_id
        membership.delete()
        # Their news about this jury goes with their access: "What's new" no longer shows it.
        Notification.objects.filter(user_id=user_id, jury_id=membership.jury_id).delete()
        # Their open pages stop receiving anything the moment this commits.
        events.publish(
            membership.jury,
            "member.removed",
            requires=Action.VIEW_JURY,
            data={"member": user_id, "role": None},
        )


def create_jury(*, jury, by):
    """Staff create a jury (in the admin; `jury` is the unsaved instance) and it is recorded as
    the first entry of its audit log."""
    with transaction.atomic():
        jury.save()
        audit.record(
            actor=by,
            action="jury.create",
            jury=jury,
            target=jury,
            summary=_("Created the jury “%(title)s”.") % {"title": jury.title},
        )
    return jury


def update_jury(*, jury, form, by):
    """Save the remit form and record which fields changed."""
    with transaction.atomic():
        jury = form.save()
        if form.changed_data:
            audit.record(
                actor=by,
                action="jury.edit",
                jury=jury,
                target=jury,
                summary=_("Changed the jury's %(fields)s.")
                % {
                    "fields": ", ".join(
                        str(form.fields[name].label).lower() for name in form.changed_data
                    )
                },
            )
    return jury


def update_timeline(*, jury, forms, by):
    with transaction.atomic():
        changed = [f for f in forms if f.has_changed()]
        for form in changed:
            form.save()
        if changed:
            audit.record(
                actor=by,
                action="timeline.edit",
                jury=jury,
                target=jury,
                summary=_("Changed the planned dates of: %(stages)s.")
                % {"stages": ", ".join(f.instance.get_stage_display() for f in changed)},
            )
