"""Changing the public register of systems. Every change keeps the entry as it was
(a SystemVersion) and is recorded in the audit log of each jury that reviews the system, because
those juries' facilitators answer for the entry together.

Who may call what is for the permissions module: `can_manage_register` to add an entry,
`may_edit_system` to change one, MANAGE_EVIDENCE on the jury to link or unlink it.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils.translation import gettext as _

from juries import audit
from juries.permissions import may_edit_system
from juries.refusals import Refused

from .models import System, SystemVersion
from .models.systems import VERSIONED_FIELDS


def snapshot(system):
    """The entry's versioned fields as JSON values (dates as YYYY-MM-DD)."""
    values = {name: getattr(system, name) for name in VERSIONED_FIELDS}
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


@transaction.atomic
def save_system(system, *, by, jury=None):
    """Save a new or changed register entry; returns the SystemVersion kept, or None if new.

    Needs: the caller has checked `can_manage_register(by)` for a new entry, or
    `may_edit_system(by, system)` for a change, and validated `system`. Locks the entry's row while
    it reads the earlier version, so two changes at once keep two versions, one after the other.
    A change keeps the row as it was in the database and records "register.change" for every jury
    linked to the system (once without a jury when none is). A new entry is linked to `jury` when
    given, and recorded as "register.add" for it. Publishes no event: the register is a public
    page, not part of a jury's live stream.
    """
    if system.pk is None:
        system.save()
        if jury is not None:
            system.juries.add(jury)
        summary = _("Added “%(name)s” to the register of systems.") % {"name": system.name}
        audit.record(actor=by, action="register.add", summary=summary, jury=jury, target=system)
        return None
    earlier = snapshot(System.objects.select_for_update().get(pk=system.pk))
    changed = [name for name, value in snapshot(system).items() if earlier[name] != value]
    system.save()
    version = SystemVersion.objects.create(
        system=system, fields=earlier, changed=changed, changed_by=by
    )
    what = ", ".join(str(label) for label in version.changed_labels()) or _("nothing")
    summary = _("Changed the register entry “%(name)s” (%(fields)s).") % {
        "name": system.name,
        "fields": what,
    }
    for reviewing in list(system.juries.all()) or [None]:
        audit.record(
            actor=by, action="register.change", summary=summary, jury=reviewing, target=system
        )
    return version


class LinkRefused(Refused):
    """Linking a system would let someone change an entry they are not responsible for."""


@transaction.atomic
def link_system(jury, system, *, by):
    """Have `jury` review `system`. Needs MANAGE_EVIDENCE on the jury and, once some jury reviews
    the system, `may_edit_system` for `by`: linking makes the jury's facilitators responsible for
    the entry, so only staff and those already responsible may extend that (otherwise any
    facilitator could link an entry to their own jury and rewrite it). An entry no jury reviews
    yet may be taken on by the first. Raises LinkRefused.

    Recorded in the audit log of every jury that already reviewed it as well as in the jury's own.
    """
    others = list(system.juries.all())
    if jury in others:
        return
    if others and not may_edit_system(by, system):
        raise LinkRefused(
            _(
                "“%(name)s” can be added to a jury only by the site's staff or a facilitator of "
                "a jury that already reviews it, because the facilitators of those juries may "
                "change its entry. Ask the site's staff to add it to this jury."
            )
            % {"name": system.name}
        )
    system.juries.add(jury)
    summary = _("“%(jury)s” now reviews “%(name)s”; its facilitators may change the entry.") % {
        "jury": jury.title,
        "name": system.name,
    }
    for reviewing in [jury, *others]:
        audit.record(
            actor=by, action="register.link", summary=summary, jury=reviewing, target=system
        )


@transaction.atomic
def unlink_system(jury, system, *, by):
    """Stop `jury` reviewing `system`. Needs MANAGE_EVIDENCE on the jury. Recorded for the jury."""
    if not system.juries.filter(pk=jury.pk).exists():
        return
    system.juries.remove(jury)
    summary = _("“%(jury)s” no longer reviews “%(name)s”.") % {
        "jury": jury.title,
        "name": system.name,
    }
    audit.record(actor=by, action="register.unlink", summary=summary, jury=jury, target=system)
