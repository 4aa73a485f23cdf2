"""Scores on the dashboard are the sums of the stored criterion scores:
groups, totals, bands, separate rankings of departments and communes, the
five-group display of the Decision, deltas and the monthly trend."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from indicators.models import IndicatorResult
from tests.factories import PASSWORD
from tests.indicators.dashboard_data import MONTHS, build_tree, store_results

pytestmark = pytest.mark.django_db
URL = reverse("indicators:dashboard")


@pytest.fixture
def client_office(client):
    tree = build_tree(departments=3, communes=2)
    client.march = store_results(tree, *MONTHS[0], shift=5)
    client.april = store_results(tree, *MONTHS[1])
    assert client.login(username=tree.staff["office"].username, password=PASSWORD)
    client.tree = tree
    return client


def _stored_total(agency_id, period) -> Decimal:
    return IndicatorResult.objects.filter(agency_id=agency_id, period=period).aggregate(
        t=Sum("score")
    )["t"]


def test_totals_groups_and_rankings(client_office):
    data = client_office.get(URL, {"ky": client_office.april.pk}).context["data"]
    assert [c.name for c in data.columns][:2] == ["Công khai, minh bạch", "Tiến độ giải quyết"]
    assert sum(c.max_points for c in data.columns) == 100
    assert data.headline.total == _stored_total(None, client_office.april)
    for scores in (data.departments, data.communes):
        totals = [s.total for s in scores]
        assert totals == sorted(totals, reverse=True)
        for s in scores:
            assert s.total == _stored_total(s.agency_id, client_office.april)
            assert sum(s.groups) == s.total
            assert s.band
    assert data.departments[0].rank == 1
    assert len(data.departments) == 3 and len(data.communes) == 2
    # Ranks restart for communes.
    assert data.communes[0].rank == 1


def test_delta_against_the_previous_month_and_trend(client_office):
    data = client_office.get(URL, {"ky": client_office.april.pk}).context["data"]
    assert data.previous == client_office.march
    assert data.headline.delta == _stored_total(None, client_office.april) - _stored_total(
        None, client_office.march
    )
    assert [p.label for p in data.trend] == ["Tháng 03/2025", "Tháng 04/2025"]
    assert data.trend[-1].total == data.headline.total
    march = client_office.get(URL, {"ky": client_office.march.pk}).context["data"]
    assert march.previous is None and march.headline.delta is None


def test_five_group_display_adds_the_split_online_groups(client_office):
    six = client_office.get(URL, {"ky": client_office.april.pk}).context["data"]
    five = client_office.get(URL, {"ky": client_office.april.pk, "nhom": "5"}).context["data"]
    assert len(six.columns) == 6 and len(five.columns) == 5
    assert [c.max_points for c in five.columns] == [18, 20, 22, 22, 18]
    assert five.headline.total == six.headline.total
    by_name = dict(zip([c.key for c in six.columns], six.headline.groups, strict=True))
    online = by_name["provide-online-tree"] + by_name["formality-online-payment-tree"]
    assert five.headline.groups[3] == online
    assert five.headline.groups[2] == by_name["dossier-digitized"]
    body = client_office.get(URL, {"ky": client_office.april.pk, "nhom": "5"}).content.decode()
    assert "Cung cấp dịch vụ trực tuyến" in body


def test_unit_page_lists_every_criterion_with_flags(client_office):
    department = client_office.tree.departments[0]
    response = client_office.get(
        reverse("indicators:unit", args=[department.pk]), {"ky": client_office.april.pk}
    )
    report = response.context["report"]
    codes = [r.code for r in report.rows]
    assert codes[:4] == ["1.1", "1.2", "1.3", "1.4"] and "5.4" in codes
    assert report.total == _stored_total(department.pk, client_office.april)
    unobservable = [r for r in report.rows if not r.observable]
    assert {r.code for r in unobservable} >= {"1.1", "3.1"}
    body = response.content.decode()
    assert body.count('data-testid="unobservable"') == len(unobservable)
    assert "Không tự quan sát được" in body
    province = client_office.get(reverse("indicators:province"), {"ky": client_office.april.pk})
    assert province.context["report"].total == _stored_total(None, client_office.april)
