"""Workflow steps lose their "due soon" and "overdue" flags: the worklist reads a
step's light from its stored instants when it reads the step, so the deadline
sweep no longer rewrites steps as the clock passes (issue #16)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0021_statushistory_partition"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="dossierstep",
            name="step_open_due_soon",
        ),
        migrations.RemoveField(
            model_name="dossierstep",
            name="due_soon",
        ),
        migrations.RemoveField(
            model_name="dossierstep",
            name="is_overdue",
        ),
    ]
