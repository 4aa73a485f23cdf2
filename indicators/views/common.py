"""What every staff page of the index needs: the user's scope, the period, the display."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.agencies.models import AgencyKind
from tthc_portal.agencies.selectors import agencies_for_user

from .. import selectors
from ..exports import CONTENT_TYPES
from ..models import Display, PeriodKind, ReportPeriod
from ..selectors import Scope

DISPLAYS = {"6": Display.SIX_GROUPS, "5": Display.FIVE_GROUPS}
# URL names of a staff dossier page, first found wins (none: codes are not linked).
DOSSIER_PAGES = ("processing:dossier",)


def dossier_url(pk: int) -> str | None:
    """The staff page of a dossier, where the project has one."""
    for name in DOSSIER_PAGES:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


def staff_scope(request: HttpRequest) -> Scope:
    scope = selectors.indicator_scope(request.user)
    if not scope.units:
        raise PermissionDenied
    return scope


def can_publish(request: HttpRequest) -> bool:
    """Publishing covers the whole province: the right must be held on its root."""
    return (
        agencies_for_user(request.user, selectors.PUBLISH)
        .filter(parent__isnull=True, kind=AgencyKind.PROVINCE)
        .exists()
    )


def chosen_period(
    request: HttpRequest, periods: list[ReportPeriod]
) -> tuple[ReportPeriod | None, bool]:
    """(period, asked for one that has no results)."""
    key = request.GET.get("ky")
    if key:
        period = selectors.period_from_key(key, periods)
        if period is not None:
            return period, False
    default = selectors.default_period(periods, timezone.localdate())
    return default, bool(key)


def chosen_display(request: HttpRequest) -> str | None:
    return DISPLAYS.get(request.GET.get("nhom") or "")


def query(period: ReportPeriod | None, display: str | None = None, **extra) -> str:
    params = {}
    if period is not None:
        params["ky"] = period.pk
    for key, value in DISPLAYS.items():
        if value == display:
            params["nhom"] = key
    params.update({k: v for k, v in extra.items() if v})
    return urlencode(params)


def period_choices(periods: list[ReportPeriod]) -> list[tuple[str, list[ReportPeriod]]]:
    """The picker's option groups: months, then quarters and years if computed."""
    names = {
        PeriodKind.MONTH: _("Theo tháng"),
        PeriodKind.QUARTER: _("Theo quý"),
        PeriodKind.YEAR: _("Theo năm"),
    }
    groups = []
    for kind, name in names.items():
        chosen = [p for p in periods if p.kind == kind]
        if chosen:
            groups.append((name, chosen))
    return groups


def download(content: bytes, fmt: str, name: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
