"""The public procedure catalogue (no login): list with search and filters, detail,
form template downloads. Reads go through :mod:`procedures.selectors`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from procedures import selectors
from procedures.models import Level, OnlineLevel

PAGE_SIZE = 20


@dataclass(frozen=True)
class CatalogueParams:
    """The GET parameters of the list, validated (bad values are ignored)."""

    q: str = ""
    field: int | None = None
    agency: int | None = None
    level: str | None = None
    online_level: str | None = None

    @classmethod
    def from_query(cls, data: QueryDict) -> CatalogueParams:
        def number(name: str) -> int | None:
            value = (data.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        def choice(name: str, allowed: list[str]) -> str | None:
            value = data.get(name) or ""
            return value if value in allowed else None

        return cls(
            q=(data.get("q") or "").strip()[: selectors.MAX_QUERY_CHARS],
            field=number("linh_vuc"),
            agency=number("co_quan"),
            level=choice("cap", Level.values),
            online_level=choice("truc_tuyen", OnlineLevel.values),
        )

    @property
    def filters(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "agency": self.agency,
            "level": self.level,
            "online_level": self.online_level,
        }

    @property
    def active(self) -> bool:
        return bool(self.q) or any(value is not None for value in self.filters.values())


def _not_found(request: HttpRequest, message: str | None = None) -> HttpResponse:
    return render(
        request,
        "procedures/catalogue/not_found.html",
        {"message": message or _("Không tìm thấy thủ tục hành chính này.")},
        status=404,
    )


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    params = CatalogueParams.from_query(request.GET)
    results = selectors.catalogue_search(params.q, **params.filters)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("trang"))
    context = {
        "params": params,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "facets": selectors.catalogue_facets(params.q, **params.filters),
    }
    return render(request, "procedures/catalogue/list.html", context)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = selectors.catalogue_detail(pk)
    if version is None:
        return _not_found(request)
    submit_url = None
    if version.accepts_online:
        try:
            submit_url = reverse("dossiers:submit_start", args=[version.procedure_id])
        except NoReverseMatch:
            submit_url = None
    context = {"version": version, "procedure": version.procedure, "submit_url": submit_url}
    return render(request, "procedures/catalogue/detail.html", context)


@require_safe
def detail_by_code(request: HttpRequest, code: str) -> HttpResponse:
    version = selectors.catalogue_detail(code)
    if version is None:
        return _not_found(request)
    return redirect("procedures:detail", pk=version.procedure_id)


@require_safe
def form_template(request: HttpRequest, pk: int) -> HttpResponse:
    component = selectors.catalogue_component(pk)
    missing = _("Không tìm thấy mẫu đơn, tờ khai này.")
    if component is None:
        return _not_found(request, missing)
    try:
        handle = component.form_template.open("rb")
    except FileNotFoundError:
        return _not_found(request, missing)
    return FileResponse(
        handle, as_attachment=True, filename=Path(component.form_template.name).name
    )
