# Render claims judged by their own time (issue 18, item 5).

import django.utils.timezone
from django.db import migrations, models


def claim_time_for_live_renders(apps, schema_editor) -> None:
    # A render in progress during the upgrade gets one full window from now.
    document = apps.get_model("dossiers", "DossierDocument")
    document.objects.filter(status="rendering").update(
        render_claimed_at=django.utils.timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0013_dossier_assurance_level"),
    ]

    operations = [
        # Existing rows get the migration time: an unfinished paper is re-queued
        # one reclaim window after the upgrade, not at once.
        migrations.AddField(
            model_name="dossierdocument",
            name="render_queued_at",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="dossierdocument",
            name="render_claimed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="dossierdocument",
            name="render_claimed_by",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="dossierdocument",
            name="render_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.RunPython(claim_time_for_live_renders, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="dossierdocument",
            index=models.Index(
                condition=models.Q(("status__in", ["pending", "rendering"])),
                fields=["status"],
                name="document_render_open",
            ),
        ),
    ]
