"""Default wording of the notifications a citizen receives; editable in the admin."""

from django.db import migrations


def forwards(apps, schema_editor):
    from dossiers.defaults import ensure_message_templates

    ensure_message_templates(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0002_reference_data"),
        ("notifications", "0002_messagetemplate"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
