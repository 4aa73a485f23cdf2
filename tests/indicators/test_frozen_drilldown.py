"""Issue #14, item 2: a published period's drill-down never changes. The
items behind the frozen scores are stored at publication; later corrections
change neither the scores nor the lists."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from dossiers.models import Dossier
from indicators.models import IndexRuleSet, IndicatorResult
from indicators.services import periods as services
from indicators.services.drilldown import criterion_cases
from tests.factories import make_staff
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(commune):
    return make_staff(Role.PROVINCIAL_STAFF, commune.parent)


@pytest.fixture
def published(commune, worked_example, office):
    IndexRuleSet.objects.update(period_start_day=15)
    period = services.period_get_or_create("2025-04", reporting_15th=True)
    return services.period_publish(actor=office, period=period)


def _listed(period, agency, code) -> dict[int, str]:
    found = criterion_cases(period=period, agency=agency, criterion_code=code)
    return {item.pk: item.reason for item in found.queryset}


def test_the_published_list_matches_the_frozen_score(published, commune, worked_example):
    row = IndicatorResult.objects.get(period=published, agency=commune, criterion_code="2.1")
    late = {worked_example[name].pk for name in ("D3", "D4", "D10")}
    assert set(_listed(published, commune, "2.1")) == late
    assert row.denominator - row.numerator == len(late)
    # The province list is frozen too.
    assert set(_listed(published, None, "2.1")) == late


def test_frozen_lists_equal_the_live_lists_at_publication(published, commune):
    from indicators.services.drilldown import list_for

    for agency in (commune, None):
        for code in ("3.1", "3.2", "3.5", "3.5b", "4.5a", "4.2", "5.4", "1.4"):
            _kind, live = list_for(published, agency, code)
            assert _listed(published, agency, code) == {item.pk: item.reason for item in live}, code


def test_a_later_correction_does_not_change_the_published_list(
    published, commune, worked_example, client, office
):
    before = _listed(published, commune, "2.1")
    before_44 = _listed(published, commune, "4.4")
    # D3's appointment was entered wrong: corrected after publication, it is no longer late.
    later = worked_example["D3"].due_at + datetime.timedelta(days=10)
    Dossier.objects.filter(pk=worked_example["D3"].pk).update(due_at=later, original_due_at=later)
    assert _listed(published, commune, "2.1") == before
    assert worked_example["D3"].pk in before
    assert _listed(published, commune, "4.4") == before_44
    # The page shows the frozen list with its frozen dates.
    client.force_login(office)
    url = reverse("indicators:unit_cases", args=[commune.pk, "2.1"])
    page = client.get(url, {"ky": published.pk})
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="case-row"') == 3
