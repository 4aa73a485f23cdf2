"""The API's default throttle fails closed (503, Vietnamese JSON) without its cache."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_call_gets_503_json_not_500(cache_down) -> None:
    client = APIClient()
    client.raise_request_exception = False
    client.force_authenticate(UserFactory())

    response = client.get("/api/dossiers/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "tạm thời" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
