"""Official figures read from the hub (national-sync.md §1, indicators-766.md §9).

``counts`` gives, per unit and period, the national reporting total
(``SoHoSoTiepNhan``, the 1.4 denominator) and the synced count; ``indicators``
gives the official 766 values. Each fetch APPENDS ``NationalFigure`` rows: the
latest row per (unit, period, key) is what the engine and the dashboard read,
and the earlier ones stay as the history of what the hub said.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from dossiers.models import Dossier
from feedback.selectors import period_bounds
from indicators.models import IndexRuleSet
from indicators.periods import current_month_label, parse_label
from tthc_portal.agencies.models import Agency

from ..hub.messages import unit_code
from ..models import NationalFigure, Target, TargetKind, UnitCredential
from ..transport import TargetClient, credential_for

RECEIVED, SYNCED = "SoHoSoTiepNhan", "SoHoSoDongBo"


def figure_period_key(start: datetime.date, end: datetime.date, kind: str) -> str:
    """The ``NationalFigure.period`` of a report period: its label ("2025-04",
    "2025-Q2", "2025"), with "/15" for the 15th–14th variant (both are named
    after the month they end in, so the suffix keeps them apart)."""
    if kind == "year":
        label = f"{end.year}"
    elif kind == "quarter":
        label = f"{end.year}-Q{(end.month - 1) // 3 + 1}"
    else:
        label = f"{end:%Y-%m}"
    return label if start.day == 1 else f"{label}/15"


def current_month(
    today: datetime.date | None = None,
) -> tuple[str, str, datetime.date, datetime.date]:
    """(figure key, label, first day, last day) of the month period containing
    ``today``, in the variant the 766 rule set in force uses."""
    today = today or timezone.localdate()
    try:
        reporting_15th = IndexRuleSet.in_force(today).period_start_day > 1
    except IndexRuleSet.DoesNotExist:
        reporting_15th = False
    label = current_month_label(today, reporting_15th=reporting_15th)
    label, kind, start, end = parse_label(label, reporting_15th=reporting_15th)
    return figure_period_key(start, end, kind), label, start, end


def latest_figures(period_key: str, keys: Iterable[str]) -> QuerySet[NationalFigure]:
    """The newest row per (unit, key) of the active hub, for one period (one query)."""
    newer = NationalFigure.objects.filter(
        target_id=OuterRef("target_id"),
        unit_code=OuterRef("unit_code"),
        period=OuterRef("period"),
        key=OuterRef("key"),
        fetched_at__gt=OuterRef("fetched_at"),
    )
    return NationalFigure.objects.filter(
        ~Exists(newer),
        target__kind=TargetKind.HUB,
        target__is_active=True,
        period=period_key,
        key__in=list(keys),
    )


def national_received_totals(
    start: datetime.date, end: datetime.date, kind: str, agency_ids: list[int] | None
) -> dict[int, int]:
    """agency → the latest official count of dossiers received in the period (1.4)."""
    rows = latest_figures(figure_period_key(start, end, kind), [RECEIVED]).filter(
        agency__isnull=False, value__isnull=False
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    return {agency_id: int(value) for agency_id, value in rows.values_list("agency_id", "value")}


@dataclass
class FetchReport:
    units: int = 0
    figures: int = 0
    failures: int = 0


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None


def _units(target: Target, since: datetime.datetime, until: datetime.datetime) -> list[Agency]:
    """Units that received dossiers in the period, and units with their own account."""
    received = (
        Dossier.objects.filter(received_at__gte=since, received_at__lt=until)
        .order_by()
        .values("receiving_agency_id")
    )
    credentialed = UnitCredential.objects.filter(target=target, agency__isnull=False).values(
        "agency_id"
    )
    return list(
        Agency.objects.filter(Q(pk__in=received) | Q(pk__in=credentialed)).order_by("path", "pk")
    )


def national_figures_fetch(target: Target, period) -> FetchReport:
    """Read the hub's counts and official 766 values of every unit for a report
    period (``indicators.ReportPeriod``) and append them. A unit whose call
    fails keeps its earlier figures; the failure is in the attempt log."""
    report = FetchReport()
    now = timezone.now()
    key = figure_period_key(period.start, period.end, period.kind)
    since, until = period_bounds(period.start, period.end)
    dates = {"TuNgay": f"{period.start:%Y%m%d}", "DenNgay": f"{period.end:%Y%m%d}"}
    clients: dict[str, TargetClient] = {}
    rows: list[NationalFigure] = []
    try:
        for agency in _units(target, since, until):
            report.units += 1
            code = unit_code(target, agency)
            credential = credential_for(target, agency.pk, code)
            client_key = credential.cache_key if credential else ""
            client = clients.setdefault(client_key, TargetClient(target, credential))

            def figure(name, value, raw, agency=agency, code=code) -> NationalFigure:
                return NationalFigure(
                    target=target, agency=agency, unit_code=code, period=key, key=name[:32],
                    value=_decimal(value), raw=raw, fetched_at=now,
                )  # fmt: skip

            reply = client.call("counts", {"MaDonVi": code, **dates})
            found = [r for r in (reply.result or []) if isinstance(r, dict)] if reply.ok else []
            row = next((r for r in found if str(r.get("MaDonVi")) == code), None)
            if row is None:
                report.failures += 1
            else:
                raw = {"request": {"MaDonVi": code, **dates}, "reply": row}
                rows += [figure(RECEIVED, row.get(RECEIVED), raw),
                         figure(SYNCED, row.get(SYNCED), raw)]  # fmt: skip
            reply = client.call("indicators", {"MaDonVi": code, "Ky": period.label})
            result = reply.result if reply.ok and isinstance(reply.result, dict) else None
            if result is None:
                report.failures += 1
                continue
            for item in result.get("ChiSo") or []:
                if isinstance(item, dict) and item.get("Ma"):
                    rows.append(
                        figure(
                            str(item["Ma"]), item.get("GiaTri"), {"Ky": period.label, "reply": item}
                        )
                    )
    finally:
        for client in clients.values():
            client.attempts_save()
    NationalFigure.objects.bulk_create(rows)
    report.figures = len(rows)
    return report
