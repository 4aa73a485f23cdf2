"""``settings.TTHC["SIGNING"]`` with defaults for every key left out."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "BACKEND": "tthc_portal.signing.backends.DemoCABackend",
    "OPTIONS": {},
    "VISIBLE_STAMP": True,
    "ALLOW_FETCHING": False,
}
DEMO_OPTIONS: dict[str, Any] = {
    "KEY_TYPE": "ec-p256",
    "ROOT_NAME": "Demo Root CA — Cổng DVC tỉnh (chỉ dùng thử nghiệm)",
    "ROOT_VALID_DAYS": 3650,
    "AGENCY_VALID_DAYS": 3 * 365,
    "RENEW_BEFORE_DAYS": 30,
    "AUTO_ISSUE": True,
    "KEY_SECRET": "",
}


def signing_settings() -> dict[str, Any]:
    configured = settings.TTHC.get("SIGNING") or {}
    merged = {**DEFAULTS, **configured}
    merged["OPTIONS"] = dict(configured.get("OPTIONS") or {})
    return merged


def demo_options() -> dict[str, Any]:
    return {**DEMO_OPTIONS, **signing_settings()["OPTIONS"]}


def key_secrets() -> list[str]:
    """Secrets that protect stored private keys, the one to encrypt with first.

    A dedicated ``KEY_SECRET`` lets an operator rotate ``SECRET_KEY`` without
    touching signing keys; otherwise ``SECRET_KEY`` and its fallbacks are used,
    so a rotation that keeps the old key in ``SECRET_KEY_FALLBACKS`` still opens
    keys encrypted before it (``signing_setup --rewrap-keys`` re-encrypts them).
    """
    dedicated = demo_options().get("KEY_SECRET") or ""
    if dedicated:
        return [dedicated]
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
