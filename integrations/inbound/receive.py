"""The one entry point for messages from the national portal, pushed or pulled."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..config import active_target
from ..models import (
    InboundKind,
    InboundMessage,
    InboundStatus,
    MapKind,
    SyncAttempt,
    Target,
    TargetKind,
    UnmappedItem,
)
from .envelope import Inbound, InboundOutcome, deferred, envelope_errors
from .files import FileDeferred
from .followups import rating_receive, supplement_receive, withdrawal_receive
from .new_dossier import new_dossier_receive, parked_import
from .payments import payment_receive

logger = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[[Inbound], InboundOutcome]] = {
    InboundKind.NEW: new_dossier_receive,
    InboundKind.WITHDRAW: withdrawal_receive,
    InboundKind.SUPPLEMENT: supplement_receive,
    InboundKind.PAYMENT: payment_receive,
    InboundKind.RATING: rating_receive,
}


def _handle(msg: Inbound, handler: Callable[[Inbound], InboundOutcome]) -> InboundOutcome:
    try:
        return handler(msg)
    except FileDeferred as exc:
        return deferred(exc.message)
    finally:
        if msg.attempts:
            SyncAttempt.objects.bulk_create(msg.attempts)
            msg.attempts = []


def inbound_receive(envelope: Any, via: str, *, target: Target | None = None) -> InboundOutcome:
    """Handle one envelope (PROTOCOL.md §4); the outcome carries the reply."""
    errors = envelope_errors(envelope)
    if errors:
        return InboundOutcome(-1, InboundStatus.REFUSED, " ".join(errors))
    target = target or active_target(TargetKind.HUB)
    if target is None:
        return deferred(_("Chưa cấu hình kết nối với Cổng Dịch vụ công quốc gia."))
    msg = Inbound(target=target, envelope=envelope, via=via)
    known = InboundMessage.objects.filter(message_id=msg.message_id).first()
    if known is not None:
        # The same message again: the same answer (a refusal stays a refusal).
        if known.status == InboundStatus.REFUSED:
            return InboundOutcome(-1, known.status, known.error, known.pk, known.dossier_id)
        text = _("Đã nhận bản tin này trước đó.")
        return InboundOutcome(1, InboundStatus.DUPLICATE, text, known.pk, known.dossier_id)
    outcome = _handle(msg, HANDLERS[msg.kind])
    logger.info(
        "inbound %s %s %s via %s: %s %s", msg.kind, msg.message_id, msg.code, via,
        outcome.status, outcome.message,
    )  # fmt: skip
    return outcome


def _waiting(item: UnmappedItem) -> Q:
    if item.kind == MapKind.PROCEDURE:
        return Q(payload__DuLieu__MaTTHC=item.value)
    if item.kind == MapKind.UNIT:
        return Q(payload__MaDonVi=item.value)
    return Q(pk__in=[])


def inbound_retry_unmapped(item: UnmappedItem | InboundMessage) -> dict[str, int]:
    """Import again the parked messages of an unmapped value (or one parked message).

    The item is marked resolved once no message waits for its value any more."""
    if isinstance(item, InboundMessage):
        target = active_target(TargetKind.HUB)
        rows = [item]
    else:
        target = item.target
        rows = list(
            InboundMessage.objects.filter(
                _waiting(item), kind=InboundKind.NEW, status=InboundStatus.UNMAPPED
            ).order_by("received_at", "pk")
        )
    report = {"retried": 0, "accepted": 0, "unmapped": 0, "refused": 0, "deferred": 0}
    for row in rows:
        if target is None or row.status != InboundStatus.UNMAPPED:
            continue
        msg = Inbound(target=target, envelope=row.payload, via=row.via)
        outcome = _handle(msg, lambda m, row=row: parked_import(m, row))
        report["retried"] += 1
        key = "deferred" if outcome.deferred else str(outcome.status)
        report[key] = report.get(key, 0) + 1
    if isinstance(item, UnmappedItem) and item.resolved_at is None:
        still = InboundMessage.objects.filter(
            _waiting(item), kind=InboundKind.NEW, status=InboundStatus.UNMAPPED
        )
        if not still.exists():
            item.resolved_at = timezone.now()
            item.save(update_fields=["resolved_at"])
    return report
