"""The pull job: ``LayHoSoMoi`` per unit credential, each envelope through
``inbound_receive`` (as a push would be), then ``XacNhanHoSoMoi`` for those handled.

A deferred message (a file the hub could not serve) is not acknowledged, so the next
pull offers it again. The circuit breaker of the target is honoured."""

from __future__ import annotations

from typing import Any

from django.db.models import F

from ..models import Target, UnitCredential
from ..sync.breaker import breaker_allows, breaker_record
from ..transport import Credential, TargetClient, credential_for
from .receive import inbound_receive


def _pull_units(target: Target) -> list[tuple[str, Credential | None]]:
    """(MaDonVi asked for, credential): one per credential row; the default credential
    (no agency) asks last, for every unit (MaDonVi ""), so it only gets what is left."""
    rows = UnitCredential.objects.filter(target=target).order_by(
        F("agency_id").asc(nulls_last=True), "pk"
    )
    units = []
    for row in rows:
        credential = credential_for(target, row.agency_id, row.unit_code)
        units.append((row.unit_code if row.agency_id else "", credential))
    return units or [("", None)]


def inbound_pull(target: Target) -> dict[str, Any]:
    report: dict[str, Any] = {
        "calls": 0, "received": 0, "accepted": 0, "duplicate": 0, "unmapped": 0,
        "refused": 0, "deferred": 0, "acknowledged": 0, "errors": [],
    }  # fmt: skip
    for unit, credential in _pull_units(target):
        if not breaker_allows(target):
            report["errors"].append("circuit open")
            break
        client = TargetClient(target, credential)
        try:
            _pull_unit(target, client, unit, report)
        finally:
            client.attempts_save()
    return report


def _pull_unit(target: Target, client: TargetClient, unit: str, report: dict[str, Any]) -> None:
    reply = client.call("inbound_pull", {"MaDonVi": unit})
    breaker_record(target, reply.reply_class)
    report["calls"] += 1
    if not reply.ok or not isinstance(reply.result, list):
        report["errors"].append(f"{unit or '*'}: LayHoSoMoi {reply.reply_class} {reply.message}")
        return
    handled = []
    for envelope in reply.result:
        report["received"] += 1
        outcome = inbound_receive(envelope, "pull", target=target)
        key = "deferred" if outcome.deferred else str(outcome.status)
        report[key] = report.get(key, 0) + 1
        message_id = envelope.get("MaBanTin") if isinstance(envelope, dict) else None
        if outcome.acknowledged and message_id:
            handled.append(str(message_id))
    if not handled:
        return
    ack = client.call("inbound_ack", {"MaBanTin": handled})
    breaker_record(target, ack.reply_class)
    report["calls"] += 1
    if ack.ok:
        report["acknowledged"] += len(handled)
    else:
        report["errors"].append(f"{unit or '*'}: XacNhanHoSoMoi {ack.reply_class} {ack.message}")
