"""Signing a result asks for the second factor again when the session's
verification is older than IDENTITY["SIGN_REAUTH_MINUTES"]."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dossiers.models import DocumentKind, Status
from portal_site.demo import DEMO_PASSWORD
from tests.accounts.second_factor_support import VERIFY_URL, password_sign_in
from tests.dossiers.casework import (
    HEAD,
    at_approval,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tthc_portal.accounts.second_factor.demo import demo_totp_code

pytestmark = pytest.mark.django_db

REAUTH_MESSAGE = "Vui lòng nhập lại mã xác thực trước khi ký kết quả."


def verified_head() -> Client:
    """The head signs in with the password and the demo app's code."""
    client = Client()
    password_sign_in(client, HEAD, DEMO_PASSWORD)
    response = client.post(VERIFY_URL, {"code": demo_totp_code(HEAD)})
    assert response.status_code == 302, response.content.decode()[:400]
    return client


def age_verification(client: Client, minutes: int) -> None:
    session = client.session
    session["second_factor_verified_at"] = (timezone.now() - timedelta(minutes=minutes)).isoformat()
    session.save()


def test_stale_verification_redirects_to_verify_and_does_not_sign(
    users, workflow_procedure, settings
):
    settings.IDENTITY = {**settings.IDENTITY, "SIGN_REAUTH_MINUTES": 15}
    dossier = at_approval(users, workflow_procedure)
    client = verified_head()
    page = reverse("processing:dossier", args=[dossier.pk])
    approve = reverse("processing:approve", args=[dossier.pk])
    age_verification(client, 16)

    response = client.post(approve, {"note": "Đồng ý"})

    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY_URL}?next={quote(page + '#ket-qua', safe='')}"
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING and not dossier.result_code
    assert dossier.documents.get(kind=DocumentKind.RESULT).signed_at is None
    verify_page = client.get(response["Location"])
    assert REAUTH_MESSAGE in verify_page.content.decode()

    # After typing a fresh code the approval goes through and is signed.
    fresh = client.post(
        VERIFY_URL,
        {"code": demo_totp_code(HEAD, timezone.now() + timedelta(seconds=30)),
         "next": page + "#ket-qua"},
    )  # fmt: skip
    assert fresh.status_code == 302 and fresh["Location"] == page + "#ket-qua"
    signed = client.post(approve, {"note": "Đồng ý"})
    assert signed.status_code == 302 and signed["Location"] == page + "#ket-qua"
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY and dossier.result_code


def test_recent_verification_signs_directly(users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    client = verified_head()
    age_verification(client, 14)

    response = client.post(reverse("processing:approve", args=[dossier.pk]), {"note": "Đồng ý"})

    assert response.status_code == 302 and not response["Location"].startswith(VERIFY_URL)
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY


def test_other_actions_do_not_ask_again(users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    client = verified_head()
    age_verification(client, 120)
    step = dossier.current_step

    response = client.post(
        reverse("processing:send_back", args=[dossier.pk]),
        {"step": step.pk, "to_order": 2, "note": "Thiếu căn cứ pháp lý"},
    )

    assert response.status_code == 302 and not response["Location"].startswith(VERIFY_URL)
