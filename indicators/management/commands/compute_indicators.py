"""Compute and store the local 766 prediction for one period.

manage.py compute_indicators --period 2025-05 [--agency CODE] [--json] [--no-store]
                             [--reporting-15th]

Periods: a month (2025-05), a quarter (2025-Q2) or a year (2025). Without
``--reporting-15th`` the variant follows the rule set (period start day 15 ⇒
the 15th–14th period named after the month it ends in).

While a period is open each figure is given twice: the score now (open
dossiers and PAKN judged now: not yet due = within deadline) and the
forecast at the period end if nothing changes (``forecast_*``). Once the
period has ended the two are equal.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from feedback.selectors import period_bounds
from indicators import engine, scoring
from indicators.models import IndexRuleSet
from indicators.periods import parse_label
from indicators.services import IndicatorError
from indicators.services.periods import period_compute, period_get_or_create, period_recompute
from indicators.services.results import period_results
from tthc_portal.agencies.models import Agency


class Command(BaseCommand):
    help = "Tính (dự tính) các chỉ tiêu Bộ chỉ số 766 của một kỳ, theo đơn vị và toàn tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Kỳ: 2025-05, 2025-Q2 hoặc 2025.")
        parser.add_argument("--agency", help="Mã định danh của đơn vị (mặc định: mọi đơn vị).")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
        parser.add_argument("--no-store", action="store_true", help="Chỉ in, không lưu.")
        parser.add_argument(
            "--reporting-15th",
            action="store_true",
            help="Kỳ từ ngày 15 tháng trước đến ngày 14 (mặc định: theo bộ chỉ số).",
        )

    def handle(self, *args, period: str, agency: str | None, **options):
        try:
            _label, _kind, start, _end = parse_label(period)
            fifteenth = (
                options["reporting_15th"] or IndexRuleSet.in_force(start).period_start_day > 1
            )
            report_period = period_get_or_create(period, reporting_15th=fifteenth)
        except (ValueError, IndexRuleSet.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        except IndicatorError as exc:
            raise CommandError(exc.message) from exc
        unit = None
        if agency:
            unit = Agency.objects.filter(code=agency).first()
            if unit is None:
                raise CommandError(f"không có đơn vị mã {agency}")
        now = timezone.now()
        if options["no_store"]:
            results = period_compute(report_period, unit, now=now)
        else:
            try:
                period_recompute(actor=None, period=report_period, agency=unit)
            except IndicatorError as exc:
                raise CommandError(exc.message) from exc
            stored = list(_stored(report_period, unit))
            results = [_as_result(row) for row in stored]
            now = max((row.computed_at for row in stored), default=now)
        _since, until = period_bounds(report_period.start, report_period.end)
        self._print(report_period, results, options["json"], min(now, until))

    def _print(
        self,
        period,
        results: list[engine.CriterionResult],
        as_json: bool,
        judged_at: datetime.datetime,
    ) -> None:
        is_open = judged_at < period_bounds(period.start, period.end)[1]
        rule_set = period.rule_set
        groups = list(rule_set.groups.order_by("order"))
        five = rule_set.display == "five_groups"
        summaries = {s.agency_id: s for s in engine.summarise(results, rule_set)}
        ids = list(dict.fromkeys(r.agency_id for r in results))
        agencies = Agency.objects.in_bulk([a for a in ids if a is not None])
        units = []
        for agency_id in ids:
            unit = agencies.get(agency_id)
            summary = summaries.get(agency_id) or engine.Summary(agency_id)
            units.append(
                {
                    "agency": unit.code if unit else None,
                    "name": unit.name if unit else "Toàn tỉnh",
                    "criteria": [
                        {
                            "code": r.code,
                            "numerator": _num(r.numerator),
                            "denominator": _num(r.denominator),
                            "ratio": str(r.ratio),
                            "score": str(r.score),
                            "max": str(r.max_points),
                            "observable": r.observable,
                            "source": r.source,
                            "note": r.note,
                            "forecast_numerator": _num(_forecast(r, "numerator")),
                            "forecast_ratio": str(_forecast(r, "ratio")),
                            "forecast_score": str(_forecast(r, "score")),
                        }
                        for r in results
                        if r.agency_id == agency_id
                    ],
                    "groups": {code: str(score) for code, score in summary.groups.items()},
                    "decision_groups": {
                        str(k): str(v) for k, v in sorted(summary.decision_groups.items())
                    },
                    "total": str(summary.total),
                    "band": summary.band,
                    "forecast_total": str(
                        scoring.round2(
                            sum(
                                (
                                    _forecast(r, "score")
                                    for r in results
                                    if r.agency_id == agency_id
                                ),
                                Decimal(0),
                            )
                        )
                    ),
                }
            )
        if as_json:
            payload = {
                "period": period.label,
                "period_start": period.start.isoformat(),
                "period_end": period.end.isoformat(),
                "status": period.status,
                "open": is_open,
                "judged_at": judged_at.isoformat(),
                "rule_set": rule_set.name,
                "units": units,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Kỳ {_d(period.start)}–{_d(period.end)} ({rule_set.name})")
        if is_open:
            self.stdout.write(
                f"Kỳ đang mở: điểm hiện tại tính đến {timezone.localtime(judged_at):%H:%M %d/%m/%Y}"
                " (hồ sơ, PAKN chưa đến hạn: trong hạn); dự báo cuối kỳ nếu không có thay đổi."
            )
        for unit in units:
            self.stdout.write(f"\n{unit['name']} ({unit['agency'] or '*'})")
            for c in unit["criteria"]:
                flag = "" if c["observable"] else " [không quan sát được]"
                note = f" — {c['note']}" if c["note"] and c["observable"] else ""
                forecast = (
                    f"  (dự báo cuối kỳ {c['forecast_score']})"
                    if is_open and c["forecast_score"] != c["score"]
                    else ""
                )
                self.stdout.write(
                    f"  {c['code']:<5} {c['numerator']}/{c['denominator']:<8} "
                    f"{c['ratio']:>7}%  {c['score']:>6}/{c['max']}{flag}{note}{forecast}"
                )
            if five:
                for number, score in unit["decision_groups"].items():
                    self.stdout.write(f"  Nhóm {number} (Quyết định 766): {score}")
            else:
                for group in groups:
                    score = unit["groups"].get(group.code, "0.00")
                    self.stdout.write(f"  {group.name}: {score}/{group.max_points}")
            if is_open:
                self.stdout.write(
                    f"  Điểm hiện tại: {unit['total']} – {unit['band']}; "
                    f"dự báo cuối kỳ: {unit['forecast_total']}"
                )
            else:
                self.stdout.write(f"  Tổng điểm: {unit['total']} – {unit['band']}")


def _stored(period, unit: Agency | None):
    if unit is None:
        return period_results(period)
    ids = Agency.objects.filter(path__startswith=unit.path).values_list("pk", flat=True)
    return period_results(period, agency_ids=list(ids), include_province=False)


def _as_result(row) -> engine.CriterionResult:
    return engine.CriterionResult(
        row.agency_id,
        row.criterion_code,
        row.numerator,
        row.denominator,
        row.ratio,
        row.score,
        row.max_points,
        row.observable,
        row.note,
        row.group_code,
        row.source,
        row.forecast_numerator,
        row.forecast_ratio,
        row.forecast_score,
    )


def _forecast(result: engine.CriterionResult, name: str):
    """The forecast value, or the value itself where none was stored (older rows)."""
    value = getattr(result, f"forecast_{name}")
    return getattr(result, name) if value is None else value


def _num(value) -> str:
    """Counts without decimals (stored rows carry two), fractions as they are."""
    return str(int(value)) if value == int(value) else str(value)


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")
