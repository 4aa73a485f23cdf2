"""Default priority classes and the appointment reminder wording (editable)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from queueing import defaults

    defaults.ensure_priority_classes(apps.get_model("queueing", "PriorityClass"))
    defaults.ensure_message_templates(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("queueing", "0001_initial"),
        ("notifications", "0002_messagetemplate"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
