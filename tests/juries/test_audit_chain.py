"""The audit log is a hash chain per jury: tried as an insider with direct database access would.

On PostgreSQL the database refuses UPDATE and DELETE of entries (and of a published draw's
record); an insider who owns the tables can still switch the trigger off, so on both databases a
changed entry must be named by `verify_audit`.
"""

import hashlib
import json
from datetime import UTC
from xml.etree import ElementTree

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from juries import accounts, audit, invitations
from juries.models import AuditEntry, Draw, Jury, Role, Visibility
from juries.models.audit import GENESIS, hash_of
from juries.selection import draws

from .audit_helpers import insider, on_postgresql, verify_audit
from .draw_helpers import RULE, SEED, computed_draw, make_pool


def log_some(jury, by, count=3):
    return [
        audit.record(actor=by, action="test.step", summary=f"Step {n}.", jury=jury)
        for n in range(count)
    ]


def test_each_entry_holds_its_own_hash_and_the_previous_ones(jury, facilitator):
    first, second, third = log_some(jury, facilitator)

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    stored = AuditEntry.objects.get(pk=second.pk)
    content = json.dumps(
        {
            "v": 1,
            "jury": jury.pk,
            "seq": 2,
            "actor": str(facilitator.audit_ref),
            "subject": None,
            "action": "test.step",
            "summary": "Step 1.",
            "target_type": "",
            "target_id": "",
            "target_label": "",
            "data": {},
            "at": stored.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "prev": first.hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    # The documented canonical content, computed independently of the code that wrote it.
    assert stored.hash == hashlib.sha256(content.encode()).hexdigest()


def test_each_jury_has_its_own_chain_and_entries_without_a_jury_another(
    jury, make_jury, facilitator
):
    other = make_jury(slug="other-jury")
    mine = log_some(jury, facilitator, 2)
    theirs = log_some(other, facilitator, 1)
    loose = audit.record(actor=None, action="account.delete", summary="A member left.")

    assert [e.seq for e in mine] == [1, 2] and theirs[0].seq == 1 and loose.seq == 1
    assert theirs[0].prev_hash == loose.prev_hash == GENESIS
    assert audit.head(jury) == audit.Head(2, mine[-1].hash)


def test_verify_audit_says_an_untouched_log_checks_out(jury, facilitator):
    log_some(jury, facilitator)

    output, failed = verify_audit()

    assert not failed
    assert "The audit log checks out." in output


def test_editing_an_entrys_summary_in_sql_makes_verify_audit_name_that_entry(jury, facilitator):
    _first, second, _third = log_some(jury, facilitator)
    with insider() as cursor:
        cursor.execute(
            "UPDATE juries_auditentry SET summary = %s WHERE id = %s", ["Nothing.", second.pk]
        )

    output, failed = verify_audit()

    assert failed
    assert f"entry {second.pk}, number 2 in the log of Jury {jury.slug}" in output
    assert "its content was changed" in output
    assert "does not check out" in output


def test_rewriting_an_entry_with_a_fresh_hash_is_named_by_the_entry_after_it(jury, facilitator):
    _first, second, third = log_some(jury, facilitator)
    forged = {
        name: getattr(second, name) for name in ["jury_id", "seq", "actor_ref", "subject_ref"]
    }
    forged.update(
        action="test.step",
        summary="Nothing.",
        target_type="",
        target_id="",
        target_label="",
        data={},
        at=second.at,
        prev_hash=second.prev_hash,
    )
    with insider() as cursor:
        cursor.execute(
            "UPDATE juries_auditentry SET summary = %s, hash = %s WHERE id = %s",
            ["Nothing.", hash_of(forged), second.pk],
        )

    output, failed = verify_audit(jury.slug)

    assert failed
    assert f"entry {third.pk}, number 3" in output


def test_deleting_an_entry_in_sql_makes_verify_audit_name_the_gap(jury, facilitator):
    _first, second, third = log_some(jury, facilitator)
    with insider() as cursor:
        cursor.execute("DELETE FROM juries_auditentry WHERE id = %s", [second.pk])

    output, failed = verify_audit()

    assert failed
    assert f"entry {third.pk}, number 3" in output
    assert "an entry is missing" in output


def test_deleting_the_latest_entry_is_caught_by_the_chains_head(jury, facilitator):
    *_, last = log_some(jury, facilitator)
    with insider() as cursor:
        cursor.execute("DELETE FROM juries_auditentry WHERE id = %s", [last.pk])

    output, failed = verify_audit()

    assert failed
    assert "the chain's head says 3 entries" in output


def test_verify_audit_checks_one_jury_when_asked_and_refuses_an_unknown_one(
    jury, make_jury, facilitator
):
    other = make_jury(slug="other-jury")
    log_some(jury, facilitator)
    [broken] = log_some(other, facilitator, 1)
    with insider() as cursor:
        cursor.execute("UPDATE juries_auditentry SET action = 'x' WHERE id = %s", [broken.pk])

    assert verify_audit(jury.slug) == (
        f"Jury {jury.slug}: 3 entries checked.\nThe audit log checks out.\n",
        False,
    )
    assert verify_audit("other-jury")[1]
    output, failed = verify_audit("no-such-jury")
    assert failed and "There is no jury no-such-jury" in output


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE juries_auditentry SET summary = 'Nothing.' WHERE id = %s",
        "UPDATE juries_auditentry SET actor_ref = NULL WHERE id = %s",
        "DELETE FROM juries_auditentry WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_an_audit_entry(jury, facilitator, sql):
    [entry] = log_some(jury, facilitator, 1)

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])

    assert AuditEntry.objects.get(pk=entry.pk).summary == "Step 0."


def test_the_models_refuse_to_change_or_delete_an_audit_entry(jury, facilitator):
    [entry] = log_some(jury, facilitator, 1)
    entry.summary = "Nothing."

    for attempt in (
        entry.save,
        entry.delete,
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="Nothing."),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(Exception, match="cannot be"):
            attempt()

    assert AuditEntry.objects.get(pk=entry.pk).summary == "Step 0."


# --- The draw's commitment and seed are in the chain -------------------------------------


@pytest.fixture
def published_draw(jury, facilitator, django_capture_on_commit_callbacks):
    make_pool(jury)
    draw = computed_draw(jury, facilitator, django_capture_on_commit_callbacks)
    return draws.publish_distribution(draw=draw, by=facilitator, **RULE)


def test_the_draws_commitment_and_seed_are_recorded_in_the_chain(jury, facilitator, published_draw):
    drawn = draws.enter_seed(draw=published_draw, seed=SEED, by=facilitator)

    publish = AuditEntry.objects.get(jury=jury, action="draw.publish")
    seed = AuditEntry.objects.get(jury=jury, action="draw.seed")
    assert publish.data == {"draw": drawn.pk, "commitment_sha256": drawn.commitment_sha256}
    assert seed.data["seed"] == drawn.seed
    assert seed.data["commitment_sha256"] == drawn.commitment_sha256
    assert publish.computed_hash() == publish.hash and seed.computed_hash() == seed.hash
    assert not verify_audit()[1]


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE juries_draw SET commitment_sha256 = repeat('0', 64) WHERE id = %s",
        "UPDATE juries_draw SET commitment = '{}'::jsonb WHERE id = %s",
        "UPDATE juries_draw SET state = 'cancelled' WHERE id = %s",
        "DELETE FROM juries_draw WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_a_published_draw(published_draw, sql):
    with (
        pytest.raises(DatabaseError, match="published draw"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [published_draw.pk])

    assert Draw.objects.get(pk=published_draw.pk).state == "published"


@on_postgresql
def test_the_database_refuses_to_change_the_seed_of_a_drawn_draw(facilitator, published_draw):
    drawn = draws.enter_seed(draw=published_draw, seed=SEED, by=facilitator)

    with (
        pytest.raises(DatabaseError, match="published draw"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE juries_draw SET seed = '1 2 3' WHERE id = %s", [drawn.pk])

    assert Draw.objects.get(pk=drawn.pk).seed == drawn.seed


# --- Account deletion no longer rewrites the log -----------------------------------------


def _stored(jury):
    return list(AuditEntry.objects.filter(jury=jury).order_by("seq").values())


def test_deleting_an_account_leaves_past_entries_unchanged_and_the_page_says_former_juror(
    client, jury, facilitator, observer, make_person
):
    invitation = invitations.invite(
        jury=jury, email="sam@example.org", role=Role.JUROR, by=facilitator
    )
    sam = make_person("sam@example.org", "Sam")
    invitations.accept(invitation=invitation, user=sam)
    before = _stored(jury)

    accounts.delete_account(user=sam)

    assert _stored(jury) == before
    assert not verify_audit()[1]
    client.force_login(observer)
    page = client.get(reverse("juries:audit-log", args=[jury.slug])).content.decode()
    assert "Former juror accepted the invitation and joined as Juror." in page
    assert "Sam" not in page
    assert "sam@example.org" not in page
    assert f"<code>{audit.head(jury).hash}</code>" in page


def test_the_audit_page_names_people_by_their_current_name(client, jury, facilitator, observer):
    audit.record(
        actor=facilitator,
        action="test.step",
        summary="Thanked {person}.",
        subject=observer,
        jury=jury,
    )
    observer.display_name = "Olu Bello"
    observer.save()
    client.force_login(observer)

    page = client.get(reverse("juries:audit-log", args=[jury.slug])).content.decode()

    assert "<td>Fran</td><td>Thanked Olu Bello.</td>" in page, page[page.find("<tbody") :][:600]


# --- The head of the chain is published ---------------------------------------------------


@pytest.fixture
def public_jury(jury):
    Jury.objects.filter(pk=jury.pk).update(visibility=Visibility.PUBLIC)
    jury.refresh_from_db()
    return jury


def test_the_public_page_shows_the_head_of_the_jurys_chain(client, public_jury, facilitator):
    *_, last = log_some(public_jury, facilitator)

    page = client.get(reverse("juries:public", args=[public_jury.slug])).content.decode()

    assert "Entries in the audit log</dt><dd>3</dd>" in page
    assert f"<code>{last.hash}</code>" in page


def test_the_jurys_feed_carries_the_head_of_its_chain(client, public_jury, facilitator):
    *_, last = log_some(public_jury, facilitator, 2)

    response = client.get(reverse("voting:accountability-feed", args=[public_jury.slug]))

    head = ElementTree.fromstring(response.content).find("{urn:x-deliberate:audit-chain:1}head")
    assert (head.get("entries"), head.text) == ("2", last.hash)
    feed = response.content.decode()
    assert f"audit log has 2 entries; the SHA-256 of the latest is {last.hash}" in feed


# --- Concurrent appends ---------------------------------------------------------------------


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_entries_appended_at_the_same_moment_stay_one_chain(jury, make_jury, facilitator):
    from tests.voting.test_ballot_concurrency import submit_together

    def append_to(target):
        def append():
            for n in range(5):
                with transaction.atomic():
                    audit.record(actor=facilitator, action="test.step", summary=f"{n}", jury=target)

        return append

    # Two appends to a jury's new chain, and one to a chain without a jury, all at once.
    errors = submit_together([append_to(jury), append_to(jury), append_to(None)])

    assert errors == []
    assert list(AuditEntry.objects.chain(jury.pk).values_list("seq", flat=True)) == list(
        range(1, 11)
    )
    assert audit.verify(jury.pk) == (10, None)
    assert audit.verify(None) == (5, None)
