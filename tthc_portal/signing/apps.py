import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class _LocalRevocationInfoFilter(logging.Filter):
    """pyHanko warns on every signature that embeds revocation info while
    fetching is off; here the CRL comes from the local CA on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "fetching is not allowed" not in record.getMessage()


class SigningConfig(AppConfig):
    name = "tthc_portal.signing"
    label = "signing"
    verbose_name = _("Chữ ký số")

    def ready(self) -> None:
        logging.getLogger("pyhanko.sign.signers.pdf_signer").addFilter(_LocalRevocationInfoFilter())
