"""The beat sweep: due soon and overdue, notified once per level (idempotent)."""

from __future__ import annotations

import pytest

from feedback.models import AlertLevel, Category
from feedback.services import pakn
from feedback.services.sweep import feedback_sweep
from feedback.tasks import feedback_sweep_task
from tests.feedback.conftest import JUSTICE, at, submit_pakn
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def alerts(item) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(topic=f"feedback.feedback:{item.pk}", channel="email")
        .exclude(subject__startswith="Đã nhận")
        .exclude(subject__contains="được chuyển đến")
        .values_list("subject", flat=True)
    )


def test_running_twice_notifies_once_per_level(tinh, users):
    item = submit_pakn(at(2025, 3, 3, 9))  # unclassified: refusal due Wed 05/03 09:00
    assert feedback_sweep(now=at(2025, 3, 3, 15)) == {"due_soon": 0, "overdue": 0}

    assert feedback_sweep(now=at(2025, 3, 4, 10)) == {"due_soon": 1, "overdue": 0}
    assert feedback_sweep(now=at(2025, 3, 4, 11)) == {"due_soon": 0, "overdue": 0}
    item.refresh_from_db()
    assert item.alert_level == AlertLevel.DUE_SOON
    assert alerts(item) == [f"Sắp đến hạn: phản ánh, kiến nghị {item.code} (Từ chối tiếp nhận)"]
    # The provincial office (the receiving unit) is told by email.
    assert (
        OutboxMessage.objects.filter(
            topic=f"feedback.feedback:{item.pk}",
            recipient=users["vanphong"].email,
            subject__startswith="Sắp đến hạn",
        ).count()
        == 1
    )

    assert feedback_sweep(now=at(2025, 3, 6, 9)) == {"due_soon": 0, "overdue": 1}
    assert feedback_sweep(now=at(2025, 3, 6, 9)) == {"due_soon": 0, "overdue": 0}
    assert len(alerts(item)) == 2

    # Classified and forwarded: a new deadline (15 WD) starts its own alerts.
    office = users["vanphong"]
    pakn.feedback_classify(actor=office, item=item, category=Category.REGULATION_IN_SCOPE)
    item = pakn.feedback_forward(actor=office, item=item, agency=tinh[JUSTICE])
    assert item.alert_level == AlertLevel.NONE and item.next_due_kind == "handle"
    feedback_sweep(now=at(2025, 3, 21, 10))
    feedback_sweep(now=at(2025, 3, 21, 10))
    item.refresh_from_db()
    assert item.alert_level == AlertLevel.DUE_SOON
    head = users["lanhdao.tuphap"]
    assert (
        OutboxMessage.objects.filter(
            recipient=head.email,
            subject__startswith="Sắp đến hạn",
            topic=f"feedback.feedback:{item.pk}",
        ).count()
        == 1
    )


def test_finished_and_paused_items_are_not_swept(tinh, users):
    office = users["vanphong"]
    refused = submit_pakn(at(2025, 3, 3, 9))
    pakn.feedback_refuse(actor=office, item=refused, reason="Nội dung là khiếu nại.")
    paused = submit_pakn(at(2025, 3, 3, 9))
    pakn.feedback_request_info(actor=office, item=paused, request="Bổ sung mã hồ sơ.")
    assert feedback_sweep(now=at(2025, 6, 1, 9)) == {"due_soon": 0, "overdue": 0}


def test_the_celery_task_runs_the_sweep(tinh):
    submit_pakn(at(2025, 3, 3, 9))
    assert feedback_sweep_task.delay().get() == {"due_soon": 0, "overdue": 1}
