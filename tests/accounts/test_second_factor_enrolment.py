"""First sign-in of a staff member: QR code and secret, a code to confirm, then
ten recovery codes shown once."""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.second_factor_support import (
    SETUP_URL,
    VERIFY_URL,
    password_sign_in,
    totp_code,
)
from tests.factories import StaffFactory
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEXT = "/tai-khoan/ho-so/"


@pytest.fixture
def newcomer(client: Client):
    staff = StaffFactory(username="canbo.moi")
    password_sign_in(client, "canbo.moi")
    return staff


def shown_secret(page: str) -> str:
    match = re.search(r'data-testid="second-factor-secret"[^>]*>([A-Z2-7 ]+)<', page)
    assert match, "the secret is not on the page"
    return match.group(1)


def test_page_shows_qr_secret_and_issuer(client, newcomer, settings):
    settings.IDENTITY = {**settings.IDENTITY, "TOTP_ISSUER": "Cổng DVC tỉnh Demo"}
    response = client.get(SETUP_URL, {"next": NEXT})

    assert response.status_code == 200
    page = response.content.decode()
    device = TOTPDevice.objects.get(user=newcomer)
    assert not device.confirmed
    secret = shown_secret(page)
    assert re.fullmatch(r"([A-Z2-7]{4} )*[A-Z2-7]{1,4}", secret)  # grouped for typing
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert 'src="data:image/svg+xml' in page  # the QR code, inline, CSP-safe
    assert "Cổng DVC tỉnh Demo" in page
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert "<script>" not in page and "style=" not in page
    # A reload keeps the same secret: the person may be halfway through scanning.
    assert shown_secret(client.get(SETUP_URL).content.decode()) == secret
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_qr_code_carries_the_otpauth_uri(newcomer):
    from tthc_portal.accounts.second_factor.provisioning import provisioning_for
    from tthc_portal.accounts.second_factor.services import enrolment_start

    provisioning = provisioning_for(enrolment_start(newcomer))

    assert provisioning.uri.startswith("otpauth://totp/")
    assert "canbo.moi" in provisioning.uri
    assert f"secret={provisioning.secret}" in provisioning.uri
    assert "issuer=" in provisioning.uri and "digits=6" in provisioning.uri


def test_wrong_code_is_refused(client, newcomer):
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=newcomer)
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP_URL, {"code": wrong, "next": NEXT})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'role="alert"' in page and "Mã xác thực không đúng" in page
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticToken.objects.filter(device__user=newcomer).exists()
    assert client.get(NEXT)["Location"].startswith(SETUP_URL)

    malformed = client.post(SETUP_URL, {"code": "12ab"})
    assert "Mã xác thực gồm đúng 6 chữ số." in malformed.content.decode()


def test_right_code_confirms_and_shows_ten_codes_once(client, newcomer):
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=newcomer)

    response = client.post(SETUP_URL, {"code": totp_code(device), "next": NEXT})

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    page = response.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    shown = re.findall(r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", page)
    assert len(shown) == 10 and len(set(shown)) == 10
    stored = set(StaticToken.objects.filter(device__user=newcomer).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in shown}
    assert "Tôi đã lưu mã dự phòng — tiếp tục" in page and f'href="{NEXT}"' in page
    assert AuditEvent.objects.filter(
        action="accounts.second_factor_enrolled", target_id=str(newcomer.pk)
    ).exists()

    # The session is verified: the next page opens.
    session = client.session
    assert session["otp_device_id"] == device.persistent_id
    assert session["second_factor_verified_at"]
    assert client.get(NEXT).status_code == 200

    # The codes are not shown again: the enrolment page now sends to verify.
    again = client.get(SETUP_URL)
    assert again.status_code == 302 and again["Location"].startswith(VERIFY_URL)


def test_an_enrolled_person_cannot_enrol_a_second_app(client, newcomer):
    client.get(SETUP_URL)
    device = TOTPDevice.objects.get(user=newcomer)
    client.post(SETUP_URL, {"code": totp_code(device)})
    intruder = Client()
    password_sign_in(intruder, "canbo.moi")  # knows the password only

    response = intruder.post(SETUP_URL, {"code": "123456"})

    assert response.status_code == 302 and response["Location"].startswith(VERIFY_URL)
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1
