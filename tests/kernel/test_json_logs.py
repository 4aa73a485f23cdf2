"""Log lines as JSON with the request, user and task ids, never personal data
(issue #17, "logs as JSON lines with the request id, user id and task id")."""

from __future__ import annotations

import json
import logging

import pytest
from celery import shared_task

from tests.factories import UserFactory
from tthc_portal.logs import ContextFilter, JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    lines: list[str] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Handler()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_a_request_line_names_ids_only(client, captured) -> None:
    user = UserFactory(full_name="Nguyễn Văn An", phone="0912345678")
    client.force_login(user)
    response = client.get("/khong-co-trang-nay/")  # django.request logs the 404
    assert response.status_code == 404
    line = json.loads(captured[-1])
    assert line["level"] == "WARNING"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["user_id"] == str(user.pk)
    assert "Nguyễn" not in captured[-1] and "0912345678" not in captured[-1]
    assert user.username not in captured[-1]


@shared_task(name="tests.log_from_a_task")
def _log_from_a_task() -> None:
    logging.getLogger("django.request").warning("inside a job")


def test_a_job_line_carries_its_task_id(captured) -> None:
    result = _log_from_a_task.delay()
    line = json.loads(captured[-1])
    assert line["message"] == "inside a job"
    assert line["task_id"] == result.id
