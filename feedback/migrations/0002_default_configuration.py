"""Default rating rule set (9 criteria, rubric, bands), PAKN deadlines, policy
and notification wording; all editable in the admin."""

from django.db import migrations


def forwards(apps, schema_editor):
    from feedback import defaults

    defaults.ensure_rating_rules(
        apps.get_model("feedback", "RatingRuleSet"),
        apps.get_model("feedback", "RatingCriterion"),
        apps.get_model("feedback", "RatingBand"),
    )
    defaults.ensure_pakn_rules(
        apps.get_model("feedback", "PaknDeadlineRule"),
        apps.get_model("feedback", "PaknPolicy"),
    )
    defaults.ensure_message_templates(apps.get_model("notifications", "MessageTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0001_initial"),
        ("notifications", "0002_messagetemplate"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
