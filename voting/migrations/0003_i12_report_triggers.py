"""On PostgreSQL, the database itself refuses to change or delete a published report, and a
report's file once its bytes and SHA-256 are stored (issue 12). A PDF still being made (no
SHA-256 yet) may move on: the worker writes its progress and then its bytes. TRUNCATE, which test
teardown uses, fires no row trigger and still works."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TRIGGERS = """
CREATE OR REPLACE FUNCTION voting_report_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: a published report is a fact', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER voting_report_frozen BEFORE UPDATE OR DELETE ON voting_report
    FOR EACH ROW EXECUTE FUNCTION voting_report_frozen();

CREATE OR REPLACE FUNCTION voting_reportfile_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.sha256 = '' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% on % refused: a published report''s file is a fact', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER voting_reportfile_frozen BEFORE UPDATE OR DELETE ON voting_reportfile
    FOR EACH ROW EXECUTE FUNCTION voting_reportfile_frozen();
"""

UNDO = """
DROP TRIGGER IF EXISTS voting_reportfile_frozen ON voting_reportfile;
DROP FUNCTION IF EXISTS voting_reportfile_frozen();
DROP TRIGGER IF EXISTS voting_report_frozen ON voting_report;
DROP FUNCTION IF EXISTS voting_report_frozen();
"""


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS, params=None)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0002_i12_sealed_ballots"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="published_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(add_triggers, drop_triggers),
    ]
