from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import CalculatorForm, CalendarExceptionForm
from .models import CalendarException
from .official import calendar_missing_years


def _staff_only(request: HttpRequest) -> None:
    if not request.user.memberships.exists() and not request.user.is_superuser:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def exception_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    can_edit = request.user.has_perm("workdays.change_calendarexception")
    year = int(request.GET.get("nam") or timezone.localdate().year)
    form = CalendarExceptionForm()
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if "delete" in request.POST:
            exception = get_object_or_404(CalendarException, pk=request.POST["delete"])
            services.calendar_exception_delete(actor=request.user, exception=exception)
            messages.success(
                request, _("Đã xóa ngày %(date)s.") % {"date": f"{exception.date:%d/%m/%Y}"}
            )
            return redirect(f"{request.path}?nam={year}")
        form = CalendarExceptionForm(request.POST)
        if form.is_valid():
            saved = services.calendar_exception_save(
                actor=request.user,
                day=form.cleaned_data["date"],
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
            )
            messages.success(
                request, _("Đã lưu ngày %(date)s.") % {"date": f"{saved.date:%d/%m/%Y}"}
            )
            return redirect(f"{request.path}?nam={saved.date.year}")
    rows = CalendarException.objects.filter(date__year=year)
    page = Paginator(rows, 100).get_page(request.GET.get("trang"))
    return render(
        request,
        "workdays/exception_list.html",
        {
            "page": page,
            "year": year,
            "form": form,
            "can_edit": can_edit,
            "years": range(year - 2, year + 3),
            "missing_years": calendar_missing_years(),
        },
    )


@login_required
@require_http_methods(["GET"])
def calculator(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = CalculatorForm(request.GET or None)
    result = None
    if form.is_valid():
        value, unit = form.cleaned_data["amount"]
        result = services.calendar_add(
            form.cleaned_data["start"],
            value,
            unit,
            mode=form.cleaned_data["mode"],
            cutoff=form.cleaned_data["cutoff"],
        )
    return render(request, "workdays/calculator.html", {"form": form, "result": result})
