"""The national status codes (national-sync.md §4) on the status map rows that lack them."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dossiers.defaults import ensure_status_map

    ensure_status_map(apps.get_model("dossiers", "NationalStatusMap"))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0011_sweep_mark")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
