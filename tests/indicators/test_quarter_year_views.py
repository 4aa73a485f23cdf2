"""Issue #14, item 9: the nightly jobs compute the open quarter and year as
well as the month, so the dashboard offers quarter and year views, with the
same figures as ``manage.py compute_indicators``."""

from __future__ import annotations

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators.models import IndexRuleSet, IndicatorResult, ReportPeriod
from indicators.tasks import compute_current_period_task, compute_current_quarter_year_task
from tests.factories import make_staff
from tests.indicators.conftest import at
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db
NOW = at(4, 11, 12)  # 11/04/2025, inside month 2025-04, quarter 2025-Q2 and year 2025 (15th–14th)


@pytest.fixture
def nightly(commune, worked_example, monkeypatch):
    IndexRuleSet.objects.update(period_start_day=15)
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    compute_current_period_task()
    compute_current_quarter_year_task()


def _computed() -> set[str]:
    return set(
        ReportPeriod.objects.filter(pk__in=IndicatorResult.objects.values("period")).values_list(
            "label", flat=True
        )
    )


def test_the_nightly_jobs_compute_month_quarter_and_year(nightly):
    # The quarter before ended 14/03, less than a month ago; the year before did not.
    assert _computed() == {"2025-03", "2025-04", "2025-Q1", "2025-Q2", "2025"}


@pytest.mark.parametrize("label", ["2025-Q2", "2025"])
def test_dashboard_shows_the_commands_figures(client, commune, nightly, label):
    period = ReportPeriod.objects.get(label=label, reporting_15th=True)
    out = StringIO()
    call_command("compute_indicators", "--period", label, "--json", "--no-store", stdout=out)
    province = next(u for u in json.loads(out.getvalue())["units"] if u["agency"] is None)
    client.force_login(make_staff(Role.PROVINCIAL_STAFF, commune.parent))
    page = client.get(reverse("indicators:dashboard"), {"ky": period.pk}).content.decode()
    assert "Theo quý" in page and "Theo năm" in page
    shown = re.search(r'data-testid="total">([^<]+)<', page)[1]
    assert shown.replace(",", ".") == province["total"]
