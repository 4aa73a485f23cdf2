"""The message asking heads for apology letters when dossiers fall due soon."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dossiers.defaults import ensure_message_templates

    ensure_message_templates(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0005_processing")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
