from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _groups_after_migrate(sender, **kwargs) -> None:
    from .groups import records_groups_sync

    records_groups_sync()


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Lưu trữ và hủy hồ sơ")

    def ready(self) -> None:
        # After auth created this app's permissions (its handler is connected first).
        post_migrate.connect(_groups_after_migrate, sender=self, dispatch_uid="records_groups")
