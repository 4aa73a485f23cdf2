from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tthc_portal.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        from .oidc import checks  # noqa: F401 - registers the deploy checks
        from .signins.receivers import signins_connect

        signins_connect()
