"""A department head sees the unit's true place in the full ranking (issue 14, item 3).

Before: the ranking was computed among the units the user may see, so every head
read "Hạng 1", and an empty commune ranking said no commune had data."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.urls import reverse

from indicators.models import IndicatorResult
from tests.factories import PASSWORD, make_staff
from tests.indicators.dashboard_data import MONTHS, build_tree, store_results
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db
URL = reverse("indicators:dashboard")


@pytest.fixture
def setup():
    tree = build_tree(departments=4, communes=3)
    period = store_results(tree, *MONTHS[1])
    totals = dict(
        IndicatorResult.objects.filter(
            period=period, agency_id__in=[d.pk for d in tree.departments]
        )
        .values_list("agency_id")
        .annotate(total=Sum("score"))
    )
    order = sorted(tree.departments, key=lambda d: -totals[d.pk])
    assert len({totals[d.pk] for d in order}) == 4, "the data set must not tie"
    return tree, period, order


def test_head_of_the_third_unit_sees_rank_three_of_four(client, setup) -> None:
    _tree, period, order = setup
    head = make_staff(Role.DEPARTMENT_HEAD, order[2])
    assert client.login(username=head.username, password=PASSWORD)
    response = client.get(URL, {"ky": period.pk})
    data = response.context["data"]
    [own] = data.departments
    assert own.agency_id == order[2].pk
    assert (own.rank, own.of) == (3, 4)
    body = response.content.decode()
    assert "3/4" in body and "hạng 3 trên 4 đơn vị" in body
    # A department head has no commune to rank: no empty "no data" section.
    assert "ranking-communes" not in body
    assert "Không có đơn vị nào có số liệu" not in body


def test_provincial_office_ranks_are_unchanged(client, setup) -> None:
    tree, period, order = setup
    assert client.login(username=tree.staff["office"].username, password=PASSWORD)
    data = client.get(URL, {"ky": period.pk}).context["data"]
    assert [s.agency_id for s in data.departments] == [d.pk for d in order]
    assert [(s.rank, s.of) for s in data.departments] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert [s.of for s in data.communes] == [3, 3, 3]
