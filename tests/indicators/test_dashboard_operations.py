"""Recompute on demand with progress (htmx polls the run), and publishing a
month: only by who holds publish_indicators on the province, only once the
month has ended, with a confirmation; a published month is frozen."""

from __future__ import annotations

import pytest
from django.urls import reverse

from indicators.models import PeriodStatus, RecomputeRun, RunStatus
from indicators.services.periods import period_current, period_get_or_create, period_recompute
from tests.factories import PASSWORD, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.services import agency_groups_sync

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def office(client, commune, worked_example):
    province = commune.parent
    for agency in (province, commune):
        agency_groups_sync(agency)
    client.period = period_get_or_create("2025-04", reporting_15th=True)
    period_recompute(actor=None, period=client.period)
    client.user = make_staff(Role.PROVINCIAL_STAFF, province)
    client.commune = commune
    assert client.login(username=client.user.username, password=PASSWORD)
    return client


def test_recompute_shows_progress_until_done(office, django_capture_on_commit_callbacks):
    period = office.period
    url = reverse("indicators:recompute", args=[period.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, **HTMX)
    assert response.status_code == 200
    run = RecomputeRun.objects.filter(period=period, requested_by=office.user).get()
    # The fragment was rendered while the run was queued: it polls itself.
    assert 'hx-trigger="every 1s"' in response.content.decode()
    assert reverse("indicators:run_status", args=[run.pk]) in response.content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.progress == 100
    done = office.get(reverse("indicators:run_status", args=[run.pk]), **HTMX)
    assert "Đã tính xong" in done.content.decode() and "hx-trigger" not in done.content.decode()
    assert "HX-Request" in done["Vary"]
    # Without JavaScript: back to the dashboard, which shows the same box.
    plain = office.get(reverse("indicators:run_status", args=[run.pk]))
    assert plain.status_code == 302 and f"luot={run.pk}" in plain["Location"]
    page = office.get(plain["Location"])
    assert 'data-testid="recompute-done"' in page.content.decode()


def test_publish_needs_confirmation_then_freezes(office, django_capture_on_commit_callbacks):
    period = office.period
    url = reverse("indicators:publish", args=[period.pk])
    response = office.post(url, follow=True)
    assert "Vui lòng đánh dấu xác nhận" in response.content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN

    # The publication runs in the worker once the request commits (eager here).
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(url, {"xac_nhan": "1"})
    body = office.get(response["Location"]).content.decode()
    assert "Đã công bố kết quả Tháng 04/2025" in body
    assert "Đã công bố – số liệu đã chốt" in body and 'data-testid="recompute"' not in body
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED and period.published_by == office.user

    again = office.post(reverse("indicators:recompute", args=[period.pk]), follow=True)
    assert "đã được công bố" in again.content.decode()
    assert not period.runs.filter(status=RunStatus.QUEUED).exists()


def test_an_open_month_cannot_be_published(office):
    current = period_current()
    period_recompute(actor=None, period=current)
    response = office.post(
        reverse("indicators:publish", args=[current.pk]), {"xac_nhan": "1"}, follow=True
    )
    assert "chưa kết thúc" in response.content.decode()
    current.refresh_from_db()
    assert current.status == PeriodStatus.OPEN
    page = office.get(reverse("indicators:dashboard"), {"ky": current.pk})
    assert "Kỳ chưa kết thúc" in page.content.decode()


def test_a_department_head_can_neither_publish_nor_recompute_the_province(client, office):
    head = make_staff(Role.DEPARTMENT_HEAD, office.commune)
    client.logout()
    assert client.login(username=head.username, password=PASSWORD)
    period = office.period
    page = client.get(reverse("indicators:dashboard"), {"ky": period.pk}).content.decode()
    assert 'data-testid="publish-form"' not in page and 'data-testid="recompute"' not in page
    publish = client.post(reverse("indicators:publish", args=[period.pk]), {"xac_nhan": "1"})
    assert publish.status_code == 403
    assert client.post(reverse("indicators:recompute", args=[period.pk])).status_code == 403
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
