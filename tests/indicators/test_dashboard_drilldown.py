"""From a criterion that lost points to the dossiers behind it: the worked
example's late dossiers (indicators-766.md §10) listed with their reasons,
paginated, permission-scoped, in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.models import Status
from indicators.services.periods import period_get_or_create, period_recompute
from tests.factories import PASSWORD, AgencyFactory, make_staff
from tests.indicators.conftest import at
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import AgencyKind
from tthc_portal.agencies.services import agency_groups_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def computed(client, commune, worked_example):
    province = commune.parent
    other = AgencyFactory(name="UBND Xã B", kind=AgencyKind.COMMUNE, parent=province)
    for agency in (province, commune, other):
        agency_groups_sync(agency)
    period = period_get_or_create("2025-04", reporting_15th=True)
    period_recompute(actor=None, period=period)
    office = make_staff(Role.PROVINCIAL_STAFF, province)
    assert client.login(username=office.username, password=PASSWORD)
    return {"period": period, "commune": commune, "other": other, "dossiers": worked_example}


def _cases_url(agency, code="2.1"):
    return reverse("indicators:unit_cases", args=[agency.pk, code])


def test_late_dossiers_behind_criterion_2_1(client, computed):
    period, commune, d = computed["period"], computed["commune"], computed["dossiers"]
    unit = client.get(reverse("indicators:unit", args=[commune.pk]), {"ky": period.pk})
    row = next(r for r in unit.context["report"].rows if r.code == "2.1")
    assert (row.numerator, row.denominator) == (7, 10)
    assert 'data-testid="drill-2.1"' in unit.content.decode()

    response = client.get(_cases_url(commune), {"ky": period.pk})
    assert response.status_code == 200
    listed = {item.pk: item.reason for item in response.context["items"]}
    # D3 finished late, D4 had two supplement requests, D10 is open and overdue at the end.
    assert set(listed) == {d["D3"].pk, d["D4"].pk, d["D10"].pk}
    assert listed[d["D4"].pk] == "Yêu cầu bổ sung hồ sơ nhiều hơn một lần"
    assert response.context["found"].kind == "dossier"
    body = response.content.decode()
    assert "Kết thúc xử lý sau ngày hẹn trả" in body and "Chưa kết thúc" in body
    # Each code links to the staff dossier page.
    assert f'href="{reverse("processing:dossier", args=[d["D3"].pk])}"' in body
    # The province pools the same dossiers.
    province = client.get(reverse("indicators:province_cases", args=["2.1"]), {"ky": period.pk})
    assert {item.pk for item in province.context["items"]} == set(listed)


def test_other_criteria_and_listless_ones(client, computed):
    period, commune, d = computed["period"], computed["commune"], computed["dossiers"]
    response = client.get(_cases_url(commune, "5.4"), {"ky": period.pk})
    # 5.4: late or disliked; D3 is both and is listed once.
    listed = {item.pk for item in response.context["items"]}
    assert listed == {d["D3"].pk, d["D4"].pk, d["D10"].pk}
    listless = client.get(_cases_url(commune, "2.2"), {"ky": period.pk})
    assert listless.context["found"].kind == "none"
    assert "không có danh sách" in listless.content.decode()
    assert client.get(_cases_url(commune, "9.9"), {"ky": period.pk}).status_code == 404


def test_out_of_scope_units_are_not_found(client, computed):
    period, commune, other = computed["period"], computed["commune"], computed["other"]
    head = make_staff(Role.DEPARTMENT_HEAD, other)
    client.logout()
    assert client.login(username=head.username, password=PASSWORD)
    assert client.get(_cases_url(commune), {"ky": period.pk}).status_code == 404
    url = reverse("indicators:province_cases", args=["2.1"])
    assert client.get(url, {"ky": period.pk}).status_code == 404
    assert client.get(_cases_url(other), {"ky": period.pk}).status_code == 200


def test_pages_of_25_in_a_fixed_number_of_queries(client, computed, build):
    period, commune = computed["period"], computed["commune"]

    def late(count):
        for i in range(count):
            build.dossier(
                channel=1,
                received_at=at(3, 17) + timedelta(minutes=i),
                due_at=at(3, 20),
                completed_at=at(3, 25),
                status=Status.RETURNED,
            )
        period_recompute(actor=None, period=period)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(_cases_url(commune), {"ky": period.pk})
        assert response.status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    late(40)
    many = queries()
    assert many == few
    response = client.get(_cases_url(commune), {"ky": period.pk})
    assert response.context["page"].paginator.count == 43
    assert len(response.context["items"]) == 25
    second = client.get(_cases_url(commune), {"ky": period.pk, "trang": 2})
    assert len(second.context["items"]) == 18
