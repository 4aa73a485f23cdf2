"""Compute and store the local 766 prediction for one month.

manage.py compute_indicators --period 2025-05 [--agency CODE] [--json] [--no-store]
"""

from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from indicators import engine
from indicators.models import IndexRuleSet
from indicators.periods import month_period
from tthc_portal.agencies.models import Agency


class Command(BaseCommand):
    help = "Tính (dự tính) các chỉ tiêu Bộ chỉ số 766 của một tháng, theo đơn vị và toàn tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="Tháng, ví dụ 2025-05.")
        parser.add_argument("--agency", help="Mã định danh của đơn vị (mặc định: mọi đơn vị).")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
        parser.add_argument("--no-store", action="store_true", help="Chỉ in, không lưu.")

    def handle(self, *args, period: str, agency: str | None, **options):
        try:
            start, _ = month_period(period)
            rule_set = IndexRuleSet.in_force(start)
            start, end = month_period(period, rule_set.period_start_day)
        except (ValueError, IndexRuleSet.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        if agency:
            unit = Agency.objects.filter(code=agency).first()
            if unit is None:
                raise CommandError(f"không có đơn vị mã {agency}")
            agencies = {unit.pk: unit}
        else:
            agencies = Agency.objects.filter(is_active=True).in_bulk()
        results = engine.compute(start, end, list(agencies))
        if not options["no_store"]:
            engine.store(results, start, end, rule_set)
        groups = list(rule_set.groups.order_by("order"))
        five = rule_set.display == "five_groups"
        summaries = {s.agency_id: s for s in engine.summarise(results, rule_set)}
        units = []
        for agency_id in [*agencies, None]:
            unit = agencies.get(agency_id)
            summary = summaries.get(agency_id) or engine.Summary(agency_id)
            units.append(
                {
                    "agency": unit.code if unit else None,
                    "name": unit.name if unit else "Toàn tỉnh",
                    "criteria": [
                        {
                            "code": r.code,
                            "numerator": str(r.numerator),
                            "denominator": str(r.denominator),
                            "ratio": str(r.ratio),
                            "score": str(r.score),
                            "max": str(r.max_points),
                            "observable": r.observable,
                            "note": r.note,
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
                }
            )
        if options["json"]:
            payload = {
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
                "rule_set": rule_set.name,
                "units": units,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Kỳ {_d(start)}–{_d(end)} ({rule_set.name})")
        for unit in units:
            self.stdout.write(f"\n{unit['name']} ({unit['agency'] or '*'})")
            for c in unit["criteria"]:
                flag = "" if c["observable"] else " [không quan sát được]"
                note = f" — {c['note']}" if c["note"] and c["observable"] else ""
                self.stdout.write(
                    f"  {c['code']:<5} {c['numerator']}/{c['denominator']:<8} "
                    f"{c['ratio']:>7}%  {c['score']:>6}/{c['max']}{flag}{note}"
                )
            if five:
                for number, score in unit["decision_groups"].items():
                    self.stdout.write(f"  Nhóm {number} (Quyết định 766): {score}")
            else:
                for group in groups:
                    score = unit["groups"].get(group.code, "0.00")
                    self.stdout.write(f"  {group.name}: {score}/{group.max_points}")
            self.stdout.write(f"  Tổng điểm: {unit['total']} – {unit['band']}")


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")
