"""The two records roles as groups, created by ``migrate`` (issue #19, item 4).

The groups are rows of the migrated state (so a test database's serialized
copy restores them as they were); their permissions are attached after every
``migrate`` by the app's ``post_migrate`` receiver, once Django has created the
permissions — creating those here would give them ids out of Django's order."""

from django.db import migrations

GROUPS = ("records/records_officer", "records/archive_head")


def forwards(apps, schema_editor):
    group_model = apps.get_model("auth", "Group")
    for name in GROUPS:
        group_model.objects.get_or_create(name=name)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
