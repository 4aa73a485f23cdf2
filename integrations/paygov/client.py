"""HTTP calls to PayGov. PayGov has no session or bearer token (every message
carries its own MaXacThuc), so this is a plain JSON POST with the target's
timeouts; each call is logged as a SyncAttempt for the sync dashboard."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import requests
from django.utils import timezone

from ..models import ReplyClass, SyncAttempt, Target
from ..transport import LOG_LIMIT, http_session

# operation → default path; a target overrides them in ``Target.paths``.
PATHS = {"paygov_init": "/paygov/khoi-tao", "paygov_query": "/paygov/truy-van"}


@dataclass
class PayGovReply:
    reply_class: str
    status_code: int | None
    body: Any

    @property
    def code(self) -> str:
        """MaLoi, or "" when the body is not a PayGov answer."""
        return str(self.body.get("MaLoi") or "") if isinstance(self.body, dict) else ""


def _classify(status: int, body: Any) -> str:
    """From the HTTP status and MaLoi only, never from MoTaLoi's words."""
    if status in (401, 403):
        return ReplyClass.AUTH
    if status in (502, 503, 504):
        return ReplyClass.DOWN
    if status >= 500 or status in (404, 405) or not isinstance(body, dict):
        return ReplyClass.SERVER
    return ReplyClass.OK if str(body.get("MaLoi") or "") == "00" else ReplyClass.VALIDATION


def paygov_post(
    target: Target, operation: str, body: dict[str, Any], *, dossier_id: int | None = None
) -> PayGovReply:
    url = target.base_url.rstrip("/") + (target.paths or {}).get(operation, PATHS[operation])
    started = time.monotonic()
    status, reply_body, text = None, None, ""
    try:
        response = http_session(target).post(
            url, json=body, timeout=(target.connect_timeout, target.read_timeout)
        )
        status, text = response.status_code, response.text
        try:
            reply_body = response.json()
        except ValueError:
            reply_body = None
        reply_class = _classify(status, reply_body)
    except requests.Timeout as exc:
        reply_class, text = ReplyClass.TIMEOUT, f"{type(exc).__name__}: {exc}"
    except requests.RequestException as exc:
        reply_class, text = ReplyClass.DOWN, f"{type(exc).__name__}: {exc}"
    SyncAttempt.objects.create(
        target=target, dossier_id=dossier_id, operation=operation, url=url[:300],
        request_body=json.dumps(body, ensure_ascii=False)[:LOG_LIMIT], status_code=status,
        response_body=text[:LOG_LIMIT], reply_class=reply_class,
        latency_ms=(time.monotonic() - started) * 1000, at=timezone.now(),
    )  # fmt: skip
    return PayGovReply(reply_class, status, reply_body)
