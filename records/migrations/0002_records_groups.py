"""The two records roles as groups, created by ``migrate`` (issue #19, item 4).

A data migration rather than a ``post_migrate`` receiver: the rows are part of
the migrated state, so a test database's serialized copy restores them as they
were instead of meeting copies a receiver made again after a flush."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "records/records_officer": ("view_disposallist", "review_disposallist", "manage_legalhold"),
    "records/archive_head": ("view_disposallist", "approve_disposallist", "manage_legalhold"),
}


def forwards(apps, schema_editor):
    # The app's permissions are made after all migrations; this one needs them now.
    app_config = apps.get_app_config("records")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _created = group_model.objects.get_or_create(name=name)
        group.permissions.set(
            permission_model.objects.filter(content_type__app_label="records", codename__in=codenames)
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
