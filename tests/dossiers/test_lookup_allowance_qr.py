"""QR-link lookups have their own per-address budget, separate from the form and
the API: one office or mobile NAT spending the form's allowance does not block
every QR link behind it, and QR links are still limited (issue 18, item 9)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.dossiers.test_public_lookup import look_up, received

pytestmark = pytest.mark.django_db
NAT = "203.0.113.7"


def test_qr_links_and_the_form_have_separate_budgets(settings, users, online_procedure):
    settings.TTHC = {
        **settings.TTHC,
        "LOOKUP_ATTEMPTS_PER_10_MIN": 3,
        "LOOKUP_QR_ATTEMPTS_PER_10_MIN": 5,
    }
    dossier = received(users, online_procedure)
    client = Client()
    link = reverse("dossiers:lookup_token", args=[dossier.lookup_token])

    for n in range(3):
        look_up(client, f"000.00.10.H99-250303-07{n:02d}", "1234", ip=NAT)
    assert look_up(client, dossier.code, "5678", ip=NAT).status_code == 429
    # The form's allowance is spent; the QR links behind that address still answer.
    for _ in range(5):
        response = client.get(link, REMOTE_ADDR=NAT)
        assert response.status_code == 200
        assert dossier.code in response.content.decode()

    # ...up to their own limit.
    blocked = client.get(link, REMOTE_ADDR=NAT)
    assert blocked.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần" in blocked.content.decode()
    # Another address has its own budgets.
    assert client.get(link, REMOTE_ADDR="198.51.100.9").status_code == 200
    assert look_up(client, dossier.code, "5678", ip="198.51.100.9").status_code == 200
