"""Publication dates are checked (issue 14, item 7): a ministry decision dated in the
future, a chairman's decision before the ministry's or in the future, and an
effective date before the signature were all accepted and counted on time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from procedures.models import ChangeType, MinistryDecision, PublicationTask, TaskStatus
from procedures.services import ProcedureError
from procedures.services.publication import (
    ItemInput,
    ministry_decision_record,
    task_chairman_decision_record,
    task_refresh_status,
)
from tests.procedures.test_publication_flow import HEALTH, record, user
from tests.procedures.test_publication_flow import province as province

pytestmark = pytest.mark.django_db


def test_a_ministry_decision_cannot_be_dated_in_the_future(province) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ProcedureError, match="không được sau ngày hôm nay"):
        ministry_decision_record(
            actor=user("vanphong"),
            number="1/QĐ-BYT",
            decision_date=tomorrow,
            issuing_body="Bộ Y tế",
            legal_basis_effective_date=None,
            summary="",
            items=[
                ItemInput(
                    change_type=ChangeType.ABOLISHED,
                    responsible_agency=province[HEALTH],
                    procedure_code="1.001806",
                )
            ],
        )
    assert not MinistryDecision.objects.exists()


@pytest.fixture
def approved(province) -> PublicationTask:
    """Ministry decision of 19/11/2025, task approved (an abolition needs no draft)."""
    task = task_refresh_status(record(province, change_type=ChangeType.ABOLISHED).tasks.get())
    assert task.status == TaskStatus.APPROVED
    return task


def decide(task, decision_date, effective_date, today=date(2025, 12, 1)):
    return task_chairman_decision_record(
        actor=user("vanphong"),
        task=task,
        number="9/QĐ-UBND",
        decision_date=decision_date,
        effective_date=effective_date,
        today=today,
    )


@pytest.mark.parametrize(
    ("decision_date", "effective_date", "message"),
    [
        (date(2025, 11, 18), date(2025, 12, 10), "không được trước ngày quyết định của Bộ"),
        (date(2025, 12, 2), date(2025, 12, 10), "không được sau ngày hôm nay"),
        (date(2025, 11, 28), date(2025, 11, 27), "không được trước ngày ký quyết định"),
    ],
)
def test_chairman_decision_dates_are_checked(approved, decision_date, effective_date, message):
    with pytest.raises(ProcedureError, match=message):
        decide(approved, decision_date, effective_date)
    approved.refresh_from_db()
    assert approved.status == TaskStatus.APPROVED and approved.chairman_decision_date is None


def test_a_decision_on_the_ministry_date_is_accepted(approved) -> None:
    task = decide(approved, date(2025, 11, 19), date(2025, 12, 10))
    assert task.status == TaskStatus.PUBLISHED
