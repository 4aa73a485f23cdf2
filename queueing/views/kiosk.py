"""Self-service devices of a centre: the ticket printer and the smart kiosk.

A device's page shows what its role offers. The ticket printer only issues
numbers (the ticket page stays as it is); the smart kiosk offers lookup by
code or QR, online submission and fee payment after a VNeID sign-in, and how
to pick up a result. The kiosk reuses the portal's own lookup, identity and
payment pages; what it adds is that no session outlives the citizen.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from dossiers.forms_public import LookupForm
from tthc_portal.accounts.oidc.provider import national_sso_enabled

from .. import selectors
from ..forms import KioskScanForm, KioskSignInForm
from ..models import KioskDevice
from ..services.kiosk import (
    kiosk_device_from_cookie,
    kiosk_device_remember,
    kiosk_scan_token,
    kiosk_session_end,
    kiosk_session_seconds,
    kiosk_sign_in_start,
)


def _device(centre_id: int, code: str, *, smart: bool = False) -> KioskDevice:
    device = get_object_or_404(selectors.kiosk_devices_public(centre_id), code=code)
    if smart and not device.is_smart:
        raise Http404  # a ticket printer offers none of the kiosk's services
    return device


def _home(request: HttpRequest, device: KioskDevice, status: int = 200, **extra) -> HttpResponse:
    remember = extra.pop("remember", True)
    context = {
        "device": device,
        "centre": device.centre,
        "lookup_form": LookupForm(),
        "scan_form": extra.pop("scan_form", None) or KioskScanForm(),
        "sign_in_available": national_sso_enabled(),
        "office_hours": device.centre.opening_hours or settings.TTHC["OFFICE_HOURS"],
        "session_minutes": max(1, kiosk_session_seconds() // 60),
        "purposes": [
            ("submit", _("Nộp hồ sơ trực tuyến")),
            ("pay", _("Thanh toán phí, lệ phí")),
            ("results", _("Kết quả của tôi")),
        ],
        "kiosk": True,
        **extra,
    }
    response = render(request, "queueing/smart_kiosk.html", context, status=status)
    if remember:
        kiosk_device_remember(response, device)
    return response


@never_cache
@require_safe
def device(request: HttpRequest, centre_id: int, code: str) -> HttpResponse:
    """The device's home. On the kiosk itself (its device cookie), the home ends any
    session left on it; a signed-in person's own browser following a link here is
    not signed out (a GET must not end someone's session) nor made a kiosk."""
    found = _device(centre_id, code)
    if not found.is_smart:
        return redirect("queueing:kiosk", centre_id=found.centre_id)
    remembered = kiosk_device_from_cookie(request)
    if remembered is not None and remembered.pk == found.pk:
        kiosk_session_end(request)
    elif request.user.is_authenticated:
        return _home(request, found, remember=False)
    return _home(request, found)


@never_cache
@require_POST
def scan(request: HttpRequest, centre_id: int, code: str) -> HttpResponse:
    """A scanned QR link opens the portal's own lookup by token."""
    found = _device(centre_id, code, smart=True)
    form = KioskScanForm(request.POST)
    token = kiosk_scan_token(form.data.get("scan", "")) if form.is_valid() else None
    if token is None:
        form.add_error(None, _scan_error())
        return _home(request, found, scan_form=form, status=400)
    return redirect("dossiers:lookup_token", token=token)


def _scan_error() -> str:
    return _("Không đọc được mã QR. Vui lòng quét lại mã QR in trên Giấy tiếp nhận hồ sơ "
             "hoặc nhập mã hồ sơ.")  # fmt: skip


@never_cache
@require_POST
def sign_in(request: HttpRequest, centre_id: int, code: str) -> HttpResponse:
    """Start the VNeID sign-in for a submission, a payment or the results."""
    found = _device(centre_id, code, smart=True)
    form = KioskSignInForm(request.POST)
    if not form.is_valid() or not national_sso_enabled():
        raise Http404
    return redirect(kiosk_sign_in_start(request, found, form.cleaned_data["purpose"]))
