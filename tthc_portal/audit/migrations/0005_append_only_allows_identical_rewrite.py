"""The append-only trigger lets through an UPDATE that changes nothing.

Rewriting a row with its own values changes no history, and it is what
Django's data restore does (a test with ``serialized_rollback``, ``loaddata``
of a dump): it updates rows that already exist. Any UPDATE that changes a
value, and every DELETE, is still refused.
"""

from django.db import migrations

REPLACE = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW IS NOT DISTINCT FROM OLD THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""
RESTORE = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REPLACE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(RESTORE)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_auditevent_via_client")]
    operations = [migrations.RunPython(forwards, backwards)]
