"""Nothing under /api/ answers HTML (issue 18, item 10): an address outside the
apps' own prefixes and a server error are the JSON envelope too."""

from __future__ import annotations

import json

import pytest
from django.test import RequestFactory

from tthc_portal.web.views import server_error

pytestmark = pytest.mark.django_db


def test_unknown_api_address_is_json(client) -> None:
    response = client.get("/api/khong-co-gi-o-day/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_other_unknown_addresses_keep_the_portal_page(client) -> None:
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_server_error_under_the_api_is_json() -> None:
    response = server_error(RequestFactory().get("/api/dossiers/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "sự cố" in json.loads(response.content)["detail"]
    assert server_error(RequestFactory().get("/")).status_code == 500
