"""X-Request-ID: every response carries one and audit events record it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import AgencyFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.audit.middleware import current_request_id
from tthc_portal.audit.models import AuditEvent
from tthc_portal.workdays.models import CalendarException, ExceptionKind

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"^[0-9a-f]{32}$")


def test_every_response_carries_a_fresh_request_id(client) -> None:
    first = client.get(reverse("web:home"))
    second = client.get(reverse("web:home"))
    missing = client.get("/khong-co-trang-nay/")

    for response in (first, second, missing):
        assert GENERATED.match(response["X-Request-ID"]), response["X-Request-ID"]
    assert missing.status_code == 404
    assert first["X-Request-ID"] != second["X-Request-ID"]
    # The id lives only for the request.
    assert current_request_id() == ""


@pytest.mark.parametrize("incoming", ["abc-123", "gw_7f.2026-01-02", "A" * 64])
def test_safe_incoming_request_id_is_echoed(client, incoming: str) -> None:
    response = client.get(reverse("web:home"), HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize(
    "incoming",
    [
        "has spaces in it",
        "x" * 200,
        "A" * 65,
        "semi;colon",
        "<script>",
        "ô-dấu",
        "line\nbreak",
        "trailing-newline\n",
        "",
    ],
)
def test_unsafe_incoming_request_id_is_replaced(client, incoming: str) -> None:
    response = client.get(reverse("web:home"), HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] != incoming
    assert GENERATED.match(response["X-Request-ID"])


@pytest.fixture
def provincial_client(client):
    client.force_login(make_staff(Role.PROVINCIAL_STAFF, AgencyFactory()))
    return client


def _save_holiday(client, day: str, **headers: str):
    return client.post(
        reverse("workdays:list"),
        {
            "date": day,
            "kind": ExceptionKind.HOLIDAY,
            "name": "Ngày nghỉ thử nghiệm",
            "source": "Quyết định thử",
        },
        **headers,
    )


def test_audit_event_written_during_a_request_carries_the_incoming_id(
    provincial_client,
) -> None:
    response = _save_holiday(provincial_client, "2026-12-28", HTTP_X_REQUEST_ID="req-lich-001")

    assert response.status_code == 302, response.content.decode()[:500]
    assert response["X-Request-ID"] == "req-lich-001"
    exception = CalendarException.objects.get(date="2026-12-28")
    event = AuditEvent.objects.get(action="calendar_exception.save", target_id=str(exception.pk))
    assert event.request_id == "req-lich-001"
    assert event.actor is not None
    assert event.after["date"] == "2026-12-28"


def test_audit_event_carries_the_generated_id_when_none_is_sent(provincial_client) -> None:
    response = _save_holiday(provincial_client, "2026-12-29", HTTP_X_REQUEST_ID="bad id!")

    assert response.status_code == 302
    generated = response["X-Request-ID"]
    assert GENERATED.match(generated)
    event = AuditEvent.objects.get(action="calendar_exception.save")
    assert event.request_id == generated
    assert current_request_id() == ""
