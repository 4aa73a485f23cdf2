"""Tokens for other government systems (OAuth2 client credentials)."""

from __future__ import annotations

OAUTH2_PROVIDER: dict = {}
