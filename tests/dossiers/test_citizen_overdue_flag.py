"""An overdue open dossier is flagged on the citizen's pages ("Quá hạn"), with
the apology's date and the new appointment when one was sent (issue #15 item 12);
the list reads it in the same query, whatever the number of rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dossiers.services.apology import apology_issue
from tests.dossiers.processing import at, in_processing

pytestmark = pytest.mark.django_db
CITIZEN = "001085012345"
ROW = re.compile(r'<tr data-dossier="(\d+)">(.*?)</tr>', re.S)


def _rows(client) -> dict[int, str]:
    response = client.get(reverse("dossiers:my_dossiers"))
    assert response.status_code == 200
    return {int(pk): html for pk, html in ROW.findall(response.content.decode())}


def test_overdue_dossiers_are_flagged_with_the_apology(client, users, workflow_procedure, clock):
    late = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    apologised = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 30)
    clock.set(2025, 3, 5, 9, 0)
    apology_issue(actor=users["lanhdao.tuphap"], dossier=apologised, reason="Chờ xác minh",
                  new_due_at=at(2025, 3, 14, 17, 0))  # fmt: skip
    clock.set(2025, 3, 11, 9, 0)  # both past their first appointment; no sweep has run
    on_time = in_processing(users, workflow_procedure, clock, 2025, 3, 11, 9, 0)
    client.force_login(users[CITIZEN])

    rows = _rows(client)
    assert 'data-badge="overdue"' in rows[late.pk] and "Quá hạn" in rows[late.pk]
    assert 'data-badge="apology"' not in rows[late.pk]
    assert 'data-badge="overdue"' in rows[apologised.pk]
    assert "Phiếu xin lỗi ngày 05/03/2025, hẹn trả mới 14/03/2025" in rows[apologised.pk]
    assert 'data-badge="overdue"' not in rows[on_time.pk]

    page = client.get(reverse("dossiers:detail", args=[apologised.pk])).content.decode()
    assert 'data-testid="late-notice"' in page and "Quá hạn" in page
    assert "phiếu xin lỗi ngày 05/03/2025" in page and "17:00 14/03/2025" in page
    page = client.get(reverse("dossiers:detail", args=[late.pk])).content.decode()
    assert "Quá hạn" in page and "chưa gửi phiếu xin lỗi" in page
    page = client.get(reverse("dossiers:detail", args=[on_time.pk])).content.decode()
    assert 'data-testid="late-notice"' not in page


def test_a_closed_dossier_is_not_flagged(client, users, workflow_procedure, clock):
    from dossiers.services.closing import dossier_withdraw

    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 11, 9, 0)
    dossier_withdraw(actor=users[CITIZEN], dossier=dossier, reason="Không cần nữa")
    client.force_login(users[CITIZEN])
    assert 'data-badge="overdue"' not in _rows(client)[dossier.pk]


def test_the_flags_cost_no_query_per_row(client, users, workflow_procedure, clock):
    in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    clock.set(2025, 3, 11, 9, 0)
    client.force_login(users[CITIZEN])
    _rows(client)  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert len(_rows(client)) == 1
    for hour in (10, 11, 13):
        in_processing(users, workflow_procedure, clock, 2025, 3, 3, hour, 0)
    clock.set(2025, 3, 11, 9, 0)
    with CaptureQueriesContext(connection) as four:
        listed = _rows(client)
    assert len(listed) == 4 and all('data-badge="overdue"' in html for html in listed.values())
    assert len(four) == len(one)
