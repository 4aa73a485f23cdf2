"""The dashboard and the criterion table run a fixed number of queries,
whatever the number of departments and communes (sums in SQL, no per-unit
query)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD
from tests.indicators.dashboard_data import (
    FEBRUARY,
    MONTHS,
    add_units,
    build_tree,
    store_results,
)

pytestmark = pytest.mark.django_db


def _count(client, url: str, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, {"ky": period.pk})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_dashboard_and_unit_page_do_not_grow_with_units(client):
    tree = build_tree(departments=1, communes=1)
    store_results(tree, *FEBRUARY)
    march = store_results(tree, *MONTHS[0])
    assert client.login(username=tree.staff["office"].username, password=PASSWORD)
    dashboard = reverse("indicators:dashboard")
    unit = reverse("indicators:unit", args=[tree.departments[0].pk])
    # Warm the process-wide content-type cache, which a test run alone starts empty.
    client.get(dashboard, {"ky": march.pk})
    few = {
        "dashboard": _count(client, dashboard, march),
        "unit": _count(client, unit, march),
        "xlsx": _count(client, reverse("indicators:dashboard_download", args=["xlsx"]), march),
    }
    # Session, user, scope (guardian), periods, scheme, sums, trend, run, navigation.
    assert few["dashboard"] <= 22

    add_units(tree, departments=12, communes=15)
    april = store_results(tree, *MONTHS[1])
    many = {
        "dashboard": _count(client, dashboard, april),
        "unit": _count(client, unit, april),
        "xlsx": _count(client, reverse("indicators:dashboard_download", args=["xlsx"]), april),
    }
    assert many == few
    data = client.get(dashboard, {"ky": april.pk}).context["data"]
    assert len(data.departments) == 13 and len(data.communes) == 16
