from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiClientsConfig(AppConfig):
    name = "tthc_portal.api_clients"
    label = "api_clients"
    verbose_name = _("Hệ thống kết nối API")

    def ready(self) -> None:
        # Registered on import: the OpenAPI scheme and the system checks.
        from . import checks, schema  # noqa: F401
