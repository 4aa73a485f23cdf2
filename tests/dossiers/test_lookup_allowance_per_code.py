"""A per-code counter: wrong answers against one dossier code from any number of
addresses are capped in the window, on the page and the API alike; right
answers never count and the owner keeps the QR link (issue 18, item 9)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.dossiers.test_public_lookup import look_up, received

pytestmark = pytest.mark.django_db
BLOCKED_TEXT = "Mã hồ sơ này đã bị tra cứu sai quá nhiều lần"


def addresses(n: int) -> list[str]:
    return [f"198.51.100.{i}" for i in range(1, n + 1)]


def test_guesses_from_rotating_addresses_lock_the_code(settings, users, online_procedure):
    settings.TTHC = {
        **settings.TTHC,
        "LOOKUP_ATTEMPTS_PER_10_MIN": 10,
        "LOOKUP_CODE_FAILURES_PER_10_MIN": 3,
    }
    dossier = received(users, online_procedure)
    client = Client()
    for ip in addresses(5):  # the owner checking often is never locked out
        assert dossier.code in look_up(client, dossier.code, "5678", ip=ip).content.decode()
    for ip, guess in zip(addresses(3), ("0001", "0002", "0003"), strict=True):
        assert look_up(client, dossier.code, guess, ip=ip).status_code == 200

    # A fresh address with the right digits: the code is closed for the window.
    blocked = look_up(client, f" {dossier.code.lower()} ", "5678", ip="192.0.2.50")
    assert blocked.status_code == 429
    assert BLOCKED_TEXT in blocked.content.decode()
    api = APIClient().post(
        "/api/lookup/", {"code": dossier.code, "last4": "5678"}, format="json",
        REMOTE_ADDR="192.0.2.51",
    )  # fmt: skip
    assert api.status_code == 429
    assert BLOCKED_TEXT in api.json()["detail"]
    # The owner still has the QR link.
    link = reverse("dossiers:lookup_token", args=[dossier.lookup_token])
    assert client.get(link, REMOTE_ADDR="192.0.2.53").status_code == 200

    # Other codes are untouched; an unknown code locks alike (nothing revealed).
    unknown = "000.00.10.H99-250303-0777"
    assert look_up(client, unknown, "1234", ip="192.0.2.52").status_code == 200
    for ip in addresses(2):
        look_up(client, unknown, "1234", ip=ip)
    assert look_up(client, unknown, "1234", ip="192.0.2.60").status_code == 429
