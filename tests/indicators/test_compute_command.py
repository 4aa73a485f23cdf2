"""manage.py compute_indicators: prints every result with group and total
scores, stores them, and a recomputation replaces the stored rows."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from indicators.models import IndexRuleSet, IndicatorResult, ReportPeriod
from indicators.periods import month_period

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("compute_indicators", *args, stdout=out)
    return out.getvalue()


def test_period_boundaries():
    assert month_period("2025-05") == (datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))
    assert month_period("2025-04", 15) == (datetime.date(2025, 3, 15), datetime.date(2025, 4, 14))
    assert month_period("2025-01", 15) == (
        datetime.date(2024, 12, 15),
        datetime.date(2025, 1, 14),
    )
    with pytest.raises(ValueError):
        month_period("05/2025")


def test_json_output_and_storage(commune, worked_example):
    IndexRuleSet.objects.update(period_start_day=15)
    payload = json.loads(_run("--period", "2025-04", "--agency", commune.code, "--json"))
    assert (payload["period_start"], payload["period_end"]) == ("2025-03-15", "2025-04-14")
    assert (payload["period"], payload["status"]) == ("2025-04", "open")
    # One unit: it (and its subtree) is computed; the province row is left alone.
    (unit,) = payload["units"]
    assert unit["agency"] == commune.code
    c21 = next(c for c in unit["criteria"] if c["code"] == "2.1")
    assert (c21["numerator"], c21["denominator"], c21["score"]) == ("7", "10", "14.00")
    assert unit["groups"]["dvc-progress-tree"] == "14.00"
    assert Decimal(unit["total"]) == sum(Decimal(v) for v in unit["groups"].values())
    assert unit["band"]
    stored = IndicatorResult.objects.filter(agency=commune)
    assert stored.count() == len(unit["criteria"])
    assert stored.get(criterion_code="5.4").score == Decimal("4.00")
    assert not IndicatorResult.objects.filter(agency__isnull=True).exists()
    period = ReportPeriod.objects.get(label="2025-04", reporting_15th=True)
    assert stored.filter(period=period).count() == stored.count()


def test_whole_province_stores_every_unit_and_the_province(commune, worked_example):
    IndexRuleSet.objects.update(period_start_day=15)
    payload = json.loads(_run("--period", "2025-04", "--json"))
    codes = [u["agency"] for u in payload["units"]]
    assert codes[0] is None and commune.code in codes and commune.parent.code in codes
    province = payload["units"][0]
    c21 = next(c for c in province["criteria"] if c["code"] == "2.1")
    assert (c21["numerator"], c21["denominator"]) == ("7", "10")
    assert IndicatorResult.objects.filter(agency__isnull=True).count() == len(province["criteria"])


def test_quarters_and_years_and_no_store(commune, worked_example):
    payload = json.loads(_run("--period", "2025-Q1", "--json", "--no-store"))
    assert (payload["period_start"], payload["period_end"]) == ("2025-01-01", "2025-03-31")
    assert not IndicatorResult.objects.exists()
    payload = json.loads(_run("--period", "2025", "--json", "--no-store", "--reporting-15th"))
    assert (payload["period_start"], payload["period_end"]) == ("2024-12-15", "2025-12-14")


def test_recompute_replaces(commune, worked_example):
    IndexRuleSet.objects.update(period_start_day=15)
    _run("--period", "2025-04", "--agency", commune.code)
    first = IndicatorResult.objects.count()
    worked_example["D3"].ratings.all().delete()
    text = _run("--period", "2025-04", "--agency", commune.code)
    assert IndicatorResult.objects.count() == first
    assert IndicatorResult.objects.get(agency=commune, criterion_code="5.4").score == Decimal(
        "4.67"
    )  # 7/10 = 70% → 6 × 0.7 / 0.9
    assert "Tổng điểm" in text and "2.1" in text and "không quan sát được" in text


def test_unknown_agency_or_period_is_an_error(db):
    with pytest.raises(CommandError):
        _run("--period", "2025-13")
    with pytest.raises(CommandError):
        _run("--period", "2025-05", "--agency", "nope")
    with pytest.raises(CommandError, match=r"không hợp lệ|must look like"):
        _run("--period", "05/2025")


def test_five_group_display_adds_the_split_online_groups(commune, worked_example):
    IndexRuleSet.objects.update(period_start_day=15, display="five_groups")
    payload = json.loads(_run("--period", "2025-04", "--agency", commune.code, "--json"))
    unit = payload["units"][0]
    online = Decimal(unit["groups"]["provide-online-tree"]) + Decimal(
        unit["groups"]["formality-online-payment-tree"]
    )
    assert Decimal(unit["decision_groups"]["4"]) == online
    assert "Nhóm 4 (Quyết định 766)" in _run("--period", "2025-04", "--agency", commune.code)
