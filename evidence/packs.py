"""Evidence packs and items: saving them (every edit kept), reading them, and the views of the
whole that facilitators and observers need (balance by standpoint, who may need help)."""

import difflib
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from juries import audit, notifications
from juries.models import Role
from juries.numbers import percent

from .models import EvidenceItem, EvidenceItemVersion, Reading, Standpoint

VERSIONED_FIELDS = ("title", "summary", "body")
# Who is told when a pack is published (the oversight body reads the report, not the packs).
PACK_READERS = [Role.JUROR, Role.WITNESS, Role.OBSERVER]


def save_pack(*, jury, form, by):
    creating = form.instance.pk is None
    with transaction.atomic():
        pack = form.save(commit=False)
        pack.jury = jury
        pack.save()
        audit.record(
            actor=by,
            action="pack.create" if creating else "pack.edit",
            jury=jury,
            target=pack,
            summary=(
                _("Added the evidence pack “%(title)s”.")
                if creating
                else _("Changed the evidence pack “%(title)s”.")
            )
            % {"title": pack.title},
        )
    return pack


def set_published(*, pack, published, by):
    """Publish a pack to jurors (or take it back to draft), recording who did it. Publishing
    a pack for the first time (or again after taking it back) tells its readers: jurors,
    witnesses and observers (`notify`, nothing they must do)."""
    with transaction.atomic():
        was_published = pack.published_at is not None
        pack.published_at = timezone.now() if published else None
        pack.save(update_fields=["published_at"])
        audit.record(
            actor=by,
            action="pack.publish" if published else "pack.unpublish",
            jury=pack.jury,
            target=pack,
            summary=(
                _("Published the evidence pack “%(title)s”.")
                if published
                else _("Took the evidence pack “%(title)s” back to draft.")
            )
            % {"title": pack.title},
        )
        if published and not was_published:
            notifications.notify(
                jury=pack.jury,
                recipients=pack.jury.memberships.filter(role__in=PACK_READERS)
                .reachable()
                .select_related("user"),
                kind="pack.published",
                target=pack,
                needs_action=False,
                context={"pack": pack},
            )


def save_item(*, pack, form, by, change_note=""):
    """Save an item from its form. A change to what readers read makes a new version, kept with
    who made it, so jurors who read an earlier one are told what changed. Locks the item row."""
    creating = form.instance.pk is None
    with transaction.atomic():
        item = form.save(commit=False)
        item.pack = pack
        content_changed = creating or any(name in form.changed_data for name in VERSIONED_FIELDS)
        if not creating and content_changed:
            current = EvidenceItem.objects.select_for_update().get(pk=item.pk)
            item.version = current.version + 1
        item.save()
        if content_changed:
            EvidenceItemVersion.objects.create(
                item=item,
                version=item.version,
                title=item.title,
                summary=item.summary,
                body=item.body,
                change_note=change_note,
                edited_by=by,
            )
        audit.record(
            actor=by,
            action="item.create" if creating else "item.edit",
            jury=pack.jury,
            target=item,
            summary=(
                _("Added “%(title)s” to “%(pack)s”.")
                if creating
                else _("Changed “%(title)s” in “%(pack)s”.")
            )
            % {"title": item.title, "pack": pack.title},
        )
    return item


def record_reading(*, item, user):
    """Note that `user` has read the item as it is now."""
    Reading.objects.update_or_create(item=item, user=user, defaults={"version": item.version})


def reading_states(user, items):
    """For each item id: "new" (never opened), "updated" (changed since read) or "read"."""
    read = dict(Reading.objects.filter(user=user, item__in=items).values_list("item_id", "version"))
    states = {}
    for item in items:
        version = read.get(item.pk)
        states[item.pk] = (
            "new" if version is None else "updated" if version < item.version else "read"
        )
    return states


def what_changed(item, since_version):
    """A readable line-by-line diff of the item's text since the version a person read."""
    old = item.versions.filter(version=since_version).first()
    if old is None:
        return None
    before = f"{old.title}\n\n{old.summary}\n\n{old.body}".splitlines()
    after = f"{item.title}\n\n{item.summary}\n\n{item.body}".splitlines()
    diff = difflib.ndiff(before, after)
    return [
        {"change": "added" if line[0] == "+" else "removed", "text": line[2:]}
        for line in diff
        if line[:1] in {"+", "-"} and line[2:].strip()
    ]


def balance(packs):
    """Per pack and overall: items and reading minutes by standpoint, every standpoint listed."""
    rows = []
    overall = Counter()
    for pack in packs:
        counts = Counter(item.standpoint for item in pack.items.all())
        minutes = Counter()
        for item in pack.items.all():
            minutes[item.standpoint] += item.reading_minutes
        overall.update(counts)
        total = sum(counts.values())
        rows.append(
            {
                "pack": pack,
                "total": total,
                "by_standpoint": [
                    {
                        "standpoint": s,
                        "items": counts[s],
                        "minutes": minutes[s],
                        "share": percent(counts[s], total) or "0",
                    }
                    for s in Standpoint
                ],
                "missing": [s for s in Standpoint if not counts[s]],
            }
        )
    return rows, overall


def who_may_need_help(jury, packs):
    """Per pack: how many jurors have not opened any of its items. Counts only, no names ranked."""
    jurors = set(jury.memberships.jurors().values_list("user_id", flat=True))
    opened = defaultdict(set)
    for pack_id, user_id in Reading.objects.filter(item__pack__in=packs).values_list(
        "item__pack_id", "user_id"
    ):
        opened[pack_id].add(user_id)
    return [
        {"pack": pack, "not_opened": len(jurors - opened[pack.pk]), "jurors": len(jurors)}
        for pack in packs
    ]
