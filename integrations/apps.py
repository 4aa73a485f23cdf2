from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Liên thông quốc gia")

    def ready(self) -> None:
        # The lifecycle's signals write sync rows in the transition's transaction.
        from .sync import receivers  # noqa: F401
