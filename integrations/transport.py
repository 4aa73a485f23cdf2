"""One way to call an outside system: per-target paths and timeouts, cached
tokens (session or OAuth2 client credentials, re-authenticated once on 401),
reply classes decided from codes and HTTP status only, and every call logged.

The two transport styles of national-sync.md §1 share everything but the
envelope; see integrations/PROTOCOL.md for the default paths."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from django.core.cache import cache
from django.utils import timezone

from .models import ReplyClass, SyncAttempt, Target, Transport, UnitCredential
from .secrets import secret_decrypt

# operation → (service NAME, REST path). Targets override either in ``Target.paths``.
OPERATIONS: dict[str, tuple[str, str]] = {
    "create": ("DongBoHoSoMC", "/lgsp/ho-so/them-moi"),
    "update": ("CapNhatHoSoMC", "/lgsp/ho-so/cap-nhat"),
    "progress": ("CapNhatTienDoHoSoMC", "/lgsp/ho-so/tien-do"),
    "lookup": ("TraCuuHoSo", "/lgsp/ho-so/tra-cuu"),
    "counts": ("ThongKeHoSo", "/lgsp/thong-ke"),
    "indicators": ("LayChiSo766", "/lgsp/chi-so"),
    "catalogue_list": ("LayDanhSachTTHC", "/lgsp/thu-tuc/danh-sach"),
    "catalogue_get": ("LayThuTuc", "/lgsp/thu-tuc/chi-tiet"),
    "inbound_pull": ("LayHoSoMoi", "/lgsp/ho-so-moi"),
    "inbound_ack": ("XacNhanHoSoMoi", "/lgsp/ho-so-moi/xac-nhan"),
    "datastore": ("TraCuuKhoDuLieu", "/lgsp/kho-du-lieu/tra-cuu"),
}
AUTH_PATHS = {"login": "/dvc/dang-nhap", "service": "/dvc/service", "token": "/lgsp/token"}
OK_CODES = {0, "0", "00"}
EXISTS_CODES = {3, -3, "3", "-3"}
LOG_LIMIT = 20_000  # characters of a request or response kept in the log
_SECRET_FIELDS = ("session", "password", "access_token")


@dataclass
class Reply:
    reply_class: str
    status_code: int | None = None
    body: Any = None
    latency_ms: float = 0.0
    errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.reply_class == ReplyClass.OK

    @property
    def message(self) -> str:
        if isinstance(self.body, dict):
            return str(self.body.get("message") or self.body.get("MoTaLoi") or "")
        return "" if self.body is None else str(self.body)[:500]

    @property
    def result(self) -> Any:
        return self.body.get("result") if isinstance(self.body, dict) else None


class AuthError(Exception):
    """The target refused the credentials themselves (not an expired token)."""


def classify(status: int, body: Any) -> str:
    """Codes and HTTP status only — never the words of ``message``."""
    if status in (401, 403):
        return ReplyClass.AUTH
    if status in (502, 503, 504):
        return ReplyClass.DOWN
    if status >= 500 or status in (404, 405):
        # A wrong path is configuration, not the dossier's fault: retry after the fix.
        return ReplyClass.SERVER
    if not isinstance(body, dict):
        return ReplyClass.SERVER
    code = body.get("error_code", body.get("errorCode"))
    if status == 400:
        return ReplyClass.VALIDATION
    if code in OK_CODES:
        return ReplyClass.OK
    if code in EXISTS_CODES:
        return ReplyClass.EXISTS
    return ReplyClass.VALIDATION


def _redact(payload: Any) -> str:
    if isinstance(payload, dict):
        payload = {k: ("***" if k in _SECRET_FIELDS else v) for k, v in payload.items()}
    return json.dumps(payload, ensure_ascii=False, default=str)[:LOG_LIMIT]


_sessions = threading.local()


def http_session(target: Target) -> requests.Session:
    """One keep-alive session per target and thread (a worker reuses its connections)."""
    sessions = getattr(_sessions, "by_target", None)
    if sessions is None:
        sessions = _sessions.by_target = {}
    key = (target.pk, target.base_url)
    session = sessions.get(key)
    if session is None:
        session = sessions[key] = requests.Session()
        # The environment's proxies (no_proxy included) and CA bundle, read once:
        # requests would scan the whole environment again on every call.
        session.proxies.update(requests.utils.get_environ_proxies(target.base_url))
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        session.verify = bundle or True
        session.trust_env = False
    return session


@dataclass
class Credential:
    unit_code: str
    username: str
    secret: str
    cache_key: str


def credential_rows(target: Target) -> dict[int | None, UnitCredential]:
    """The target's credentials by agency (None: the default), for many look-ups."""
    return {row.agency_id: row for row in UnitCredential.objects.filter(target=target)}


def credential_for(
    target: Target, agency_id: int | None, unit_code: str, *, rows: dict | None = None
) -> Credential | None:
    """The unit's own credential, else the default one; ``rows`` from
    ``credential_rows`` saves the query when a caller resolves many units."""
    rows = credential_rows(target) if rows is None else rows
    row = rows.get(agency_id) or rows.get(None)
    if row is None:
        return None
    return Credential(
        unit_code=row.unit_code if row.agency_id else unit_code,
        username=row.username,
        secret=secret_decrypt(row.secret_encrypted),
        cache_key=f"integrations:token:{target.pk}:{row.pk}",
    )


class TargetClient:
    """Calls one target for one unit. ``attempts`` collects the log rows; the
    caller saves them in one INSERT (``attempts_save``)."""

    def __init__(self, target: Target, credential: Credential | None) -> None:
        self.target = target
        self.credential = credential
        self.attempts: list[SyncAttempt] = []

    # --- low level -------------------------------------------------------------------
    def _url(self, path: str) -> str:
        return self.target.base_url.rstrip("/") + path

    def _path(self, operation: str) -> tuple[str, str]:
        name, rest_path = OPERATIONS[operation]
        override = (self.target.paths or {}).get(operation)
        if self.target.transport == Transport.SERVICE:
            return override or name, (self.target.paths or {}).get("service", AUTH_PATHS["service"])
        return name, override or rest_path

    def post(
        self, url: str, *, operation: str, dossier_id: int | None, log_body: Any,
        classify_reply: Callable[[int, Any], str] = classify, **kwargs: Any,
    ) -> Reply:  # fmt: skip
        """One POST with the target's timeouts, classified and logged (not yet saved).
        Targets with their own reply codes (PayGov) pass their ``classify_reply``."""
        started = time.monotonic()
        status, body, reply_class, text = None, None, ReplyClass.DOWN, ""
        try:
            response = http_session(self.target).post(
                url, timeout=(self.target.connect_timeout, self.target.read_timeout), **kwargs
            )
            status, text = response.status_code, response.text
            try:
                body = response.json()
            except ValueError:
                body = None
            reply_class = classify_reply(status, body)
        except requests.Timeout as exc:
            reply_class, text = ReplyClass.TIMEOUT, f"{type(exc).__name__}: {exc}"
        except requests.RequestException as exc:
            reply_class, text = ReplyClass.DOWN, f"{type(exc).__name__}: {exc}"
        latency = (time.monotonic() - started) * 1000
        self.attempts.append(
            SyncAttempt(
                target=self.target, dossier_id=dossier_id, operation=operation, url=url[:300],
                request_body=_redact(log_body), status_code=status,
                response_body=text[:LOG_LIMIT], reply_class=reply_class, latency_ms=latency,
                at=timezone.now(),
            )
        )  # fmt: skip
        errors = body.get("errors", []) if isinstance(body, dict) else []
        return Reply(reply_class, status, body, latency, errors)

    # --- authentication --------------------------------------------------------------
    def _token(self, *, fresh: bool = False) -> str:
        credential = self.credential
        if credential is None:
            return ""
        if not fresh:
            token = cache.get(credential.cache_key)
            if token:
                return token
        if self.target.transport == Transport.SERVICE:
            reply = self.post(
                self._url((self.target.paths or {}).get("login", AUTH_PATHS["login"])),
                operation="login", dossier_id=None,
                log_body={"username": credential.username, "password": "***"},
                json={"username": credential.username, "password": credential.secret},
                headers={"dstcode": credential.unit_code},
            )  # fmt: skip
            token = reply.body.get("session", "") if isinstance(reply.body, dict) else ""
        else:
            reply = self.post(
                self._url((self.target.paths or {}).get("token", AUTH_PATHS["token"])),
                operation="token", dossier_id=None,
                log_body={"grant_type": "client_credentials", "client_id": credential.username},
                data={"grant_type": "client_credentials"},
                auth=(credential.username, credential.secret),
            )  # fmt: skip
            token = reply.body.get("access_token", "") if isinstance(reply.body, dict) else ""
        if reply.reply_class == ReplyClass.AUTH:
            raise AuthError(reply.message or "credentials refused")
        if token and reply.status_code == 200 and reply.reply_class == ReplyClass.VALIDATION:
            # An OAuth2 token reply has no error_code: a token in a 200 is success.
            reply.reply_class = self.attempts[-1].reply_class = ReplyClass.OK
        if not reply.ok and not token:
            return ""
        expires = 3600
        if isinstance(reply.body, dict):
            expires = int(reply.body.get("expires_in") or 3600)
        cache.set(credential.cache_key, token, max(expires - 60, 30))
        return token

    def call(self, operation: str, data: Any, *, dossier_id: int | None = None) -> Reply:
        """One operation; on 401 the token is renewed and the call made once more."""
        for fresh in (False, True):
            try:
                token = self._token(fresh=fresh)
            except AuthError:
                return Reply(ReplyClass.AUTH, 401)
            if self.credential is not None and not token:
                # The login call itself failed (down, timeout): its attempt is logged.
                last = self.attempts[-1] if self.attempts else None
                return Reply(last.reply_class if last else ReplyClass.DOWN)
            name, path = self._path(operation)
            if self.target.transport == Transport.SERVICE:
                unit = self.credential.unit_code if self.credential else ""
                envelope = {"session": token, "madonvi": unit, "service": name, "data": data}
                reply = self.post(
                    self._url(path), operation=operation, dossier_id=dossier_id,
                    log_body=envelope, json=envelope, headers={"dstcode": unit},
                )  # fmt: skip
            else:
                headers = {"Authorization": f"Bearer {token}"} if token else {}
                reply = self.post(
                    self._url(path), operation=operation, dossier_id=dossier_id,
                    log_body=data, json=data, headers=headers,
                )  # fmt: skip
            if reply.reply_class != ReplyClass.AUTH or self.credential is None:
                return reply
            cache.delete(self.credential.cache_key)
        return reply

    def attempts_save(self) -> None:
        if self.attempts:
            SyncAttempt.objects.bulk_create(self.attempts)
            self.attempts = []
