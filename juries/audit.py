"""Recording privileged actions. Every service that changes who may do what calls `record()`.

The log is hash-chained per jury (see `juries.models.audit` for the canonical content).
`record()` appends; `head()` is what a jury's public page, feed and reports publish;
`verify()` walks a chain and names the first entry that does not match; `for_display()` gives
the entries the names the pages show.
"""

import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import AuditChain, AuditEntry, Membership, Role, User
from .models.audit import GENESIS, PERSON

__all__ = ["PERSON", "Head", "for_display", "head", "record", "verified_entry", "verify"]

# Shown in place of someone who deleted their account, by the role they held in the jury.
FORMER = {
    Role.JUROR: _("Former juror"),
    Role.FACILITATOR: _("Former facilitator"),
}
FORMER_MEMBER = _("Former member")
# Anything that looks like an email address is never kept (erasing it later would mean
# rewriting the log).
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _ref(person):
    return person.audit_ref if getattr(person, "is_authenticated", False) else None


def _lock_head(jury_id):
    """The chain's head row, locked until the transaction ends (created on first use)."""
    key = AuditChain.key_for(jury_id)
    # ON CONFLICT DO NOTHING: two first appends at once both go on to wait for the one lock.
    AuditChain.objects.bulk_create([AuditChain(key=key)], ignore_conflicts=True)
    return AuditChain.objects.select_for_update().get(key=key)


def record(*, actor, action, summary, jury=None, target=None, subject=None, data=None):
    """Append one entry to the jury's chain. Call inside the service's transaction: it locks the
    chain's head row until that transaction ends.

    `subject` is the person the entry is about; a summary names them with `PERSON`
    ("{person}"), which the pages replace with their current name (or "Former juror"), so the
    entry never has to change when they delete their account. Never put a name or an email
    address in a summary. `data` is recorded facts (hashes, numbers) that the chain's hash
    covers: strings, integers, lists and dicts only.
    """
    jury_id = jury.pk if jury is not None else None
    with transaction.atomic():
        chain = _lock_head(jury_id)
        entry = AuditEntry(
            jury_id=jury_id,
            seq=chain.length + 1,
            actor_ref=_ref(actor),
            subject_ref=_ref(subject),
            action=action,
            summary=_without_addresses(summary)[:500],
            target_type=target._meta.model_name if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            target_label=_label(target),
            data=data or {},
            at=timezone.now(),
            prev_hash=chain.head,
        )
        entry.hash = entry.computed_hash()
        entry.save()
        chain.length, chain.head = entry.seq, entry.hash
        chain.save(update_fields=["length", "head"])
    return entry


def _without_addresses(text):
    return ADDRESS.sub("[address]", str(text))


def _label(target):
    if target is None:
        return ""
    return _without_addresses(getattr(target, "audit_label", None) or target)[:200]


@dataclass(frozen=True)
class Head:
    length: int
    hash: str


def head(jury):
    """The chain's length and latest hash, as published: read from the entries themselves."""
    last = AuditEntry.objects.chain(jury.pk).only("seq", "hash").last()
    return Head(last.seq, last.hash) if last else Head(0, GENESIS)


# --- Checking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first entry of a chain that does not match, and what is wrong with it."""

    entry_id: int | None
    seq: int | None
    jury_id: int | None
    problem: str


def verify(jury_id):
    """Walk one chain (`jury_id` None: the entries without a jury). Returns (entries checked,
    the first `Break` or None)."""
    prev, expected_seq, count = GENESIS, 1, 0
    for entry in AuditEntry.objects.chain(jury_id).iterator(chunk_size=500):
        problem = _problem(entry, expected_seq, prev)
        if problem:
            return count, Break(entry.pk, entry.seq, jury_id, problem)
        prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    stored = AuditChain.objects.filter(key=AuditChain.key_for(jury_id)).first()
    if stored is not None and (stored.length, stored.head) != (count, prev):
        problem = gettext(
            "the chain's head says %(stored)s entries ending in %(head)s, but the entries say "
            "%(count)s ending in %(last)s (entries were removed or added)"
        ) % {"stored": stored.length, "head": stored.head, "count": count, "last": prev}
        return count, Break(None, None, jury_id, problem)
    return count, None


def _problem(entry, expected_seq, prev):
    if entry.seq != expected_seq:
        return gettext(
            "its number is %(seq)s where %(expected)s was expected (an entry is missing)"
        ) % {"seq": entry.seq, "expected": expected_seq}
    if entry.prev_hash != prev:
        return gettext(
            "it says the entry before it hashes to %(stored)s, but that entry hashes to %(prev)s"
        ) % {"stored": entry.prev_hash, "prev": prev}
    computed = entry.computed_hash()
    if computed != entry.hash:
        return gettext(
            "its content hashes to %(computed)s, but its stored hash is %(stored)s (its content "
            "was changed)"
        ) % {"computed": computed, "stored": entry.hash}
    return ""


def verified_entry(entry):
    """Whether one entry's content still hashes to its stored hash, and the next entry (if any)
    still points at it: enough to trust the facts it records, short of walking the chain."""
    if entry.computed_hash() != entry.hash:
        return False
    following = AuditEntry.objects.filter(jury_id=entry.jury_id, seq=entry.seq + 1).first()
    return following is None or following.prev_hash == entry.hash


# --- Showing -------------------------------------------------------------------------------


def for_display(entries, jury):
    """The entries as a list, each with `who` (the actor's current name, "Former juror" and so
    on, or "System") and `text` (the summary with the person it is about named). Two queries."""
    entries = list(entries)
    refs = {ref for e in entries for ref in (e.actor_ref, e.subject_ref) if ref}
    people = {user.audit_ref: user for user in User.objects.filter(audit_ref__in=refs)}
    roles = dict(
        Membership.objects.filter(jury=jury, user__in=people.values()).values_list(
            "user__audit_ref", "role"
        )
    )
    for entry in entries:
        entry.who = _name(entry.actor_ref, people, roles) or _("System")
        entry.text = entry.summary
        if entry.subject_ref and PERSON in entry.summary:
            entry.text = entry.summary.replace(PERSON, str(_name(entry.subject_ref, people, roles)))
    return entries


def _name(ref, people, roles):
    if ref is None:
        return None
    person = people.get(ref)
    if person is None or person.is_deleted:
        return FORMER.get(roles.get(ref), FORMER_MEMBER)
    return person.public_name
