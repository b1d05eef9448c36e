"""The audit log becomes an append-only hash chain (issue 12).

People get a random `audit_ref`; entries point to it instead of a foreign key that deleting
someone would rewrite. The existing entries are chained per jury in the order they were written
(oldest first). On PostgreSQL, triggers refuse UPDATE and DELETE of audit entries, and any change
to the public record of a published draw (its commitment, and once drawn its seed and outcome).
TRUNCATE, which test teardown uses, fires no row trigger and still works.
"""

import re
import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from juries.models.audit import GENESIS, PERSON, hash_of

REFUSE = """
CREATE OR REPLACE FUNCTION juries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the audit log is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER juries_auditentry_append_only BEFORE UPDATE OR DELETE ON juries_auditentry
    FOR EACH ROW EXECUTE FUNCTION juries_refuse_change();

CREATE OR REPLACE FUNCTION juries_draw_keep_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state NOT IN ('published', 'drawn') THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'A published draw cannot be deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    -- Allowed: publishing's next step (the seed, once) and what follows the draw (invitations
    -- sent, the people who acted being erased).
    IF NEW.state NOT IN ('published', 'drawn')
        OR ROW(NEW.jury_id, NEW.panel_size, NEW.commitment, NEW.commitment_sha256,
               NEW.published_at, NEW.seed_source)
           IS DISTINCT FROM ROW(OLD.jury_id, OLD.panel_size, OLD.commitment,
               OLD.commitment_sha256, OLD.published_at, OLD.seed_source)
        OR (OLD.state = 'drawn' AND ROW(NEW.state, NEW.seed, NEW.seed_entered_at, NEW.outcome)
            IS DISTINCT FROM ROW(OLD.state, OLD.seed, OLD.seed_entered_at, OLD.outcome))
    THEN
        RAISE EXCEPTION 'The public record of a published draw cannot be changed'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER juries_draw_keep_record BEFORE UPDATE OR DELETE ON juries_draw
    FOR EACH ROW EXECUTE FUNCTION juries_draw_keep_record();
"""

UNDO = """
DROP TRIGGER IF EXISTS juries_draw_keep_record ON juries_draw;
DROP FUNCTION IF EXISTS juries_draw_keep_record();
DROP TRIGGER IF EXISTS juries_auditentry_append_only ON juries_auditentry;
DROP FUNCTION IF EXISTS juries_refuse_change();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REFUSE, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO, params=None)


def give_people_refs(apps, schema_editor):
    User = apps.get_model("juries", "User")
    for user in User.objects.filter(audit_ref__isnull=True).only("pk"):
        User.objects.filter(pk=user.pk).update(audit_ref=uuid.uuid4())


def _name_as_subject(entry, memberships):
    """Entries about a membership named the person: name them by reference instead."""
    user = memberships.get(entry.target_id) if entry.target_type == "membership" else None
    if user is None:
        return
    entry.subject_ref = user.audit_ref
    if user.display_name:
        entry.summary = re.sub(rf"\b{re.escape(user.display_name)}\b", PERSON, entry.summary)


def chain_entries(apps, schema_editor):
    AuditEntry = apps.get_model("juries", "AuditEntry")
    AuditChain = apps.get_model("juries", "AuditChain")
    Membership = apps.get_model("juries", "Membership")
    User = apps.get_model("juries", "User")
    refs = dict(User.objects.values_list("pk", "audit_ref"))
    memberships = {
        str(m.pk): m.user for m in Membership.objects.select_related("user").only("pk", "user")
    }
    heads = {}
    for entry in AuditEntry.objects.order_by("at", "id"):
        length, prev = heads.get(entry.jury_id, (0, GENESIS))
        entry.seq, entry.prev_hash = length + 1, prev
        entry.actor_ref = refs.get(entry.actor_id)
        _name_as_subject(entry, memberships)
        entry.data = {}
        fields = {name: getattr(entry, name) for name in _HASHED}
        entry.hash = hash_of(fields)
        entry.save()
        heads[entry.jury_id] = (entry.seq, entry.hash)
    for jury_id, (length, head) in heads.items():
        key = "" if jury_id is None else str(jury_id)
        AuditChain.objects.create(key=key, length=length, head=head)


_HASHED = [
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


class Migration(migrations.Migration):
    dependencies = [
        ("juries", "0006_i12_forget_rendered_emails"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="audit_ref",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_people_refs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="audit_ref",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("key", models.CharField(max_length=20, primary_key=True, serialize=False)),
                ("length", models.PositiveIntegerField(default=0)),
                ("head", models.CharField(default=GENESIS, max_length=64)),
            ],
            options={"verbose_name": "audit chain"},
        ),
        migrations.AddField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveIntegerField(null=True, verbose_name="number in the jury's log"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="actor_ref",
            field=models.UUIDField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="subject_ref",
            field=models.UUIDField(blank=True, db_index=True, null=True),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="recorded facts"),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(
                default="", max_length=64, verbose_name="previous entry's SHA-256"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="SHA-256"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_entries, migrations.RunPython.noop),
        migrations.RemoveField(model_name="auditentry", name="actor"),
        migrations.AddField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignObject(
                from_fields=["actor_ref"],
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                to_fields=["audit_ref"],
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.PositiveIntegerField(verbose_name="number in the jury's log"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="when"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(fields=("jury", "seq"), name="audit_seq_per_jury"),
        ),
        migrations.AddConstraint(
            model_name="auditentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("jury__isnull", True)),
                fields=("seq",),
                name="audit_seq_no_jury",
            ),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
