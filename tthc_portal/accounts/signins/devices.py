"""A short, human description of a browser from its User-Agent header."""

from __future__ import annotations

from django.utils.translation import gettext as _

# Order matters: Edge and Cốc Cốc also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("edg/", "Microsoft Edge"),
    ("edge/", "Microsoft Edge"),
    ("coc_coc_browser", "Cốc Cốc"),
    ("opr/", "Opera"),
    ("samsungbrowser", "Samsung Internet"),
    ("zalo", "Zalo"),
    ("firefox/", "Firefox"),
    ("fxios/", "Firefox"),
    ("crios/", "Chrome"),
    ("chrome/", "Chrome"),
    ("chromium/", "Chromium"),
    ("safari/", "Safari"),
]
_SYSTEMS = [
    ("iphone", "iPhone"),
    ("ipad", "iPad"),
    ("android", "Android"),
    ("windows", "Windows"),
    ("mac os x", "macOS"),
    ("cros", "ChromeOS"),
    ("linux", "Linux"),
]


def device_describe(user_agent: str) -> str:
    text = user_agent.lower()
    browser = next((name for marker, name in _BROWSERS if marker in text), "")
    system = next((name for marker, name in _SYSTEMS if marker in text), "")
    if browser and system:
        return _("%(browser)s trên %(system)s") % {"browser": browser, "system": system}
    if browser or system:
        return browser or system
    return _("Thiết bị không xác định")
