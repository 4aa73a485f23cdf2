"""Citizens book an appointment slot online, see and cancel their bookings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from procedures.models import Procedure

from .. import selectors
from ..forms import BookForm, SlotSearchForm
from ..models import Appointment, AppointmentSlot
from ..services import QueueError
from ..services.appointments import appointment_book, appointment_cancel


def applicant_only(request: HttpRequest) -> None:
    if not getattr(request.user, "is_applicant", False):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    applicant_only(request)
    search = SlotSearchForm(request.GET or None)
    book_form = BookForm(request.POST or None, initial={"phone": request.user.phone or ""})
    if request.method == "POST" and book_form.is_valid():
        slot = get_object_or_404(
            AppointmentSlot.objects.filter(service_group__is_active=True),
            pk=book_form.cleaned_data["slot"],
        )
        code = book_form.cleaned_data["procedure_code"].strip()
        procedure = Procedure.objects.filter(code=code).first() if code else None
        try:
            if code and procedure is None:
                raise QueueError(_("Không tìm thấy thủ tục có mã %(code)s.") % {"code": code})
            appointment = appointment_book(
                person=request.user,
                slot=slot,
                phone=book_form.cleaned_data["phone"],
                procedure=procedure,
            )
        except QueueError as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(
                request,
                _("Đã đặt lịch. Mã đặt lịch của ông/bà là %(code)s.") % {"code": appointment.code},
            )
            return redirect("queueing:my_appointments")
    slots = []
    if search.is_valid():
        slots = [
            {"slot": s, "remaining": max(s.capacity - s.taken, 0)}
            for s in selectors.slots_open(
                search.cleaned_data["service_group"], search.cleaned_data["day"]
            )
        ]
    return render(
        request, "queueing/book.html",
        {"search": search, "book_form": book_form, "slots": slots, "now": timezone.now()},
    )  # fmt: skip


@login_required
@require_safe
def my_appointments(request: HttpRequest) -> HttpResponse:
    applicant_only(request)
    appointments = (
        Appointment.objects.filter(person=request.user)
        .select_related(
            "slot__service_group__centre", "slot__counter", "ticket", "procedure__current_version"
        )
        .order_by("-day", "-slot__start")[:50]
    )
    return render(request, "queueing/my_appointments.html", {"appointments": appointments})


@login_required
@require_POST
def cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    applicant_only(request)
    appointment = get_object_or_404(Appointment, pk=appointment_id, person=request.user)
    try:
        appointment_cancel(person=request.user, appointment=appointment)
    except QueueError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Đã hủy lịch hẹn %(code)s.") % {"code": appointment.code})
    return redirect("queueing:my_appointments")
