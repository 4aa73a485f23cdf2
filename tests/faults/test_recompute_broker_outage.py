"""A 766 recompute asked for while the broker is down: no error page, and the
run is sent (and done) once the broker is back."""

from __future__ import annotations

import pytest
from kombu.exceptions import OperationalError

from indicators.models import RecomputeRun, RunStatus
from indicators.services import periods as services
from indicators.tasks import recompute_period_task
from tests.factories import AgencyFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import AgencyKind

pytestmark = pytest.mark.django_db


def test_the_queued_run_survives_the_outage_and_runs_later(
    monkeypatch, django_capture_on_commit_callbacks
) -> None:
    province = AgencyFactory(name="UBND tỉnh Thử", kind=AgencyKind.PROVINCE)
    office = make_staff(Role.PROVINCIAL_STAFF, province)
    period = services.period_get_or_create("2025-04")

    def broker_down(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(recompute_period_task, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.period_recompute_async(actor=office, period=period)
    assert RecomputeRun.objects.get(pk=run.pk).status == RunStatus.QUEUED

    monkeypatch.undo()  # the broker is back (eager in tests: the task runs here)
    assert services.recompute_runs_requeue(older_than_seconds=0) == [run.pk]
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert services.recompute_runs_requeue(older_than_seconds=0) == []
