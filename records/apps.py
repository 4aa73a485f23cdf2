from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _permissions_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """Give the records groups (made by migration 0002) exactly their permissions.
    Creates no group: after a test database flush there is none to update."""
    from .groups import records_groups_permissions_set

    records_groups_permissions_set(using=using)


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Lưu trữ và hủy hồ sơ")

    def ready(self) -> None:
        # After auth created this app's permissions (its receiver runs first).
        post_migrate.connect(
            _permissions_after_migrate, sender=self, dispatch_uid="records_group_permissions"
        )
