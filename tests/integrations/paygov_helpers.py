"""Shared set-up of the PayGov tests: a PayGov target on the simulator, the
portal switched to the PayGov gateway, and the citizen's clicks on PayGov's page."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import requests
from django.test import Client
from django.urls import reverse

from dossiers.models import Dossier, Payment
from integrations.models import PaymentMessage, Target, TargetKind, UnitCredential
from integrations.secrets import secret_encrypt
from tests.dossiers.test_reception import submitted

PARTNER, SECRET = "TTHC-DEMO", "paygov-demo-secret"  # the simulator's default partner
CITIZEN = "001085012345"


def paygov_setup(settings, hub_url: str, site_url: str = "http://127.0.0.1:9") -> Target:
    """PayGov on the simulator; the partner secret as an encrypted credential."""
    settings.TTHC = {
        **settings.TTHC,
        "PAYMENT_GATEWAY": "integrations.paygov.gateway.PayGovGateway",
        "SITE_URL": site_url,
    }
    target = Target.objects.create(
        code="paygov", kind=TargetKind.PAYGOV, name="PayGov (mô phỏng)", base_url=hub_url,
        transport="rest", options={"partner": PARTNER, "service_code": "DVC-TEST"},
        connect_timeout=2, read_timeout=15,
    )  # fmt: skip
    UnitCredential.objects.create(
        target=target, unit_code="", username=PARTNER, secret_encrypted=secret_encrypt(SECRET)
    )
    return target


def citizen_client(users) -> Client:
    client = Client()
    client.force_login(users[CITIZEN])
    return client


def submitted_with_payment(users, procedure) -> tuple[Dossier, Payment]:
    dossier = submitted(users, procedure)
    return dossier, Payment.objects.get(dossier=dossier)


def start_payment(client: Client, payment: Payment) -> tuple[str, str]:
    """The citizen presses "pay": (PayGov page URL, MaThamChieu)."""
    response = client.post(reverse("dossiers:payment_start", args=[payment.reference]))
    assert response.status_code == 302, response.content.decode()[:500]
    init = PaymentMessage.objects.filter(payment=payment, kind="INIT").latest("pk")
    return response["Location"], init.reference


def press(page_url: str, result: str = "paid") -> requests.Response:
    """The citizen's button on PayGov's page (a form POST, as a browser sends it)."""
    return requests.post(
        page_url + "/xac-nhan", data={"result": result}, allow_redirects=False, timeout=20
    )


def return_path(response: requests.Response) -> str:
    """Where PayGov sends the browser back: path and query on the portal."""
    parts = urlsplit(response.headers["Location"])
    return f"{parts.path}?{parts.query}"


def return_fields(response: requests.Response) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(response.headers["Location"]).query))
