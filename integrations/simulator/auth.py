"""The hub's two ways to authenticate a unit: a session from ``/dvc/dang-nhap`` (2020 adapter
style) and an OAuth2 client-credentials bearer token from ``/lgsp/token`` (LGSP style).

With no ``units`` configured any credentials are accepted, so a fresh simulator works
with whatever the portal has; configure ``units`` to test refused credentials.
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
import urllib.parse
from typing import Any

from .state import HubState
from .web import Request, Response, json_response


def _ttl(state: HubState) -> int:
    try:
        return max(1, int(state.config.get("token_ttl") or 3600))
    except (TypeError, ValueError):
        return 3600


def _same(a: Any, b: Any) -> bool:
    return hmac.compare_digest(str(a or "").encode(), str(b or "").encode())


def login(state: HubState, req: Request) -> Response:
    """``POST /dvc/dang-nhap``: header ``dstcode``, JSON ``{username, password}``."""
    body = req.json()
    if not isinstance(body, dict):
        body = {}
    unit = req.header("dstcode") or str(body.get("madonvi") or "")
    units = state.config.get("units") or {}
    if units:
        known = units.get(unit)
        if not (
            isinstance(known, dict)
            and _same(known.get("username"), body.get("username"))
            and _same(known.get("password"), body.get("password"))
        ):
            return json_response(401, {"error_code": -1, "message": "Sai tài khoản hoặc mật khẩu"})
    session = secrets.token_hex(16)
    ttl = _ttl(state)
    with state.lock:
        state.sessions[session] = {"unit": unit, "exp": time.time() + ttl}
        state.touch()
    return json_response(200, {"error_code": 0, "session": session, "expires_in": ttl})


def session_unit(state: HubState, session: Any) -> str | None:
    """The unit of a live session, or None (unknown or expired → the caller answers 401)."""
    if not isinstance(session, str) or not session:
        return None
    record = state.sessions.get(session)
    if record is None:
        return None
    if record["exp"] < time.time():
        with state.lock:
            state.sessions.pop(session, None)
            state.touch()
        return None
    return str(record["unit"])


def _basic(req: Request, form: dict[str, str]) -> tuple[str, str]:
    header = req.header("Authorization")
    if header[:6].lower() == "basic ":
        try:
            raw = base64.b64decode(header[6:].strip()).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return "", ""
        client_id, _, secret = raw.partition(":")
        return urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
    return form.get("client_id", ""), form.get("client_secret", "")


def issue_token(state: HubState, req: Request) -> Response:
    """``POST /lgsp/token``: ``grant_type=client_credentials`` with HTTP Basic client auth."""
    form = req.form()
    if form.get("grant_type") != "client_credentials":
        return json_response(400, {"error": "unsupported_grant_type"})
    client_id, secret = _basic(req, form)
    if not client_id:
        return json_response(401, {"error": "invalid_client"})
    units = state.config.get("units") or {}
    unit = client_id
    if units:
        for code, known in units.items():
            if (
                isinstance(known, dict)
                and _same(known.get("client_id"), client_id)
                and _same(known.get("client_secret"), secret)
            ):
                unit = code
                break
        else:
            return json_response(401, {"error": "invalid_client"})
    token = secrets.token_urlsafe(24)
    ttl = _ttl(state)
    with state.lock:
        state.tokens[token] = {"unit": unit, "client_id": client_id, "exp": time.time() + ttl}
        state.touch()
    return json_response(200, {"access_token": token, "token_type": "Bearer", "expires_in": ttl})


def token_unit(state: HubState, req: Request) -> str | None:
    """The unit of the request's live bearer token, or None (the caller answers 401)."""
    header = req.header("Authorization")
    if header[:7].lower() != "bearer ":
        return None
    token = header[7:].strip()
    record = state.tokens.get(token)
    if record is None:
        return None
    if record["exp"] < time.time():
        with state.lock:
            state.tokens.pop(token, None)
            state.touch()
        return None
    return str(record["unit"])


def expire_all(state: HubState) -> None:
    """Every session and token expires now: the next call gets 401 and must log in again."""
    with state.lock:
        state.sessions.clear()
        state.tokens.clear()
        state.touch()
