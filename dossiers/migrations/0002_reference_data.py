"""Reference data that is configuration: the dossier code format and the
mapping of internal statuses to the national portal's status set."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dossiers.defaults import ensure_code_format, ensure_status_map

    ensure_code_format(apps.get_model("dossiers", "DossierCodeFormat"))
    ensure_status_map(apps.get_model("dossiers", "NationalStatusMap"))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
