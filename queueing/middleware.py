"""Sends a smart kiosk back to its home page when a citizen's session ends there.

Only browsers carrying the kiosk cookie (set by the kiosk's home page) are
touched, so the rest of the portal pays one cookie lookup and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url

from .services.kiosk import (
    KIOSK_COOKIE,
    KIOSK_SESSION_KEY,
    kiosk_device_from_cookie,
    kiosk_home_url,
    kiosk_session_seconds,
)

# A lookup result or a catalogue page left on the kiosk's screen.
ANONYMOUS_IDLE_SECONDS = 120


class KioskReturnMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if KIOSK_COOKIE not in request.COOKIES:
            return self.get_response(request)
        device = kiosk_device_from_cookie(request)
        if device is None:
            return self.get_response(request)
        # Signing out lands on the portal's home page; a timed-out session on the
        # sign-in page (login_required). On a kiosk both mean "next person".
        ends = {resolve_url(settings.LOGOUT_REDIRECT_URL), resolve_url(settings.LOGIN_URL)}
        if not request.user.is_authenticated and request.path in ends:
            return HttpResponseRedirect(kiosk_home_url(device))
        response = self.get_response(request)
        home = kiosk_home_url(device)
        if request.path != home and response.get("Content-Type", "").startswith("text/html"):
            # Any other page goes back to the kiosk when left alone (no script needed
            # on pages the kiosk does not own): a signed-in citizen after the kiosk
            # session's lifetime (the session expires then too), a lookup sooner.
            signed_in = request.user.is_authenticated and KIOSK_SESSION_KEY in request.session
            seconds = kiosk_session_seconds() if signed_in else ANONYMOUS_IDLE_SECONDS
            response["Refresh"] = f"{seconds}; url={home}"
        return response
