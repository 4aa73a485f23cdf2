"""Issue #14, item 1: an open period has two numbers. The score now judges
open dossiers and PAKN at the current time (not yet due = within deadline);
the forecast judges them at the period end (what is lost if nothing
changes). The same rule holds in the stored results, the drill-down, the
command, the API and the six-monthly PAKN report."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Status
from feedback.models import Category
from feedback.services import pakn
from feedback.services.reports import report_rows
from indicators.models import IndexRuleSet, IndicatorResult
from indicators.services.drilldown import criterion_cases
from indicators.services.periods import period_get_or_create, period_recompute
from portal_site.demo import seed_accounts, seed_agencies
from tests.factories import make_staff
from tests.feedback.conftest import submit_pakn
from tests.indicators.conftest import at
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db
D = Decimal
NOW = at(4, 11, 12)  # Friday 11/04/2025, noon: the period runs to the end of 14/04


@pytest.fixture
def frozen_now(monkeypatch):
    """Pin "now" for the services (they read django.utils.timezone.now)."""

    def pin(instant):
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return pin


@pytest.fixture
def period(db):
    IndexRuleSet.objects.update(period_start_day=15)
    return period_get_or_create("2025-04", reporting_15th=True)


@pytest.fixture
def open_dossiers(build):
    open_ = {"channel": 1, "status": Status.IN_PROCESSING}
    return {
        # Received in the period, due after now but before the period end.
        "due_12": build.dossier(received_at=at(4, 10), due_at=at(4, 12, 17), **open_),
        "due_14": build.dossier(received_at=at(4, 2), due_at=at(4, 14, 17), **open_),
        "overdue": build.dossier(received_at=at(3, 20), due_at=at(4, 8, 17), **open_),
        "after_end": build.dossier(received_at=at(4, 3), due_at=at(4, 20, 17), **open_),
    }


def _stored(period, agency_id, code) -> IndicatorResult:
    return IndicatorResult.objects.get(period=period, agency_id=agency_id, criterion_code=code)


def test_stored_results_hold_the_score_now_and_the_forecast(
    commune, open_dossiers, period, frozen_now
):
    frozen_now(NOW)
    period_recompute(actor=None, period=period)
    c21 = _stored(period, commune.pk, "2.1")
    # Now: only "overdue" is late (3 of 4 on time); at the period end due_12 and due_14 too.
    assert (c21.numerator, c21.denominator, c21.score) == (D(3), D(4), D("15.00"))
    assert (c21.forecast_numerator, c21.forecast_score) == (D(1), D("5.00"))
    assert c21.judged_at == NOW
    province = _stored(period, None, "2.1")
    assert (province.score, province.forecast_score) == (D("15.00"), D("5.00"))


def test_once_the_period_is_over_score_and_forecast_agree(
    commune, open_dossiers, period, frozen_now
):
    frozen_now(at(4, 16, 9))
    period_recompute(actor=None, period=period)
    c21 = _stored(period, commune.pk, "2.1")
    assert c21.score == c21.forecast_score == D("5.00")


def test_drilldown_of_the_open_period_lists_only_what_is_overdue_now(
    commune, open_dossiers, period, frozen_now
):
    frozen_now(NOW)
    found = criterion_cases(period=period, agency=commune, criterion_code="2.1")
    listed = {d.pk: d.reason for d in found.queryset}
    assert list(listed) == [open_dossiers["overdue"].pk]
    assert "cuối kỳ" not in listed[open_dossiers["overdue"].pk]


def test_command_prints_the_score_now_and_the_forecast(commune, open_dossiers, period, frozen_now):
    frozen_now(NOW)
    out = StringIO()
    call_command(
        "compute_indicators", "--period", "2025-04", "--agency", commune.code, "--json", stdout=out
    )
    payload = json.loads(out.getvalue())
    assert payload["open"] is True
    unit = next(u for u in payload["units"] if u["agency"] == commune.code)
    c21 = next(c for c in unit["criteria"] if c["code"] == "2.1")
    assert (c21["score"], c21["forecast_score"], c21["forecast_numerator"]) == (
        "15.00",
        "5.00",
        "1",
    )
    assert D(unit["total"]) - D(unit["forecast_total"]) >= D("10.00")
    text = StringIO()
    call_command("compute_indicators", "--period", "2025-04", "--agency", commune.code, stdout=text)
    assert "Điểm hiện tại" in text.getvalue() and "dự báo cuối kỳ" in text.getvalue()


def test_api_exposes_the_forecast(client, commune, open_dossiers, period, frozen_now):
    frozen_now(NOW)
    period_recompute(actor=None, period=period)
    client.force_login(make_staff(Role.PROVINCIAL_STAFF, commune.parent))
    api = f"/api/indicators/periods/{period.pk}"
    rows = client.get(f"{api}/results/", {"agency": commune.pk, "page_size": 200}).json()
    c21 = next(r for r in rows["results"] if r["criterion"] == "2.1")
    assert (c21["score"], c21["forecast_score"]) == ("15.00", "5.00")
    summary = client.get(f"{api}/summary/").json()["results"]
    mine = next(s for s in summary if s["agency"] == commune.pk)
    assert D(mine["total"]) - D(mine["forecast_total"]) == D(mine["points_at_stake"]) > 0


# --- PAKN (5.2, 5.3 and the six-monthly report) ----------------------------------------------

XA_A = "000.21.00.H99"


@pytest.fixture
def tinh(holiday_calendar):
    from feedback.defaults import ensure_all

    ensure_all()
    agencies = seed_agencies()
    seed_accounts(agencies)
    return agencies


@pytest.fixture
def open_pakn(tinh):
    """A PAKN received in the period, forwarded to Xã A and still being handled."""
    office = get_user_model().objects.get(username="vanphong")
    received = at(3, 20, 9)
    item = submit_pakn(received)
    pakn.feedback_classify(
        actor=office, item=item, category=Category.REGULATION_IN_SCOPE, at=received
    )
    return pakn.feedback_forward(actor=office, item=item, agency=tinh[XA_A], at=received)


def test_a_pakn_not_yet_due_is_not_late_now(tinh, open_pakn, period, frozen_now):
    due = open_pakn.handle_due_at
    assert at(3, 21) < due < at(4, 15, 0)  # due inside the period
    frozen_now(due - timedelta(hours=2))
    period_recompute(actor=None, period=period)
    agency = tinh[XA_A].pk
    for code in ("5.2", "5.3"):
        row = _stored(period, agency, code)
        assert (row.score, row.forecast_score) == (D("6.00"), D("0.00")), code
    assert not criterion_cases(period=period, agency=tinh[XA_A], criterion_code="5.3").queryset


def test_six_monthly_report_judges_an_unfinished_period_now(tinh, open_pakn, frozen_now):
    ids = [tinh[XA_A].pk]
    frozen_now(open_pakn.handle_due_at - timedelta(hours=2))
    _rows, totals = report_rows(date(2025, 1, 1), date(2025, 6, 30), ids)
    assert (totals["open"], totals["open_late"]) == (1, 0)
    frozen_now(at(7, 1, 9))  # the half-year is over: judged at its end
    _rows, totals = report_rows(date(2025, 1, 1), date(2025, 6, 30), ids)
    assert (totals["open"], totals["open_late"]) == (1, 1)


def test_dashboard_shows_the_score_now_and_the_forecast(
    client, commune, open_dossiers, period, frozen_now
):
    frozen_now(NOW)
    period_recompute(actor=None, period=period)
    client.force_login(make_staff(Role.PROVINCIAL_STAFF, commune.parent))
    page = client.get(reverse("indicators:dashboard"), {"ky": period.pk}).content.decode()
    now = IndicatorResult.objects.filter(period=period, agency=None)
    total = sum(r.score for r in now)
    forecast = sum(r.forecast_score for r in now)
    assert total - forecast >= D("10.00")
    assert f'data-testid="total">{total:.2f}'.replace(".", ",") in page
    assert f'data-testid="forecast">{forecast:.2f}'.replace(".", ",") in page
