"""HTTP calls to PayGov, through the shared client (timeouts, attempt log) with
PayGov's own reply codes (MaLoi)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..models import ReplyClass, Target
from ..transport import TargetClient

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
    """PayGov has no session or bearer token (every message carries its own
    MaXacThuc): a plain POST through the shared client, logged like every call."""
    url = target.base_url.rstrip("/") + (target.paths or {}).get(operation, PATHS[operation])
    client = TargetClient(target, credential=None)
    reply = client.post(
        url, operation=operation, dossier_id=dossier_id, log_body=body, json=body,
        classify_reply=_classify,
    )  # fmt: skip
    client.attempts_save()
    return PayGovReply(reply.reply_class, reply.status_code, reply.body)
