"""A form refused by the CSRF check gets the portal's Vietnamese page (Django renders
templates/403_csrf.html; issue 15,
item 15), not Django's English developer page; nothing is changed."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_stale_form_gets_the_vietnamese_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    body = response.content.decode()
    assert 'data-testid="csrf-failure"' in body
    assert "Phiên làm việc đã hết hạn" in body
    assert "CSRF verification failed" not in body
