"""The token the hub presents when it pushes a message (``Authorization: Bearer …``).

Only its SHA-256 is stored (``Target.options["push_token_sha256"]``); a deployment may
instead give it in settings (``TTHC["NATIONAL_PUSH_TOKEN"]``). With neither, every
push is refused: an endpoint that creates dossiers is never open."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest

from ..models import Target

OPTION = "push_token_sha256"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def push_token_set(target: Target, token: str) -> None:
    """Store the hash of a new push token (an empty token removes it)."""
    options = dict(target.options or {})
    if token:
        options[OPTION] = _digest(token)
    else:
        options.pop(OPTION, None)
    target.options = options
    target.save(update_fields=["options"])


def push_token_expected(target: Target) -> str:
    stored = str((target.options or {}).get(OPTION) or "")
    if stored:
        return stored
    fallback = str(getattr(settings, "TTHC", {}).get("NATIONAL_PUSH_TOKEN", "") or "")
    return _digest(fallback) if fallback else ""


def push_token_check(target: Target, presented: str) -> bool:
    """Constant-time comparison of hashes (equal lengths whatever was presented)."""
    expected = push_token_expected(target)
    if not expected or not presented:
        return False
    return hmac.compare_digest(_digest(presented), expected)


def bearer_token(request: HttpRequest) -> str:
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""
