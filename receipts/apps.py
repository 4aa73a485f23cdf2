from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceiptsConfig(AppConfig):
    name = "receipts"
    verbose_name = _("Biên lai điện tử")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check)
