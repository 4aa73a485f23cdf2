"""Default publication deadline rules; provinces edit them as dated rows."""

from django.db import migrations


def forwards(apps, schema_editor):
    from procedures.defaults import ensure_defaults

    ensure_defaults(apps.get_model("procedures", "PublicationDeadlineRule"))


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
