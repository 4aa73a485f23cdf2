"""Each call needs the scope of its resource: read for GET, write otherwise."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dossiers.models import Status
from tests.api_clients.helpers import (
    DESK_LIST,
    JUSTICE,
    bearer,
    desk_url,
    issue,
    submitted,
    token_for,
)

pytestmark = pytest.mark.django_db
RATINGS = reverse("feedback_api:rating-list")


def test_a_resource_outside_the_tokens_scopes_is_forbidden(reader):
    api = bearer(token_for(reader))
    assert api.get(DESK_LIST).status_code == 200
    refused = api.get(RATINGS)
    assert refused.status_code == 403
    assert "feedback:read" in refused.json()["detail"]
    assert "phạm vi" in refused.json()["detail"]


def test_a_write_needs_the_write_scope(province, users, online_procedure):
    dossier = submitted(users, online_procedure)
    read_only = bearer(token_for(issue(province[JUSTICE], ["dossiers:read"])))
    refused = read_only.post(desk_url("desk-dossier-receive", dossier.pk))
    assert refused.status_code == 403
    assert "dossiers:write" in refused.json()["detail"]
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    writer = bearer(token_for(issue(province[JUSTICE], ["dossiers:read", "dossiers:write"])))
    received = writer.post(desk_url("desk-dossier-receive", dossier.pk))
    assert received.status_code == 200, received.content
    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED


def test_a_token_limited_by_request_to_fewer_scopes_keeps_to_them(agency):
    issued = issue(agency, ["dossiers:read", "feedback:read"])
    api = bearer(token_for(issued, scope="feedback:read"))
    refused = api.get(DESK_LIST)
    assert refused.status_code == 403
    assert "dossiers:read" in refused.json()["detail"]
    assert 'error="insufficient_scope"' in refused["WWW-Authenticate"]
