"""Helpers for the second-factor tests: real password sign-in, real TOTP codes."""

from __future__ import annotations

import time
from datetime import timedelta

from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

LOGIN_URL = "/tai-khoan/dang-nhap/"
VERIFY_URL = "/tai-khoan/xac-thuc-hai-buoc/"
SETUP_URL = "/tai-khoan/xac-thuc-hai-buoc/thiet-lap/"
RECOVERY_URL = "/tai-khoan/xac-thuc-hai-buoc/ma-du-phong/"
ADMIN_URL = "/tai-khoan/quan-tri/xac-thuc-hai-buoc/"
DASHBOARD_URL = "/bang-dieu-khien/"


def password_sign_in(client: Client, username: str, password: str = PASSWORD) -> None:
    """The real login form: it does not go through Client._login, so the
    conftest's automatic second factor does not apply."""
    response = client.post(LOGIN_URL, {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.session.get("_auth_user_id")


def enrol(user, key: bytes = b"0123456789abcdefghij") -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Ứng dụng", key=key.hex(), confirmed=True)


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def recovery_tokens(user, tokens: list[str]) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="Mã dự phòng", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return device


def wait_out_throttle(device) -> None:
    """Move django-otp's last failure back in time, as if the person waited."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )
