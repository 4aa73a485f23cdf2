from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Liên thông quốc gia")

    def ready(self) -> None:
        # The lifecycle's signals write sync rows in the transition's transaction.
        from tthc_portal.metrics import collector_register

        from .metrics import sync_backlog
        from .sync import receivers  # noqa: F401

        collector_register("integrations.sync_backlog", sync_backlog)
