"""The dossier register (form 07) for the desk and the heads: choose the
agency, the field and the period, preview page by page, download as PDF,
XLSX or CSV. Only agencies on which the user may see the records and whose
desk or leadership they belong to are offered; for anyone else the page does
not exist (404)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from procedures.models import Field
from tthc_portal.agencies.models import Agency

from ..services import DossierError
from ..services import register as service

PAGE_SIZE = 50
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
DOWNLOADS = {
    "pdf": "application/pdf",
    "xlsx": service.XLSX_TYPE,
    "csv": "text/csv; charset=utf-8",
}


class RegisterFilterForm(forms.Form):
    co_quan = forms.ModelChoiceField(
        label=_("Cơ quan tiếp nhận"), queryset=Agency.objects.none(), empty_label=None,
        error_messages={"invalid_choice": _("Bạn không được xem sổ theo dõi của cơ quan này.")},
    )  # fmt: skip
    linh_vuc = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=Field.objects.order_by("name"), required=False,
        empty_label=_("Mọi lĩnh vực"),
        error_messages={"invalid_choice": _("Lĩnh vực không hợp lệ.")},
    )  # fmt: skip
    tu_ngay = forms.DateField(
        label=_("Từ ngày"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Hãy chọn ngày bắt đầu."),
                        "invalid": _("Ngày bắt đầu không hợp lệ (dd/mm/yyyy).")},
    )  # fmt: skip
    den_ngay = forms.DateField(
        label=_("Đến ngày"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Hãy chọn ngày kết thúc."),
                        "invalid": _("Ngày kết thúc không hợp lệ (dd/mm/yyyy).")},
    )  # fmt: skip

    def __init__(self, *args, agencies: QuerySet[Agency], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["co_quan"].queryset = agencies

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start is not None and end is not None:
            try:
                service.register_period_check(start, end)
            except DossierError as error:
                raise forms.ValidationError(error.message) from None
        return cleaned

    def scope(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "agencies": [data["co_quan"]],
            "field": data.get("linh_vuc"),
            "start": data["tu_ngay"],
            "end": data["den_ngay"],
        }


def _form(request: HttpRequest) -> RegisterFilterForm:
    agencies = service.register_agencies(request.user)
    first = agencies.first()
    if first is None:
        raise Http404
    today = timezone.localdate()
    data = request.GET.copy()
    # A first visit shows this month's register of the user's first agency.
    data.setdefault("co_quan", str(first.pk))
    data.setdefault("tu_ngay", date(today.year, today.month, 1).isoformat())
    data.setdefault("den_ngay", today.isoformat())
    return RegisterFilterForm(data, agencies=agencies)


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    context: dict[str, Any] = {"form": form, "pdf_max_rows": service.pdf_max_rows()}
    if form.is_valid():
        scope = form.scope()
        page = Paginator(service.register_queryset(**scope), PAGE_SIZE).get_page(
            request.GET.get("trang")
        )
        query = request.GET.copy()
        query.pop("trang", None)
        for name in ("co_quan", "tu_ngay", "den_ngay"):
            query[name] = form.data[name]
        context.update(
            page=page,
            page_range=page.paginator.get_elided_page_range(page.number, on_each_side=2),
            rows=list(service.rows_of(page.object_list, first_number=page.start_index())),
            agency=scope["agencies"][0],
            query=query.urlencode(),
        )
    status = 200 if form.is_valid() else 400
    return render(request, "dossiers/register/index.html", context, status=status)


@login_required
@require_safe
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404
    form = _form(request)
    if not form.is_valid():
        return render(request, "dossiers/register/index.html", {"form": form}, status=400)
    scope = form.scope()
    writers = {
        "pdf": service.register_pdf,
        "xlsx": service.register_xlsx,
        "csv": lambda **kw: service.register_csv(**kw).encode("utf-8"),
    }
    try:
        content = writers[fmt](**scope)
    except DossierError as error:
        # Too many rows for this format: say so on the page, the choices kept.
        form.add_error(None, error.message)
        return render(request, "dossiers/register/index.html", {"form": form}, status=400)
    agency = scope["agencies"][0]
    name = f"so-theo-doi-ho-so-{agency.code}-{scope['start']:%Y%m%d}-{scope['end']:%Y%m%d}"
    response = HttpResponse(content, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
