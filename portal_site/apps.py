from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSiteConfig(AppConfig):
    """Site composition above the domain apps: the demo province and its seeding.

    The kernel (``tthc_portal``) must not import the domain apps; what puts
    them together for a demo lives here (checked by the import contracts).
    """

    name = "portal_site"
    verbose_name = _("Trang thông tin mẫu")
