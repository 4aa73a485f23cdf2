"""The managers' statistics page (table, chart data) and its CSV/XLSX export,
scoped to the counters of the user's agencies."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from queueing.services.tickets import ticket_call_next, ticket_issue
from tests.factories import AgencyFactory, UserFactory, make_staff
from tests.queueing.helpers import at, make_centre
from tthc_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


DAY = {"date_from": "2026-12-07", "date_to": "2026-12-07"}


def _served(centre):
    ticket_issue(service_group=centre.group_a, at=at(8))
    ticket_call_next(actor=centre.officers[0], counter=centre.counters[1], at=at(8, 30))


def test_page_and_exports(client):
    centre = make_centre()
    _served(centre)
    head = make_staff(Role.DEPARTMENT_HEAD, centre.agency)
    client.force_login(head)
    page = client.get(reverse("queueing:statistics"), DAY)
    body = page.content.decode()
    assert page.status_code == 200 and "queue-chart-data" in body and "30.0" in body
    export = reverse("queueing:statistics_export")
    csv = client.get(export, {**DAY, "dinh_dang": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "A – Tư pháp – hộ tịch" in csv.content.decode("utf-8-sig")
    xlsx = client.get(export, {**DAY, "dinh_dang": "xlsx"})
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=8).value == 30.0  # mean wait in minutes


def test_other_agencies_see_nothing_and_citizens_are_refused(client):
    centre = make_centre()
    _served(centre)
    client.force_login(make_staff(Role.DEPARTMENT_HEAD, AgencyFactory()))
    body = client.get(reverse("queueing:statistics"), DAY).content.decode()
    assert "Không có số liệu" in body
    client.force_login(UserFactory())
    assert client.get(reverse("queueing:statistics")).status_code == 403
