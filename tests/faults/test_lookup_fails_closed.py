"""Without its counters the public lookup refuses (503, Vietnamese), never 500."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
CODE = "000.00.10.H99-250303-0777"


def test_the_form_and_the_qr_link_answer_503_in_vietnamese(cache_down) -> None:
    client = Client(raise_request_exception=False)
    pages = [
        client.post(reverse("dossiers:lookup"), {"code": CODE, "last4": "1234"}),
        client.get(reverse("dossiers:lookup_token", args=["khong-phai-ma-that-0123"])),
    ]
    for response in pages:
        assert response.status_code == 503
        assert response["Content-Type"].startswith("text/html")
        assert "Tra cứu tạm thời gián đoạn" in response.content.decode()
        assert int(response["Retry-After"]) > 0
    # The empty form needs no counter and still opens.
    assert client.get(reverse("dossiers:lookup")).status_code == 200


def test_the_api_answers_503_with_the_json_envelope(resilient_cache_down) -> None:
    # With the plain Redis backend DRF's own ScopedRateThrottle, listed first on
    # the view (dossiers/api/views.py), raises before ours is asked.
    client = APIClient()
    client.raise_request_exception = False
    response = client.post("/api/lookup/", {"code": CODE, "last4": "1234"}, format="json")
    assert response.status_code == 503
    assert set(response.json()) == {"detail"}
    assert "tạm thời" in response.json()["detail"]
