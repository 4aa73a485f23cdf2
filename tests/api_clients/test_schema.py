"""/api/schema/ documents the integration token as an OAuth2 client-credentials scheme."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_schema_declares_client_credentials_with_the_scopes(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    scheme = schema["components"]["securitySchemes"]["integrationToken"]
    flow = scheme["flows"]["clientCredentials"]
    assert scheme["type"] == "oauth2"
    assert flow["tokenUrl"] == reverse("api_clients:token")
    assert {"dossiers:read", "dossiers:write", "indicators:read"} <= set(flow["scopes"])
    desk_list = schema["paths"]["/api/desk/dossiers/"]["get"]
    assert {"integrationToken": ["dossiers:read"]} in desk_list["security"]
    receive = schema["paths"]["/api/desk/dossiers/{id}/receive/"]["post"]
    assert {"integrationToken": ["dossiers:write"]} in receive["security"]
