"""Demo staff have an authenticator app with a secret derived from the username,
seeded idempotently and printed by seed_demo."""

from __future__ import annotations

import hashlib
import hmac
import struct
from base64 import b32encode
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal_site import demo
from tests.accounts.second_factor_support import DASHBOARD_URL, VERIFY_URL, password_sign_in
from tests.factories import StaffFactory, UserFactory
from tthc_portal.accounts.second_factor.demo import (
    demo_second_factor_seed,
    demo_totp_code,
    demo_totp_secret,
)

pytestmark = pytest.mark.django_db


def test_secret_is_base32_of_the_first_20_bytes_of_sha256():
    expected = hashlib.sha256(b"tthc-demo-totp:quantri").digest()[:20]

    assert demo_totp_secret("quantri") == b32encode(expected).decode()
    assert len(demo_totp_secret("quantri")) == 32
    assert demo_totp_secret("quantri") != demo_totp_secret("vanphong")


def test_code_is_the_rfc_6238_code_at_the_given_time():
    at = datetime(2026, 1, 5, 8, 0, 10, tzinfo=UTC)
    key = hashlib.sha256(b"tthc-demo-totp:vanphong").digest()[:20]

    code = demo_totp_code("vanphong", at)

    assert code == f"{_reference_totp(key, int(at.timestamp())):06d}"
    assert demo_totp_code("vanphong", at.timestamp()) == code
    assert len(code) == 6 and code.isdigit()


def _reference_totp(key: bytes, unix: int) -> int:
    """RFC 6238 by hand (HMAC-SHA1, 30-second steps, 6 digits)."""
    digest = hmac.new(key, struct.pack(">Q", unix // 30), "sha1").digest()
    offset = digest[-1] & 0x0F
    return (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000


def test_seed_is_idempotent_and_skips_applicants():
    staff = StaffFactory(username="lanhdao.thu")
    citizen = UserFactory()

    assert demo_second_factor_seed([staff, citizen]) == 1
    assert demo_second_factor_seed([staff, citizen]) == 0

    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed
    assert device.bin_key == hashlib.sha256(b"tthc-demo-totp:lanhdao.thu").digest()[:20]
    assert not TOTPDevice.objects.filter(user=citizen).exists()


def test_demo_staff_sign_in_with_the_demo_code(client):
    call_command("seed_demo", stdout=(out := StringIO()))
    output = out.getvalue()
    for spec in demo.ACCOUNTS:
        if spec.role:
            assert demo_totp_secret(spec.username) in output
    assert "TOTP" in output

    password_sign_in(client, "lanhdao.tuphap", demo.DEMO_PASSWORD)
    assert client.get(DASHBOARD_URL)["Location"].startswith(VERIFY_URL)
    response = client.post(VERIFY_URL, {"code": demo_totp_code("lanhdao.tuphap")})
    assert response.status_code == 302 and response["Location"] == DASHBOARD_URL
    assert client.get(DASHBOARD_URL).status_code == 200
