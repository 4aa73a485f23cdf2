from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "tthc_portal.web"
    label = "web"
    verbose_name = _("Giao diện")

    def ready(self) -> None:
        # Registers the portal's own `check --deploy` checks (demo parts).
        from tthc_portal.metrics import collector_register, outbox_backlog

        from . import checks  # noqa: F401

        collector_register("notifications.outbox_backlog", outbox_backlog)
