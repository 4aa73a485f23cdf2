"""Who sees what on the 766 dashboard: the provincial office sees the province
and every unit; a department head only their own agency; others nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.models import ReportPeriod
from tests.factories import PASSWORD, UserFactory
from tests.indicators.dashboard_data import MONTHS, build_tree, store_results

pytestmark = pytest.mark.django_db
URL = reverse("indicators:dashboard")


@pytest.fixture
def tree():
    tree = build_tree(departments=2, communes=2)
    for start, end in MONTHS:
        store_results(tree, start, end)
    return tree


def _login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def test_provincial_office_sees_the_province_and_every_unit(client, tree):
    _login(client, tree.staff["office"])
    response = client.get(URL, {"ky": ReportPeriod.objects.get(start=MONTHS[1][0]).pk})
    assert response.status_code == 200
    data = response.context["data"]
    assert data.headline.is_province
    assert {s.agency_id for s in data.departments} == {a.pk for a in tree.departments}
    assert {s.agency_id for s in data.communes} == {a.pk for a in tree.communes}
    assert not data.others
    # The latest closed month is the default period.
    assert client.get(URL).context["data"].period.start == MONTHS[1][0]


def test_department_head_sees_only_their_agency(client, tree):
    _login(client, tree.staff["head"])
    data = client.get(URL).context["data"]
    own = tree.departments[0]
    assert data.headline.agency_id == own.pk and not data.headline.is_province
    assert [s.agency_id for s in data.departments] == [own.pk]
    assert data.communes == []
    other = tree.departments[1]
    assert client.get(reverse("indicators:unit", args=[other.pk])).status_code == 404
    assert client.get(reverse("indicators:province")).status_code == 404
    assert client.get(reverse("indicators:unit", args=[own.pk])).status_code == 200
    body = client.get(reverse("indicators:dashboard_download", args=["csv"])).content.decode()
    assert own.name in body and other.name not in body and "Toàn tỉnh" not in body


def test_citizens_and_anonymous_users_are_refused(client, tree):
    response = client.get(URL)
    assert response.status_code == 302 and "dang-nhap" in response["Location"]
    _login(client, UserFactory())
    assert client.get(URL).status_code == 403
    assert client.get(reverse("indicators:unit", args=[tree.departments[0].pk])).status_code == 403


def test_a_period_without_results_says_so(client, tree):
    _login(client, tree.staff["office"])
    latest = ReportPeriod.objects.get(start=MONTHS[1][0])
    for key in ("999999", "rubbish"):
        response = client.get(URL, {"ky": key})
        assert response.status_code == 200 and response.context["missing"]
        assert response.context["data"].period == latest
        assert "Kỳ đã chọn chưa có số liệu" in response.content.decode()
