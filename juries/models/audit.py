"""The audit log: append-only and hash-chained, one chain per jury.

Each entry stores the SHA-256 of its canonical content, which includes the hash of the entry
before it in the same chain (`prev_hash`; the first entry of a chain has `GENESIS`). Entries
without a jury (account deletions, say) form a chain of their own. Rewriting, removing or
inserting an entry therefore changes every hash after it, so anyone who kept a copy of a chain's
head (its length and latest hash, published on a public jury's page, in its feed and in each
report) can tell. `python manage.py verify_audit` walks the chains.

The canonical content of an entry is the UTF-8 bytes of

    json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

where `content` holds exactly these keys: "v" (the format, 1), "jury" (the jury's id, or null),
"seq" (the entry's position in its chain, from 1), "actor" and "subject" (the pseudonymous
`audit_ref` of the person who acted and of the person the entry is about, or null), "action",
"summary", "target_type", "target_id", "target_label", "data" (facts such as a report's
hashes: only strings, integers, lists and objects), "at" (UTC, ISO 8601 with microseconds) and
"prev" (the previous entry's hash).

No row of the log is ever changed or removed: the models refuse it here, and on PostgreSQL a
trigger refuses it in the database (migration juries 0006).
"""

import hashlib
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .juries import Jury

GENESIS = "0" * 64
CANONICAL_VERSION = 1
# Where a summary names the person it is about; the page puts their current name there.
PERSON = "{person}"


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit entry through the models."""


def canonical_bytes(fields):
    """The bytes an entry's hash is computed over, from a dict of its stored fields."""
    at = fields["at"].astimezone(UTC).isoformat(timespec="microseconds")
    content = {
        "v": CANONICAL_VERSION,
        "jury": fields["jury_id"],
        "seq": fields["seq"],
        "actor": str(fields["actor_ref"]) if fields["actor_ref"] else None,
        "subject": str(fields["subject_ref"]) if fields["subject_ref"] else None,
        "action": fields["action"],
        "summary": fields["summary"],
        "target_type": fields["target_type"],
        "target_id": fields["target_id"],
        "target_label": fields["target_label"],
        "data": fields["data"] or {},
        "at": at,
        "prev": fields["prev_hash"],
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def hash_of(fields):
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()


HASHED_FIELDS = [
    "jury_id",
    "seq",
    "actor_ref",
    "subject_ref",
    "action",
    "summary",
    "target_type",
    "target_id",
    "target_label",
    "data",
    "at",
    "prev_hash",
]


class AuditQuerySet(models.QuerySet):
    """Entries are only ever inserted."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("An audit entry cannot be changed.")

    def delete(self):
        raise AuditLogIsAppendOnly("An audit entry cannot be deleted.")

    _raw_delete = delete

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("An audit entry cannot be changed.")

    def chain(self, jury_id):
        """The entries of one chain (`jury_id` None: the entries without a jury), in order."""
        return self.filter(jury_id=jury_id).order_by("seq")


class AuditEntry(models.Model):
    """A privileged action: who did what, when, to which object. Never edited or deleted."""

    # PROTECT: a jury with a history cannot be deleted, so its audit log cannot be lost with it.
    jury = models.ForeignKey(
        Jury, related_name="audit_entries", null=True, blank=True, on_delete=models.PROTECT
    )
    seq = models.PositiveIntegerField(_("number in the jury's log"))
    # The person's `User.audit_ref`, not a foreign key: deleting or erasing someone never
    # rewrites the log. Pages show their current name, or "Former juror".
    actor_ref = models.UUIDField(null=True, blank=True, db_index=True)
    subject_ref = models.UUIDField(null=True, blank=True, db_index=True)
    # For queries and the admin only: no column and no constraint, and DO_NOTHING, so removing a
    # person never touches the log.
    actor = models.ForeignObject(
        settings.AUTH_USER_MODEL,
        from_fields=["actor_ref"],
        to_fields=["audit_ref"],
        on_delete=models.DO_NOTHING,
        related_name="+",
        null=True,
    )
    action = models.CharField(_("action"), max_length=60)
    summary = models.CharField(_("what happened"), max_length=500)
    target_type = models.CharField(_("object type"), max_length=60, blank=True)
    target_id = models.CharField(_("object id"), max_length=60, blank=True)
    target_label = models.CharField(_("object"), max_length=200, blank=True)
    data = models.JSONField(_("recorded facts"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    prev_hash = models.CharField(_("previous entry's SHA-256"), max_length=64)
    hash = models.CharField(_("SHA-256"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["jury", "seq"], name="audit_seq_per_jury"),
            models.UniqueConstraint(
                fields=["seq"], condition=models.Q(jury__isnull=True), name="audit_seq_no_jury"
            ),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditLogIsAppendOnly("An audit entry cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("An audit entry cannot be deleted.")

    def computed_hash(self):
        """The hash of what is stored now; differs from `hash` if the entry was changed."""
        return hash_of({name: getattr(self, name) for name in HASHED_FIELDS})


class AuditChain(models.Model):
    """The head of one chain: how many entries it has and the latest hash. Locked while an entry
    is appended, so concurrent appends stay one chain. `key` is the jury's id, or "" for the
    entries without a jury. It only repeats what the entries say: `verify_audit` checks it."""

    key = models.CharField(primary_key=True, max_length=20)
    length = models.PositiveIntegerField(default=0)
    head = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        verbose_name = _("audit chain")

    def __str__(self):
        return f"{self.key or '-'}: {self.length}"

    @staticmethod
    def key_for(jury_id):
        return "" if jury_id is None else str(jury_id)
