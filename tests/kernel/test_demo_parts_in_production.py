"""Demo parts (simulated bank, demo signing CA, logging SMS, local simulators)
are refused in production unless TTHC_DEMO_PARTS says this is a demonstration.

Production settings run in subprocesses with a clean environment, as in
test_deploy.py; the check framework and the simulated bank's pages run here
under the test settings with ``DEMO_PARTS`` switched off.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path

import pytest
from django.core.checks import ERROR
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from dossiers.models import Payment, PaymentStatus
from dossiers.services import DossierError
from dossiers.services.payments import CallbackData, get_gateway, payment_callback
from tests.dossiers.test_payments import CITIZEN, submitted
from tests.kernel.test_deploy import production_env, run_python
from tthc_portal.web.checks import demo_parts_check, demo_parts_configured

# One demo part put back into an otherwise real production environment:
# (environment, the check id, what the message must name).
DEMO_PARTS = {
    "simulated-bank": (
        {"TTHC_PAYMENT_GATEWAY": "dossiers.services.payments.SimulatedGateway"},
        "tthc.E001",
        "dossiers.services.payments.SimulatedGateway",
    ),
    "demo-signing-ca": (
        {"TTHC_SIGNING_BACKEND": "tthc_portal.signing.backends.DemoCABackend"},
        "tthc.E002",
        "tthc_portal.signing.backends.DemoCABackend",
    ),
    "logging-sms": (
        {"SMS_GATEWAY": "tthc_portal.notifications.gateways.LoggingSMSGateway"},
        "tthc.E003",
        "tthc_portal.notifications.gateways.LoggingSMSGateway",
    ),
    "hub-simulator": (
        {"TTHC_NATIONAL_HUB_URL": "http://127.0.0.1:8100"},
        "tthc.E004",
        "http://127.0.0.1:8100",
    ),
    "demo-identity-provider": (
        {"OIDC_DISCOVERY_URL": "http://localhost:8200/.well-known/openid-configuration"},
        "tthc.E005",
        "http://localhost:8200/.well-known/openid-configuration",
    ),
}
HINTS = {
    "tthc.E001": "TTHC_PAYMENT_GATEWAY",
    "tthc.E002": "TTHC_SIGNING_BACKEND",
    "tthc.E003": "SMS_GATEWAY",
    "tthc.E004": "TTHC_NATIONAL_HUB_URL",
    "tthc.E005": "OIDC_DISCOVERY_URL",
}


# --- production settings (subprocesses) ---------------------------------------


@pytest.fixture
def strong_key() -> str:
    return secrets.token_urlsafe(48)


@pytest.mark.parametrize("part", list(DEMO_PARTS))
def test_production_refuses_each_demo_part_without_the_flag(
    tmp_path: Path, strong_key: str, part: str
) -> None:
    variables, check_id, named = DEMO_PARTS[part]
    env = {**production_env(tmp_path, strong_key), **variables}

    result = run_python(["manage.py", "check", "--deploy"], env)

    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr
    assert check_id in result.stderr and named in result.stderr
    assert HINTS[check_id] in result.stderr and "TTHC_DEMO_PARTS=true" in result.stderr
    others = set(HINTS) - {check_id}
    assert not [other for other in others if other in result.stderr]

    # A demonstration instance says so explicitly: then it starts.
    env["TTHC_DEMO_PARTS"] = "true"
    allowed = run_python(["manage.py", "check", "--deploy"], env)
    output = allowed.stdout + allowed.stderr
    assert allowed.returncode == 0, output
    assert "tthc.E0" not in output and "ImproperlyConfigured" not in output


def test_production_defaults_are_refused_and_named(tmp_path: Path, strong_key: str) -> None:
    """Production settings with none of the backend variables: the base defaults
    are the demo parts, and the process refuses to start (gunicorn and Celery
    import the same settings)."""
    env = production_env(tmp_path, strong_key)
    for name in ("TTHC_PAYMENT_GATEWAY", "TTHC_SIGNING_BACKEND", "SMS_GATEWAY"):
        del env[name]

    script = "import tthc_portal.wsgi"
    result = run_python(["-c", script], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for check_id in ("tthc.E001", "tthc.E002", "tthc.E003"):
        assert check_id in result.stderr

    result = run_python(["-c", script], {**env, "TTHC_DEMO_PARTS": "1"})
    assert result.returncode == 0, result.stderr


# --- the check framework (test settings) --------------------------------------


def test_deploy_check_reports_demo_parts_as_errors_without_the_flag(settings) -> None:
    settings.DEMO_PARTS = False
    settings.TTHC = {**settings.TTHC, "NATIONAL_HUB_URL": "http://[::1]:8100"}
    settings.IDENTITY = {
        **settings.IDENTITY,
        "OIDC_DISCOVERY_URL": "http://127.0.0.1:8200/.well-known/openid-configuration",
    }
    # The test settings keep the demo defaults of settings/base.py.
    assert settings.TTHC["PAYMENT_GATEWAY"].endswith(".SimulatedGateway")
    assert settings.SMS_GATEWAY.endswith(".LoggingSMSGateway")

    errors = demo_parts_check()

    assert [error.id for error in errors] == sorted(HINTS)
    assert all(error.level == ERROR for error in errors)
    for error in errors:
        assert HINTS[error.id] in error.hint and "TTHC_DEMO_PARTS=true" in error.hint
    # Registered with --deploy: `manage.py check --deploy` fails on them.
    with pytest.raises(CommandError) as failure:
        call_command("check", deploy=True)
    for check_id in HINTS:
        assert check_id in str(failure.value)

    settings.DEMO_PARTS = True
    assert demo_parts_check() == []


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8100", True),
        ("http://127.8.0.1/hub", True),
        ("http://localhost:8100", True),
        ("http://LOCALHOST.:8100", True),
        ("http://hub.localhost", True),
        ("http://[::1]:8100", True),
        ("https://dichvucong.gov.vn/lgsp", False),
        ("https://10.0.0.5/hub", False),
        ("", False),
    ],
)
def test_hub_and_identity_provider_on_this_machine_are_demo_parts(url: str, loopback: bool) -> None:
    found = demo_parts_configured(
        tthc={"NATIONAL_HUB_URL": url}, sms_gateway="", identity={"OIDC_DISCOVERY_URL": url}
    )
    assert [part.id for part in found] == (["tthc.E004", "tthc.E005"] if loopback else [])


# --- the simulated bank's pages ---------------------------------------------------


@pytest.mark.django_db
def test_simulated_bank_pages_do_not_exist_without_the_flag(users, online_procedure) -> None:
    dossier = submitted(users, online_procedure)
    payment = Payment.objects.get(dossier=dossier)
    client = Client()
    client.force_login(users[CITIZEN])
    bank = reverse("dossiers:payment_simulator", args=[payment.reference])
    gateway = get_gateway()
    transaction_ref = f"SIM{uuid.uuid4().hex[:8].upper()}"
    paid = {
        "reference": str(payment.reference),
        "amount_vnd": str(payment.amount_vnd),
        "status": "paid",
        "transaction_ref": transaction_ref,
        "signature": gateway.sign(
            str(payment.reference), payment.amount_vnd, "paid", transaction_ref
        ),
    }
    assert client.get(bank).status_code == 200  # a demonstration: the bank is there

    # Even with the gateway setting still pointing at the simulator.
    with override_settings(DEMO_PARTS=False):
        assert client.get(bank).status_code == 404
        callback = client.post(reverse("dossiers:payment_callback"), paid)
        assert callback.status_code == 404
        # The start page does not send the citizen to a bank that is not there.
        start = client.post(reverse("dossiers:payment_start", args=[payment.reference]))
        assert start.status_code == 502
        assert "Bộ phận Một cửa" in start.content.decode()
        # Reached some other way, the simulator's signature is never accepted.
        signed = CallbackData(**{**paid, "amount_vnd": payment.amount_vnd})
        assert get_gateway().verify(signed) is False
        with pytest.raises(DossierError):
            payment_callback(signed)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REQUESTED and not payment.receipt_no
