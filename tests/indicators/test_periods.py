"""Report periods: labels, computing (now and queued), publishing and freezing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from dossiers.models import Dossier
from indicators.models import IndicatorResult, RecomputeRun, ReportPeriod, RunStatus
from indicators.periods import parse_label
from indicators.services import IndicatorError
from indicators.services import periods as services
from indicators.tasks import compute_current_period_task
from tests.factories import make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def office(commune):
    return make_staff(Role.PROVINCIAL_STAFF, commune.parent)


@pytest.fixture
def head(commune, office):
    # After the office: granting a unit first would create the province's office group
    # with rights on that unit only (agency_groups_sync runs once per group).
    return make_staff(Role.DEPARTMENT_HEAD, commune)


def test_labels_and_boundaries():
    assert parse_label("2025-05") == ("2025-05", "month", D(2025, 5, 1), D(2025, 5, 31))
    assert parse_label("2025-q2") == ("2025-Q2", "quarter", D(2025, 4, 1), D(2025, 6, 30))
    assert parse_label("2024") == ("2024", "year", D(2024, 1, 1), D(2024, 12, 31))
    # The 15th–14th variant is named after the month (quarter, year) it ends in.
    assert parse_label("2025-04", reporting_15th=True)[2:] == (D(2025, 3, 15), D(2025, 4, 14))
    assert parse_label("2025-Q1", reporting_15th=True)[2:] == (D(2024, 12, 15), D(2025, 3, 14))
    assert parse_label("2025", reporting_15th=True)[2:] == (D(2024, 12, 15), D(2025, 12, 14))
    for bad in ("2025-13", "2025-Q5", "05/2025", "", "2025-5"):
        with pytest.raises(ValueError):
            parse_label(bad)


def test_get_or_create_is_idempotent_and_explains_bad_labels(db):
    period = services.period_get_or_create("2025-05")
    assert services.period_get_or_create("2025-05") == period
    assert (period.kind, period.start, period.end, period.status) == (
        "month",
        D(2025, 5, 1),
        D(2025, 5, 31),
        "open",
    )
    assert period.title == "Tháng 05/2025"
    variant = services.period_get_or_create("2025-Q2", reporting_15th=True)
    assert variant.title == "Quý II/2025 (15/03/2025–14/06/2025)"
    with pytest.raises(IndicatorError, match="không hợp lệ"):
        services.period_get_or_create("2025-13")


def test_recompute_stores_the_period_and_is_audited(commune, worked_example, office):
    period = services.period_get_or_create("2025-04", reporting_15th=True)
    run = services.period_recompute(actor=office, period=period)
    assert (run.status, run.progress, run.agency) == (RunStatus.DONE, 100, None)
    rows = IndicatorResult.objects.filter(period=period)
    assert run.results_count == rows.count() > 0
    # Every active unit and the province, every criterion of the scheme.
    assert set(rows.values_list("agency_id", flat=True)) == {None, commune.pk, commune.parent_id}
    assert rows.get(agency=commune, criterion_code="2.1").numerator == 7
    assert {r.period_start for r in rows} == {D(2025, 3, 15)}
    period.refresh_from_db()
    assert period.computed_at is not None
    event = AuditEvent.objects.get(action="indicator_period.recompute")
    assert event.actor == office and event.target_id == str(period.pk)


def test_one_unit_recompute_leaves_other_rows(commune, worked_example, office, head):
    period = services.period_get_or_create("2025-04", reporting_15th=True)
    services.period_recompute(actor=office, period=period)
    province_rows = list(IndicatorResult.objects.filter(period=period, agency__isnull=True))
    services.period_recompute(actor=head, period=period, agency=commune)
    assert list(IndicatorResult.objects.filter(period=period, agency__isnull=True)) == province_rows
    # A department head may not recompute the whole province.
    with pytest.raises(PermissionDenied):
        services.period_recompute(actor=head, period=period)


def test_publish_needs_the_province_permission(commune, office, head):
    period = services.period_get_or_create("2025-04")
    for actor in (head, None):
        with pytest.raises(PermissionDenied):
            services.period_publish(actor=actor, period=period)
    assert not ReportPeriod.objects.get(pk=period.pk).is_published


def test_publish_computes_first_then_freezes(commune, worked_example, office):
    period = services.period_get_or_create("2025-04", reporting_15th=True)
    assert period.computed_at is None
    published = services.period_publish(actor=office, period=period)
    assert published.is_published and published.published_by == office
    frozen = {
        (r.agency_id, r.criterion_code): r.score
        for r in IndicatorResult.objects.filter(period=period)
    }
    assert frozen[(None, "2.1")] == Decimal("14.00")
    # A late correction: D3's appointment was entered wrong. The published figures stay.
    later = worked_example["D3"].due_at + datetime.timedelta(days=10)
    Dossier.objects.filter(pk=worked_example["D3"].pk).update(due_at=later, original_due_at=later)
    with pytest.raises(IndicatorError, match="đã được công bố"):
        services.period_recompute(actor=office, period=period)
    with pytest.raises(IndicatorError, match="đã được công bố"):
        services.period_recompute(actor=None, period=period, agency=commune)
    with pytest.raises(IndicatorError, match="đã được công bố"):
        services.period_recompute_async(actor=office, period=period)
    with pytest.raises(IndicatorError, match="đã được công bố"):
        services.period_publish(actor=office, period=period)
    assert frozen == {
        (r.agency_id, r.criterion_code): r.score
        for r in IndicatorResult.objects.filter(period=period)
    }
    assert AuditEvent.objects.filter(action="indicator_period.publish").count() == 1
    # The correction shows as a delta against the frozen figures.
    from indicators.services.results import period_deltas

    changed = {(d.agency_id, d.code) for d in period_deltas(period)}
    assert (commune.pk, "2.1") in changed


def test_a_period_that_has_not_ended_cannot_be_published(commune, office):
    period = services.period_current()
    with pytest.raises(IndicatorError, match="chưa kết thúc"):
        services.period_publish(actor=office, period=period)


def test_queued_recompute_runs_in_the_background_with_progress(
    commune, worked_example, office, django_capture_on_commit_callbacks, monkeypatch
):
    period = services.period_get_or_create("2025-04", reporting_15th=True)
    seen: list[tuple[int, str]] = []
    original = services.period_compute

    def spy(period, agency=None, progress=None):
        def record(percent, message):
            progress(percent, message)
            run = RecomputeRun.objects.get(period=period, status=RunStatus.RUNNING)
            seen.append((run.progress, run.message))

        return original(period, agency, record)

    monkeypatch.setattr(services, "period_compute", spy)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.period_recompute_async(actor=office, period=period)
        assert run.status == RunStatus.QUEUED
        # Asking again while it waits returns the same run.
        assert services.period_recompute_async(actor=office, period=period) == run
    run.refresh_from_db()
    assert (run.status, run.progress) == (RunStatus.DONE, 100)
    assert run.results_count == IndicatorResult.objects.filter(period=period).count() > 0
    percents = [p for p, _m in seen]
    assert percents == sorted(percents) and 0 < percents[0] < percents[-1] < 100
    assert all(message for _p, message in seen)


def test_a_run_for_a_period_published_meanwhile_fails_readably(commune, worked_example, office):
    period = services.period_get_or_create("2025-04", reporting_15th=True)
    run = services.period_recompute_async(actor=office, period=period)  # not executed yet
    ReportPeriod.objects.filter(pk=period.pk).update(status="published")
    services.run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "đã được công bố" in run.message
    assert not IndicatorResult.objects.filter(period=period).exists()


def test_nightly_job_skips_published_periods(commune, office):
    current = services.period_current()
    previous = services.period_previous(current)
    services.period_publish(actor=office, period=previous)
    frozen = list(IndicatorResult.objects.filter(period=previous).values_list("pk", "computed_at"))
    stored = compute_current_period_task()
    assert stored == IndicatorResult.objects.filter(period=current).count() > 0
    assert (
        list(IndicatorResult.objects.filter(period=previous).values_list("pk", "computed_at"))
        == frozen
    )
