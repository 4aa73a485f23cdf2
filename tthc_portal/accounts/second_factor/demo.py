"""Demo staff get an authenticator app with a KNOWN secret.

The secret is derived from the username, so anyone running the demo (and the
tests) can compute it::

    key    = sha256(("tthc-demo-totp:" + username).encode("utf-8")).digest()[:20]
    secret = base32(key)            # 32 characters, no padding

``seed_demo`` prints each staff login's secret; add it to any TOTP app
(Google Authenticator, Microsoft Authenticator, FreeOTP, ...) as a time-based
key (SHA-1, 6 digits, 30 seconds). Demo only: never seed these on a real site.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from datetime import datetime

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .provisioning import secret_base32
from .services import is_staff_user

DEMO_PREFIX = "tthc-demo-totp:"
DEMO_DEVICE_NAME = "Ứng dụng xác thực (demo)"


def demo_totp_key(username: str) -> bytes:
    return hashlib.sha256(f"{DEMO_PREFIX}{username}".encode()).digest()[:20]


def demo_totp_secret(username: str) -> str:
    """The base32 secret to type into an authenticator app."""
    return secret_base32(demo_totp_key(username))


def demo_totp_code(username: str, at: datetime | float | None = None) -> str:
    """The 6-digit code the demo account's app shows at ``at`` (default: now)."""
    totp = TOTP(demo_totp_key(username), step=30, t0=0, digits=6)
    if isinstance(at, datetime):
        totp.time = at.timestamp()
    else:
        totp.time = time.time() if at is None else at
    return f"{totp.token():06d}"


def demo_second_factor_seed(users: Iterable) -> int:
    """A confirmed TOTP device with the demo secret for each staff user in ``users``;
    idempotent (the device is found by name; ``last_t`` is kept, so re-seeding
    never makes a used code valid again). Someone who enrolled their own app is
    left alone. Returns how many were created."""
    created = 0
    for user in users:
        if not is_staff_user(user):
            continue
        own = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(name=DEMO_DEVICE_NAME)
        if own.exists():
            continue  # re-enrolled with their own app after a reset: leave it alone
        key = demo_totp_key(user.get_username()).hex()
        device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE_NAME).first()
        if device is None:
            TOTPDevice.objects.create(
                user=user, name=DEMO_DEVICE_NAME, key=key, confirmed=True, step=30, digits=6
            )
            created += 1
        elif device.key != key or not device.confirmed:
            device.key, device.confirmed = key, True
            device.save(update_fields=["key", "confirmed"])
    return created
