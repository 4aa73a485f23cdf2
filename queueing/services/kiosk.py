"""The smart kiosk's session rules (Decree 309/2026 Art. 3(9), 17(2a)).

A smart kiosk is a shared device: a citizen signs in there with VNeID to
submit, pay or see their results, and the next person must never find that
session. So every visit to the kiosk's home ends any session on the device,
a sign-in started at the kiosk gets a short lifetime, and the device carries
a signed cookie naming it, which sends the pages a session ends on (the home
page after signing out, the sign-in page after a timeout) back to the kiosk.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from ..models import KioskDevice, KioskRole

KIOSK_COOKIE = "tthc_kiosk"
KIOSK_COOKIE_SALT = "queueing.kiosk"
KIOSK_SESSION_KEY = "queueing:kiosk_device"
# What the citizen signs in for, and where the identity flow then sends them.
SIGN_IN_PURPOSES = {
    "submit": "procedures:catalogue",
    "pay": "dossiers:my_dossiers",
    "results": "dossiers:my_dossiers",
}
# The lookup QR printed on every receipt and result: <site>/tra-cuu/<token>/.
_LOOKUP_PATH = re.compile(r"/tra-cuu/([A-Za-z0-9_-]{8,64})/?$")


def kiosk_session_seconds() -> int:
    """How long a session opened at a kiosk lives (also the page refresh back to
    the kiosk's home): configurable, ten minutes by default (unconfirmed)."""
    return int(settings.TTHC.get("KIOSK_SESSION_SECONDS", 600))


def kiosk_home_url(device: KioskDevice) -> str:
    return reverse("queueing:device", args=[device.centre_id, device.code])


def kiosk_session_end(request: HttpRequest) -> None:
    """Whatever the previous person left on the device ends here, all of it."""
    if request.user.is_authenticated:
        logout(request)  # flushes the session
    elif request.session.session_key:
        request.session.flush()


def kiosk_device_remember(response: HttpResponse, device: KioskDevice) -> None:
    """The device names itself on every later request (signed, a year long)."""
    response.set_signed_cookie(
        KIOSK_COOKIE, str(device.pk), salt=KIOSK_COOKIE_SALT, max_age=365 * 24 * 3600,
        httponly=True, samesite="Lax", secure=_cookie_secure(),
    )  # fmt: skip


def _cookie_secure() -> bool:
    # Production serves only HTTPS (SESSION_COOKIE_SECURE); the demo runs on http.
    return bool(getattr(settings, "SESSION_COOKIE_SECURE", False))


def kiosk_sign_in_start(request: HttpRequest, device: KioskDevice, purpose: str) -> str:
    """Open a short kiosk session and return where the VNeID sign-in starts.
    The session data (and its lifetime) survive ``login()``, which only
    cycles the key of an anonymous session."""
    kiosk_session_end(request)
    request.session[KIOSK_SESSION_KEY] = {"device": device.pk, "since": int(time.time())}
    request.session.set_expiry(kiosk_session_seconds())
    next_url = reverse(SIGN_IN_PURPOSES[purpose])
    return reverse("accounts:national_sso_start") + "?" + urlencode({"next": next_url})


def kiosk_scan_token(text: str) -> str | None:
    """The lookup token in what a QR reader typed (the full link), or None."""
    path = urlsplit((text or "").strip()).path
    match = _LOOKUP_PATH.search(path)
    return match.group(1) if match else None


def kiosk_device_from_cookie(request: HttpRequest) -> KioskDevice | None:
    """The active smart kiosk this browser is, if it is one."""
    raw = request.get_signed_cookie(KIOSK_COOKIE, default=None, salt=KIOSK_COOKIE_SALT)
    if not raw or not raw.isdigit():
        return None
    return (
        KioskDevice.objects.filter(pk=int(raw), is_active=True, role=KioskRole.SMART_KIOSK)
        .only("pk", "centre_id", "code")
        .first()
    )
