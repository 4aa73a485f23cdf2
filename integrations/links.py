"""Signed, expiring download links the hub can fetch (e-results, submitted files)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

_SALT = "integrations.file-link"


def file_link(kind: str, pk: int) -> str:
    """An absolute URL carrying a signed ("c", component) or ("d", document) reference."""
    token = signing.dumps([kind, pk], salt=_SALT, compress=True)
    return settings.TTHC["SITE_URL"].rstrip("/") + reverse("integrations:file", args=[token])


def file_link_resolve(token: str) -> tuple[str, int]:
    """(kind, pk) of a valid token; raises ``signing.BadSignature`` (expired included)."""
    max_age = settings.TTHC.get("SYNC_LINK_MAX_AGE_DAYS", 30) * 86400
    kind, pk = signing.loads(token, salt=_SALT, max_age=max_age)
    return str(kind), int(pk)
