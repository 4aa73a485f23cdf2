"""The simulator's pages: account picker, control endpoint for tests, health."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from oauth2_provider.views import (
    AuthorizationView,
    ConnectDiscoveryInfoView,
    RPInitiatedLogoutView,
)

from idp_demo import services
from idp_demo.control import ID_TOKEN_FAULTS
from idp_demo.identities import identities_load, identity_get


class IdpDiscoveryView(ConnectDiscoveryInfoView):
    """DOT always lists HS256 too; the one client here signs with RS256 only."""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        document = json.loads(response.content)
        document["id_token_signing_alg_values_supported"] = ["RS256"]
        document["claims_supported"] = sorted(document["claims_supported"])
        response.content = json.dumps(document)
        return response


class IdpAuthorizationView(AuthorizationView):
    # Only reached for errors that cannot go back to the client (unknown client,
    # unregistered redirect URI): the client is registered with skip_authorization.
    template_name = "idp_demo/authorize.html"


class IdpLogoutView(RPInitiatedLogoutView):
    template_name = "idp_demo/logout_confirm.html"


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "idp_demo/home.html")


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Pick a demo person: no password, this is a simulator."""
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    error = None
    if request.method == "POST":
        identity = identity_get(request.POST.get("sub", ""))
        if identity is not None:
            login(request, services.person_user_sync(identity))
            return redirect(next_url or "idp_demo:home")
        error = _("Vui lòng chọn một người trong danh sách để đăng nhập.")
    context = {"people": identities_load(), "next": next_url, "error": error}
    return render(request, "idp_demo/sign_in.html", context, status=400 if error else 200)


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _from_loopback(request: HttpRequest) -> bool:
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _control_forbidden() -> JsonResponse:
    return JsonResponse({"error": "control endpoint is only open to loopback"}, status=403)


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"{}")
    except ValueError:
        return None


@csrf_exempt
@require_POST
def control_faults(request: HttpRequest) -> JsonResponse:
    if not _from_loopback(request):
        return _control_forbidden()
    body = _json_body(request)
    if not isinstance(body, dict) or "id_token" not in body:
        return JsonResponse({"error": 'body must be {"id_token": <fault or null>}'}, status=400)
    fault = body["id_token"]
    if fault is not None and fault not in ID_TOKEN_FAULTS:
        return JsonResponse(
            {"error": f"unknown fault {fault!r}", "known": list(ID_TOKEN_FAULTS)}, status=400
        )
    services.fault_set(fault)
    return JsonResponse(services.idp_state())


@csrf_exempt
@require_POST
def control_rotate_key(request: HttpRequest) -> JsonResponse:
    if not _from_loopback(request):
        return _control_forbidden()
    services.signing_key_rotate()
    return JsonResponse(services.idp_state())


@require_safe
def control_state(request: HttpRequest) -> JsonResponse:
    if not _from_loopback(request):
        return _control_forbidden()
    return JsonResponse(services.idp_state())
