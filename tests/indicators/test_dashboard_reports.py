"""The open month's predicted losses (at-risk dossiers, soonest deadline
first) and the periodic report form with its CSV and XLSX downloads."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dossiers.models import Status
from indicators.services.periodic_report import HEADERS
from indicators.services.periods import period_current
from tests.factories import PASSWORD, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.services import agency_groups_sync

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, commune):
    for agency in (commune.parent, commune):
        agency_groups_sync(agency)
    user = make_staff(Role.PROVINCIAL_STAFF, commune.parent)
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_predicted_page_lists_at_risk_dossiers_by_deadline(office, build, commune):
    now = timezone.now()
    period = period_current()
    end = timezone.make_aware(
        timezone.datetime.combine(period.end + timedelta(days=1), timezone.datetime.min.time())
    )
    soon, later = now + (end - now) / 4, now + (end - now) / 2
    second = build.dossier(channel=2, received_at=now - timedelta(hours=3), due_at=later,
                           status=Status.IN_PROCESSING)  # fmt: skip
    first = build.dossier(channel=1, received_at=now - timedelta(hours=2), due_at=soon,
                          status=Status.IN_PROCESSING)  # fmt: skip
    build.dossier(
        channel=1,
        received_at=now - timedelta(days=1),
        due_at=end + timedelta(days=9),
        status=Status.IN_PROCESSING,
    )  # fmt: skip  (due after the period: not at risk)
    response = office.get(reverse("indicators:predicted"))
    assert response.status_code == 200
    unit = next(u for u in response.context["units"] if u.agency_id == commune.pk)
    assert unit.at_risk_count == 2 and unit.points_at_stake > 0
    assert unit.current_score > unit.predicted_score
    listed = [d.pk for d in response.context["page"].object_list]
    assert listed == [first.pk, second.pk]
    only = office.get(reverse("indicators:predicted"), {"don_vi": commune.pk})
    assert only.context["selected"].agency_id == commune.pk
    assert "Hồ sơ có nguy cơ trễ hạn – UBND Xã A" in only.content.decode()


def test_periodic_report_page_and_downloads_agree(office, commune, worked_example):
    query = {"tu_ngay": "2025-03-15", "den_ngay": "2025-04-14", "theo": "agency"}
    response = office.get(reverse("indicators:periodic_report"), query)
    assert response.status_code == 200
    rows = response.context["rows"]
    row, total = rows[0], rows[-1]
    assert row.key == commune.pk and total.is_total
    assert (row.received_online, row.received_offline) == (6, 4)
    assert row.in_progress_overdue == 1 and row.in_progress_on_time == 1
    assert row.processed_late == 2
    values = [getattr(total, name) for name, _label in HEADERS]

    text = office.get(reverse("indicators:periodic_download", args=["csv"]), query)
    lines = list(csv.reader(io.StringIO(text.content.decode("utf-8").lstrip("\ufeff"))))
    assert [int(v) for v in lines[-1][3:-1]] == values
    assert lines[-1][-1] == f"{total.on_time_percent:.2f}"

    xlsx = office.get(reverse("indicators:periodic_download", args=["xlsx"]), query)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[2:-1] == values
    assert last[-1] == pytest.approx(float(total.on_time_percent))


def test_periodic_report_refuses_bad_dates_and_keeps_the_input(office):
    query = {"tu_ngay": "2025-04-14", "den_ngay": "2025-03-15", "theo": "field"}
    response = office.get(reverse("indicators:periodic_report"), query)
    assert response.status_code == 200 and response.context["rows"] is None
    body = response.content.decode()
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu" in body
    assert 'value="2025-04-14"' in body
    url = reverse("indicators:periodic_download", args=["csv"])
    assert office.get(url, query).status_code == 404
    default = office.get(reverse("indicators:periodic_report")).context["form"]
    start, end = default.cleaned_data["tu_ngay"], default.cleaned_data["den_ngay"]
    assert start.day == 15 and end.day == 14 and end < timezone.localdate()
