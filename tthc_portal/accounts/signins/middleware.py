"""Staff idle timeout and activity bookkeeping for signed-in sessions.

Sits after OTPMiddleware (so request.user is final) and before
MessageMiddleware, which is why the timeout response stores its own message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from .services import signin_guard

API_PREFIX = "/api/"


def idle_message() -> str:
    return _(
        "Phiên làm việc đã kết thúc sau %(minutes)d phút không thao tác. Vui lòng đăng nhập lại."
    ) % {"minutes": int(settings.IDENTITY["STAFF_IDLE_MINUTES"])}


def wants_json(request: HttpRequest) -> bool:
    if request.path_info.startswith(API_PREFIX):
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


class SessionGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if signin_guard(request):
            return self.get_response(request)
        return self.timed_out(request)

    def timed_out(self, request: HttpRequest) -> HttpResponse:
        message = idle_message()
        if wants_json(request):
            return JsonResponse(
                {"detail": message, "code": "session_idle_timeout"},
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
        response = redirect_to_login(request.get_full_path())
        # MessageMiddleware has not run yet for this request: store the message
        # the way it would, so the login page shows it.
        request._messages = default_storage(request)  # type: ignore[attr-defined]
        messages.warning(request, message)
        request._messages.update(response)  # type: ignore[attr-defined]
        return response
