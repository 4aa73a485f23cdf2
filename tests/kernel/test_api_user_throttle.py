"""Signed-in API users are throttled per account (DRF's UserRateThrottle)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.settings import api_settings
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OWN_DOSSIERS = "/api/dossiers/"


@pytest.fixture
def low_rate(monkeypatch) -> int:
    # DRF copies the rates onto the class at import, so override_settings cannot
    # reach them; patch the class's dict for this test and start from an empty cache.
    monkeypatch.setitem(UserRateThrottle.THROTTLE_RATES, "user", "3/min")
    cache.clear()
    yield 3
    cache.clear()


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_user_throttle_is_on_by_default_at_600_a_minute() -> None:
    assert any(issubclass(cls, UserRateThrottle) for cls in api_settings.DEFAULT_THROTTLE_CLASSES)
    rate = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["user"]
    assert rate == "600/min"
    assert UserRateThrottle().parse_rate(rate) == (600, 60)


def test_the_call_past_the_rate_gets_429_with_drf_json(low_rate: int) -> None:
    citizen = UserFactory()
    client = signed_in(citizen)

    for call in range(1, low_rate + 1):
        assert client.get(OWN_DOSSIERS).status_code == 200, call
    response = client.get(OWN_DOSSIERS)

    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"}
    assert int(response["Retry-After"]) > 0


def test_the_budget_is_per_account(low_rate: int) -> None:
    first, second = signed_in(UserFactory()), signed_in(UserFactory())
    for _ in range(low_rate):
        first.get(OWN_DOSSIERS)

    assert first.get(OWN_DOSSIERS).status_code == 429
    assert second.get(OWN_DOSSIERS).status_code == 200
