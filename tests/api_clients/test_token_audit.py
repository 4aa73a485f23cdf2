"""Every call made with a token is in the audit log with its client, and so is
every change a service makes during that call."""

from __future__ import annotations

import pytest

from dossiers.models import Dossier
from tests.api_clients.helpers import (
    DESK_LIST,
    JUSTICE,
    bearer,
    desk_url,
    issue,
    submitted,
    token_for,
)
from tthc_portal.audit.models import AuditEvent
from tthc_portal.audit.selectors import audit_events_for

pytestmark = pytest.mark.django_db


def calls():
    return AuditEvent.objects.filter(action="api_client.call").order_by("id")


def test_every_call_is_audited_with_the_client_and_its_outcome(reader, agency):
    api = bearer(token_for(reader))
    ok = api.get(DESK_LIST, HTTP_X_REQUEST_ID="yeu-cau-1")
    refused = api.get("/api/ratings/", HTTP_X_REQUEST_ID="yeu-cau-2")
    assert (ok.status_code, refused.status_code) == (200, 403)
    client_id = reader.client.client_id
    rows = list(calls())
    assert [(e.after["method"], e.after["path"], e.after["status"]) for e in rows] == [
        ("GET", DESK_LIST, 200),
        ("GET", "/api/ratings/", 403),
    ]
    for event, request_id in zip(rows, ["yeu-cau-1", "yeu-cau-2"], strict=True):
        assert event.via_client == client_id
        assert event.request_id == request_id
        assert event.actor == reader.client.service_account
        assert event.after["agency"] == agency.code
        assert event.target_id == str(reader.client.pk)
    reader.client.refresh_from_db()
    assert reader.client.last_used_at is not None


def test_session_calls_and_calls_without_a_token_are_not_attributed(reader):
    assert bearer("khong-phai-ma-that").get(DESK_LIST).status_code == 401
    assert not calls().exists()


def test_changes_made_through_a_token_carry_the_client(province, users, online_procedure):
    dossier = submitted(users, online_procedure)
    issued = issue(province[JUSTICE], ["dossiers:read", "dossiers:write"])
    api = bearer(token_for(issued))
    assert api.post(desk_url("desk-dossier-receive", dossier.pk)).status_code == 200
    events = audit_events_for(Dossier.objects.get(pk=dossier.pk)).filter(
        via_client=issued.client.client_id
    )
    assert events.exists()
    assert {event.actor for event in events} == {issued.client.service_account}
