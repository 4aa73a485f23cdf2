"""One inbound message being handled, the answer it gets, and how it is kept.

Answers follow PROTOCOL.md §4: ``error_code`` 0 accepted (a message parked in the
unmapped queue is accepted too: the hub must not resend it), 1 duplicate, −1 refused.
A *deferred* message (a file could not be fetched for a reason that may pass) is
neither kept nor acknowledged, so the hub offers it again."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier

from ..hub.messages import FORMAT
from ..models import InboundKind, InboundMessage, InboundStatus, SyncAttempt, Target
from .files import payload_without_files

DEFERRED = "deferred"
MAX_ID = 100
MAX_CODE = 64


@dataclass
class Inbound:
    """An envelope on its way in, with the calls made for it (file downloads)."""

    target: Target
    envelope: dict[str, Any]
    via: str
    attempts: list[SyncAttempt] = field(default_factory=list)

    @property
    def message_id(self) -> str:
        return str(self.envelope.get("MaBanTin") or "").strip()

    @property
    def kind(self) -> str:
        return str(self.envelope.get("LoaiBanTin") or "").strip()

    @property
    def code(self) -> str:
        return str(self.envelope.get("MaHoSo") or "").strip()

    @property
    def unit(self) -> str:
        return str(self.envelope.get("MaDonVi") or "").strip()

    @property
    def data(self) -> dict[str, Any]:
        data = self.envelope.get("DuLieu")
        return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class InboundOutcome:
    error_code: int
    status: str  # an InboundStatus value, or DEFERRED
    message: str = ""
    inbound_id: int | None = None
    dossier_id: int | None = None

    @property
    def deferred(self) -> bool:
        return self.status == DEFERRED

    @property
    def acknowledged(self) -> bool:
        """Whether the hub may forget the message (everything but a deferral)."""
        return not self.deferred

    def reply(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error_code": self.error_code}
        if self.message:
            body["message"] = self.message
        return body


def envelope_errors(envelope: Any) -> list[str]:
    """What makes an envelope unusable (nothing is kept for it)."""
    if not isinstance(envelope, dict):
        return [_("Bản tin phải là một đối tượng JSON.")]
    errors = []
    message_id = str(envelope.get("MaBanTin") or "").strip()
    if not message_id or len(message_id) > MAX_ID:
        errors.append(_("Thiếu hoặc sai MaBanTin."))
    if str(envelope.get("LoaiBanTin") or "") not in InboundKind.values:
        errors.append(_("LoaiBanTin không được hỗ trợ."))
    code = str(envelope.get("MaHoSo") or "").strip()
    if not code or len(code) > MAX_CODE:
        errors.append(_("Thiếu hoặc sai MaHoSo."))
    if "DuLieu" in envelope and not isinstance(envelope["DuLieu"], dict):
        errors.append(_("DuLieu phải là một đối tượng JSON."))
    return errors


def wire_datetime(value: Any) -> datetime | None:
    """A ``yyyyMMddHHmmss`` value in the portal's time zone, or None."""
    try:
        naive = datetime.strptime(str(value or "").strip(), FORMAT)
    except ValueError:
        return None
    return timezone.make_aware(naive)


def message_keep(
    msg: Inbound,
    status: str,
    *,
    payload: dict[str, Any] | None = None,
    dossier: Dossier | None = None,
    problems: list[dict] | None = None,
    error: str = "",
) -> InboundMessage | None:
    """Keep the message; None when a twin with the same MaBanTin was kept meanwhile.

    Without a ``payload`` the envelope is kept without its Base64 contents (written
    aside unless the message is a duplicate)."""
    if payload is None:
        store = status != InboundStatus.DUPLICATE
        payload, _released = payload_without_files(msg, None, attached=set(), store=store)
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                message_id=msg.message_id, kind=msg.kind, national_code=msg.code,
                unit_code=msg.unit[:64], via=msg.via, payload=payload,
                status=status, dossier=dossier, problems=problems or [], error=error,
            )  # fmt: skip
    except IntegrityError:
        return None


def refused(
    msg: Inbound, text: str, *, dossier: Dossier | None = None, payload: dict | None = None
) -> InboundOutcome:
    row = message_keep(msg, InboundStatus.REFUSED, dossier=dossier, error=text, payload=payload)
    return InboundOutcome(
        -1, InboundStatus.REFUSED, text, row.pk if row else None, dossier.pk if dossier else None
    )


def duplicate(msg: Inbound, dossier: Dossier | None, text: str = "") -> InboundOutcome:
    text = text or _("Đã nhận bản tin này trước đó.")
    row = message_keep(msg, InboundStatus.DUPLICATE, dossier=dossier, error=text)
    return InboundOutcome(
        1, InboundStatus.DUPLICATE, text, row.pk if row else None, dossier.pk if dossier else None
    )


class MessageTaken(Exception):
    """The MaBanTin (or, for a new dossier, the national code) was kept concurrently."""


def message_claim(
    msg: Inbound, *, dossier: Dossier | None = None, payload: dict | None = None
) -> InboundMessage:
    """Inside the caller's transaction: the accepted row, written before the change it
    records, so a concurrent twin fails here and the change rolls back with it."""
    row = message_keep(msg, InboundStatus.ACCEPTED, dossier=dossier, payload=payload)
    if row is None:
        raise MessageTaken(msg.message_id)
    return row


def accepted(row: InboundMessage, message: str = "") -> InboundOutcome:
    return InboundOutcome(0, row.status, message, row.pk, row.dossier_id)


def taken() -> InboundOutcome:
    return InboundOutcome(1, InboundStatus.DUPLICATE, _("Đã nhận bản tin này trước đó."))


def deferred(text: str) -> InboundOutcome:
    return InboundOutcome(-1, DEFERRED, text)
