"""Public pages: the ticket kiosk (issue, booking check-in) and the display."""

from __future__ import annotations

import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from tthc_portal.agencies.models import OneStopDesk
from tthc_portal.cache_safety import CacheUnavailable, counter_hit
from tthc_portal.web.views import counters_unavailable

from .. import selectors
from ..forms import CheckInForm, KioskTicketForm
from ..models import Ticket
from ..services import QueueError
from ..services.appointments import appointment_check_in
from ..services.tickets import ticket_issue

TICKET_SESSION_KEY = "queueing:kiosk_ticket"
WINDOW_SECONDS = 10 * 60
DISPLAY_REFRESH_SECONDS = 5


def _centre(centre_id: int) -> OneStopDesk:
    return get_object_or_404(selectors.centres_public(), pk=centre_id)


def _allowed(request: HttpRequest, kind: str, per_session: int, per_address: int) -> bool:
    """Fixed-window counters per browser session and per address. A kiosk is
    one shared device: the session budget stops one person pressing on, the
    address budget stops a script that drops its cookie. Raises
    CacheUnavailable when the count cannot be kept (the kiosk then refuses)."""
    if not request.session.session_key:
        request.session.save()
    address = request.META.get("REMOTE_ADDR", "") or ""
    return (
        counter_hit(f"queueing:{kind}:session:{request.session.session_key}", WINDOW_SECONDS)
        <= per_session
        and counter_hit(f"queueing:{kind}:address:{address}", WINDOW_SECONDS) <= per_address
    )


def _limits(kind: str) -> tuple[int, int]:
    tthc = settings.TTHC
    if kind == "ticket":
        return (int(tthc.get("QUEUE_TICKETS_PER_SESSION", 5)),
                int(tthc.get("QUEUE_TICKETS_PER_ADDRESS", 300)))  # fmt: skip
    return (int(tthc.get("LOOKUP_ATTEMPTS_PER_10_MIN", 10)),
            int(tthc.get("QUEUE_CHECKINS_PER_ADDRESS", 100)))  # fmt: skip


@require_safe
def centres(request: HttpRequest) -> HttpResponse:
    return render(request, "queueing/centres.html", {"centres": selectors.centres_public()})


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, centre_id: int) -> HttpResponse:
    """Take a number for a service group, or check in with a booking code."""
    centre = _centre(centre_id)
    issuing = request.method == "POST" and request.POST.get("form") == "ticket"
    checking_in = request.method == "POST" and request.POST.get("form") == "check_in"
    ticket_form = KioskTicketForm(request.POST if issuing else None, centre=centre)
    check_in_form = CheckInForm(request.POST if checking_in else None, prefix="dat-lich")
    error = ""
    form = ticket_form if issuing else check_in_form if checking_in else None
    if form is not None and form.is_valid():
        kind = "ticket" if issuing else "check_in"
        try:
            allowed = _allowed(request, kind, *_limits(kind))
        except CacheUnavailable:
            return counters_unavailable(
                request,
                title=_("Ki-ốt lấy số tạm thời gián đoạn"),
                message=_("Ki-ốt đang tạm thời gián đoạn do sự cố kỹ thuật. "
                          "Vui lòng nhờ cán bộ tại quầy hướng dẫn cấp số."),
            )  # fmt: skip
        if not allowed:
            error = _("Đã lấy quá nhiều số trong thời gian ngắn. Vui lòng thử lại sau 10 phút "
                      "hoặc nhờ cán bộ hướng dẫn.")  # fmt: skip
        else:
            try:
                if issuing:
                    ticket = ticket_issue(
                        service_group=ticket_form.cleaned_data["service_group"],
                        priority_class=ticket_form.cleaned_data["priority_class"],
                    )
                else:
                    _booking, ticket = appointment_check_in(
                        code=check_in_form.cleaned_data["code"], centre_id=centre.pk
                    )
            except QueueError as refusal:
                error = str(refusal)
            else:
                request.session[TICKET_SESSION_KEY] = {
                    "ticket": ticket.pk,
                    "until": time.time() + 300,
                }
                return redirect("queueing:kiosk_ticket", centre_id=centre.pk)
    elif form is not None:
        error = _("Vui lòng kiểm tra lại thông tin đã chọn.")
    return render(
        request,
        "queueing/kiosk.html",
        {"centre": centre, "ticket_form": ticket_form, "check_in_form": check_in_form,
         "error": error, "kiosk": True},
        status=400 if error else 200,
    )  # fmt: skip


@never_cache
@require_safe
def kiosk_ticket(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The ticket just issued at this kiosk (printable), for a few minutes."""
    centre = _centre(centre_id)
    state = request.session.get(TICKET_SESSION_KEY) or {}
    ticket = None
    if state.get("until", 0) >= time.time():
        ticket = (
            Ticket.objects.select_related("service_group", "priority_class", "counter")
            .filter(pk=state.get("ticket"), centre=centre)
            .first()
        )
    if ticket is None:
        return redirect("queueing:kiosk", centre_id=centre.pk)
    context = {
        "centre": centre,
        "ticket": ticket,
        "wait_minutes": selectors.ticket_estimated_wait_minutes(ticket),
        "issued": timezone.localtime(ticket.issued_at),
        "kiosk": True,
    }
    return render(request, "queueing/kiosk_ticket.html", context)


@require_safe
def display(request: HttpRequest, centre_id: int) -> HttpResponse:
    centre = _centre(centre_id)
    return render(
        request,
        "queueing/display.html",
        {"centre": centre, "board": selectors.board_for_centre(centre),
         "refresh_seconds": DISPLAY_REFRESH_SECONDS, "kiosk": True},
    )  # fmt: skip


@never_cache
@require_safe
def display_data(request: HttpRequest, centre_id: int) -> JsonResponse:
    """Polled by the display page: numbers and counters only, no personal data."""
    return JsonResponse(selectors.board_for_centre(_centre(centre_id)))
