"""Changing who belongs to a jury."""

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit, events
from .permissions import Action


def remove_member(*, membership, by):
    """Take a person out of a jury. Their past contributions stay; their access ends at once."""
    with transaction.atomic():
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
        # Their open pages stop receiving anything the moment this commits.
        events.publish(
            membership.jury,
            "member.removed",
            requires=Action.VIEW_JURY,
            data={"member": user_id, "role": None},
        )


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
