"""The instants the deadline sweep compares with the clock, stored next to
every due instant (issue #16 item 3), and the step's copy of its dossier's due
instant (issue #15: the worklist's light reads the step row alone).

Columns first, then the backfill of the open rows (closed ones are never
swept), then the indexes — built once over the filled columns rather than
maintained row by row during the backfill."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q

OPEN = Q(status__in=["received", "in_processing", "awaiting_supplement"])


def backfill(apps, schema_editor):
    from dossiers.services.deadlines_backfill import due_soon_backfill
    from tthc_portal.workdays.calendar import WorkCalendar, parse_office_hours

    # The calendar as this migration's state has it (not the app's model).
    exceptions = apps.get_model("workdays", "CalendarException").objects
    calendar = WorkCalendar(
        dict(exceptions.using(schema_editor.connection.alias).values_list("date", "kind")),
        office_hours=parse_office_hours(settings.TTHC["OFFICE_HOURS"]),
        tz=settings.TIME_ZONE,
        immediate_grace=timedelta(hours=settings.TTHC["IMMEDIATE_GRACE_HOURS"]),
    )
    due_soon_backfill(calendar, schema_editor.connection)
    if schema_editor.connection.vendor == "postgresql":
        # The backfill's UPDATEs queue deferred constraint checks; PostgreSQL
        # refuses CREATE INDEX on a table with pending trigger events in the
        # same transaction, so run them now.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0018_seed_form_templates"),
        ("workdays", "0002_official_calendar_release"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="due_soon_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dossier",
            name="apology_ask_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dossierstep",
            name="due_soon_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="dossierstep",
            name="dossier_due_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=OPEN, fields=["due_soon_at", "due_at"], name="dossier_open_due_soon"
            ),
        ),
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=OPEN, fields=["apology_ask_at", "due_at"], name="dossier_open_apology_ask"
            ),
        ),
        migrations.AddIndex(
            model_name="dossierstep",
            index=models.Index(
                condition=Q(completed_at__isnull=True, paused=False, due_soon_at__isnull=False),
                fields=["due_soon_at", "due_at"],
                name="step_open_due_soon",
            ),
        ),
    ]
