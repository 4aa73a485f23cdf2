from django.db import migrations


def forwards(apps, schema_editor):
    from indicators.defaults import seed

    seed(
        apps.get_model("indicators", "IndexRuleSet"),
        apps.get_model("indicators", "IndicatorGroup"),
        apps.get_model("indicators", "Criterion"),
        apps.get_model("indicators", "RatingBand"),
    )


def backwards(apps, schema_editor):
    from indicators.defaults import VALID_FROM

    apps.get_model("indicators", "IndexRuleSet").objects.filter(valid_from=VALID_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
