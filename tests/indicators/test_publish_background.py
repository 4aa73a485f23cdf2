"""Issue #14: publishing a month runs in the background with progress. The
"Công bố" POST answers at once with a queued run of kind "publish"; the
worker recomputes, freezes the failing items and marks the period published
in one final transaction; a failure leaves the period open with no frozen
items; two clicks make one run."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from indicators.models import (
    FrozenCase,
    IndicatorResult,
    PeriodStatus,
    RecomputeRun,
    ReportPeriod,
    RunKind,
    RunStatus,
)
from indicators.services import IndicatorError, frozen
from indicators.services import periods as services
from indicators.services.publication import period_publish_async
from tests.factories import PASSWORD, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.services import agency_groups_sync
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
FROZEN_FIELDS = (
    "agency_id",
    "criterion_code",
    "kind",
    "object_id",
    "reason",
    "due_at",
    "deadline_at",
    "end_at",
)


@pytest.fixture
def office(client, commune, worked_example):
    province = commune.parent
    for agency in (province, commune):
        agency_groups_sync(agency)
    client.period = services.period_get_or_create("2025-04", reporting_15th=True)
    services.period_recompute(actor=None, period=client.period)
    client.user = make_staff(Role.PROVINCIAL_STAFF, province)
    assert client.login(username=client.user.username, password=PASSWORD)
    return client


def _frozen(period: ReportPeriod) -> list[tuple]:
    return sorted(
        FrozenCase.objects.filter(period=period).values_list(*FROZEN_FIELDS),
        key=repr,
    )


def _inline_freeze(period: ReportPeriod) -> list[tuple]:
    """The items the former in-request publication froze (compute with the
    collector, then ``cases_freeze``), read inside a rolled-back savepoint."""
    with transaction.atomic():
        collector = frozen.DossierCollector(period)
        services.period_compute(period, None, on_rows=collector)
        frozen.cases_freeze(period, collector)
        items = _frozen(period)
        transaction.set_rollback(True)
    return items


def _publish(office, django_capture_on_commit_callbacks, *, execute: bool):
    url = reverse("indicators:publish", args=[office.period.pk])
    with django_capture_on_commit_callbacks(execute=execute) as callbacks:
        response = office.post(url, {"xac_nhan": "1"})
    return response, callbacks


def test_the_page_answers_at_once_with_a_queued_publication(
    office, django_capture_on_commit_callbacks
):
    response, callbacks = _publish(office, django_capture_on_commit_callbacks, execute=False)
    run = RecomputeRun.objects.get(period=office.period, kind=RunKind.PUBLISH)
    assert run.status == RunStatus.QUEUED and run.requested_by == office.user
    assert len(callbacks) == 1  # the worker is sent the run once the request commits
    assert response.status_code == 302 and f"luot={run.pk}" in response["Location"]
    office.period.refresh_from_db()
    assert office.period.status == PeriodStatus.OPEN
    assert not FrozenCase.objects.filter(period=office.period).exists()

    page = office.get(response["Location"]).content.decode()
    assert 'data-testid="publish-progress"' in page and 'role="status"' in page
    assert reverse("indicators:run_status", args=[run.pk]) in page  # htmx polls it
    assert "Tải lại trang để cập nhật tiến độ" in page  # without JavaScript
    assert 'data-testid="publish-form"' not in page  # no second click offered
    fragment = office.get(reverse("indicators:run_status", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.content.decode()


def test_two_clicks_make_one_run(office, django_capture_on_commit_callbacks):
    first, _callbacks = _publish(office, django_capture_on_commit_callbacks, execute=False)
    second, callbacks = _publish(office, django_capture_on_commit_callbacks, execute=False)
    run = RecomputeRun.objects.get(period=office.period, kind=RunKind.PUBLISH)
    assert first["Location"] == second["Location"] and f"luot={run.pk}" in second["Location"]
    assert callbacks == []  # nothing sent again
    with pytest.raises(IndicatorError, match="đang được công bố"):
        services.period_recompute_async(actor=office.user, period=office.period)
    with pytest.raises(IndicatorError, match="đang được công bố"):
        services.period_publish(actor=office.user, period=office.period)
    assert RecomputeRun.objects.filter(period=office.period, status=RunStatus.QUEUED).count() == 1


def test_the_run_publishes_and_freezes_what_the_inline_publication_froze(
    office, django_capture_on_commit_callbacks
):
    period = office.period
    expected = _inline_freeze(period)
    assert expected and not FrozenCase.objects.filter(period=period).exists()
    response, _callbacks = _publish(office, django_capture_on_commit_callbacks, execute=True)
    run = RecomputeRun.objects.get(period=period, kind=RunKind.PUBLISH)
    assert (run.status, run.progress) == (RunStatus.DONE, 100)
    assert run.results_count == IndicatorResult.objects.filter(period=period).count() > 0
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED and period.published_by == office.user
    assert period.cases_frozen_at == period.published_at
    assert _frozen(period) == expected
    assert AuditEvent.objects.filter(action="indicator_period.publish").count() == 1

    page = office.get(response["Location"]).content.decode()
    assert "Đã công bố – số liệu đã chốt" in page
    assert 'data-testid="publish-done"' in page and "Đã công bố kết quả Tháng 04/2025" in page


def test_a_failure_mid_way_leaves_the_period_open_without_frozen_items(
    office, django_capture_on_commit_callbacks, monkeypatch
):
    period = office.period
    before = list(IndicatorResult.objects.filter(period=period).values_list("pk", "computed_at"))
    store = frozen.cases_store

    def store_then_fail(period, rows):
        store(period, rows)  # every frozen row is written…
        assert FrozenCase.objects.filter(period=period).exists()
        raise RuntimeError("database went away")  # …then the worker dies

    monkeypatch.setattr(frozen, "cases_store", store_then_fail)
    _publish(office, django_capture_on_commit_callbacks, execute=False)
    run = RecomputeRun.objects.get(period=period, kind=RunKind.PUBLISH)
    with pytest.raises(RuntimeError):
        services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "kỳ vẫn chưa được công bố" in run.message
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN and period.published_at is None
    assert not FrozenCase.objects.filter(period=period).exists()
    assert (
        list(IndicatorResult.objects.filter(period=period).values_list("pk", "computed_at"))
        == before
    )
    assert not AuditEvent.objects.filter(action="indicator_period.publish").exists()
    page = office.get(reverse("indicators:dashboard"), {"ky": period.pk, "luot": run.pk})
    assert 'data-testid="publish-failed"' in page.content.decode()
    assert 'data-testid="publish-form"' in page.content.decode()

    # Publishing again, once the fault is gone, works.
    monkeypatch.setattr(frozen, "cases_store", store)
    _publish(office, django_capture_on_commit_callbacks, execute=True)
    period.refresh_from_db()
    assert period.status == PeriodStatus.PUBLISHED
    assert FrozenCase.objects.filter(period=period).exists()


def test_a_period_published_meanwhile_fails_the_run_and_keeps_its_items(
    office, django_capture_on_commit_callbacks, monkeypatch
):
    """The final transaction re-checks the period under its lock."""
    period = office.period
    collect = frozen.cases_collect

    def collect_while_someone_publishes(period, collector):
        rows = collect(period, collector)
        ReportPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
        return rows

    monkeypatch.setattr(frozen, "cases_collect", collect_while_someone_publishes)
    _publish(office, django_capture_on_commit_callbacks, execute=True)
    run = RecomputeRun.objects.get(period=period, kind=RunKind.PUBLISH)
    assert run.status == RunStatus.FAILED and "đã được công bố" in run.message
    assert not FrozenCase.objects.filter(period=period).exists()


def test_the_queued_publication_is_refused_for_an_open_month(office):
    current = services.period_current()
    with pytest.raises(IndicatorError, match="chưa kết thúc"):
        period_publish_async(actor=office.user, period=current)
    assert not RecomputeRun.objects.filter(period=current, kind=RunKind.PUBLISH).exists()
