"""The rating kiosk's attempt counters fail closed without the cache."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_kiosk_refuses_with_a_vietnamese_503(cache_down) -> None:
    client = Client(raise_request_exception=False)
    response = client.post(
        "/danh-gia/ki-ot/", {"code": "000.00.10.H99-250303-0777", "last4": "1234"}
    )
    assert response.status_code == 503
    assert "tạm thời gián đoạn" in response.content.decode()
