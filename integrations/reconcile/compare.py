"""What the portal holds of a dossier against what the hub returns for it.

Only what the portal has already sent is compared: a dossier with rows still
pending, being sent or dead is "in flight" (its difference is the backlog or a
dead letter, shown on their own), and the expected values are those the
header and the acknowledged progress rows carried.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from dossiers.models import TERMINAL_STATUSES, Dossier, Status

from ..config import national_status_map
from ..hub.messages import wire_time
from ..models import DifferenceKind, EventKind, EventStatus, SyncEvent, Target

DATE_FIELDS = (
    ("NgayTiepNhan", "received_at"),
    ("NgayHenTra", "due_at"),
    ("NgayKetThucXuLy", "completed_at"),
    ("NgayTra", "returned_at"),
)
UNSENT = (EventStatus.PENDING, EventStatus.SENDING, EventStatus.DEAD)


@dataclass
class LocalDossier:
    pk: int
    code: str
    status: str
    agency_id: int
    dates: dict[str, datetime.datetime | None]
    last_national_status: int | None
    in_flight: bool
    # (SoThuTu, TrangThai, ThoiDiemXuLy) of the progress rows the hub acknowledged.
    events: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Found:
    kind: str
    field: str = ""
    local: str = ""
    national: str = ""


def candidates(target: Target, closed_since: datetime.datetime) -> list[LocalDossier]:
    """Open dossiers and those closed since ``closed_since`` that have a code and
    sync rows, or should have them (received). One query."""
    rows = SyncEvent.objects.filter(target=target, dossier=OuterRef("pk"))
    closed_at = Coalesce("returned_at", "completed_at", "updated_at")
    queryset = (
        Dossier.objects.exclude(code__isnull=True)
        .exclude(code="")
        .exclude(status=Status.DRAFT)
        .filter(Q(received_at__isnull=False) | Exists(rows))
        .annotate(closed_at=closed_at)
        .filter(~Q(status__in=TERMINAL_STATUSES) | Q(closed_at__gte=closed_since))
        .annotate(
            in_flight=Exists(rows.filter(status__in=UNSENT)),
            last=F("sync__last_national_status"),
        )
        .order_by("pk")
        .values_list(
            "pk", "code", "status", "receiving_agency_id", "in_flight", "last",
            *(name for _wire, name in DATE_FIELDS),
        )
    )  # fmt: skip
    found = []
    for pk, code, status, agency_id, in_flight, last, *dates in queryset:
        found.append(
            LocalDossier(
                pk, code, status, agency_id,
                dict(zip((wire for wire, _name in DATE_FIELDS), dates, strict=True)),
                last, in_flight,
            )
        )  # fmt: skip
    return found


def sent_events(target: Target, dossiers: list[LocalDossier]) -> None:
    """Attach the acknowledged progress rows to each dossier (one query per batch)."""
    by_pk = {d.pk: d for d in dossiers}
    rows = (
        SyncEvent.objects.filter(
            target=target, dossier_id__in=list(by_pk), kind=EventKind.PROGRESS,
            status=EventStatus.SENT,
        )
        .order_by("dossier_id", "seq")
        .values_list("dossier_id", "seq", "national_status", "payload__ThoiDiemXuLy")
    )  # fmt: skip
    for dossier_id, seq, status, at in rows:
        by_pk[dossier_id].events.append((seq, status or 0, str(at or "")))


def expected_status(dossier: LocalDossier) -> str:
    """The code the header carried: the status's national code, else the last
    one sent (never 0, as ``hub.messages`` builds it)."""
    code, _synced = national_status_map().get(dossier.status, (None, False))
    return str(code or dossier.last_national_status or 1)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _event_text(status: Any, at: Any) -> str:
    return f"{_text(status)} | {_text(at)}"


def differences(dossier: LocalDossier, remote: dict[str, Any] | None) -> list[Found]:
    """Every divergence between the local dossier and the hub's record of it."""
    if remote is None:
        return [Found(DifferenceKind.MISSING)]
    found = []
    status = expected_status(dossier)
    if _text(remote.get("TrangThaiHoSo")) != status:
        found.append(
            Found(
                DifferenceKind.STATUS, "TrangThaiHoSo", status, _text(remote.get("TrangThaiHoSo"))
            )
        )
    for wire, value in dossier.dates.items():
        local, national = wire_time(value), _text(remote.get(wire))
        if local != national:
            found.append(Found(DifferenceKind.DATES, wire, local, national))
    hub: dict[int, tuple[str, str]] = {}
    for event in remote.get("TienDo") or []:
        if isinstance(event, dict) and _text(event.get("SoThuTu")).isdigit():
            hub[int(_text(event["SoThuTu"]))] = (
                _text(event.get("TrangThai")),
                _text(event.get("ThoiDiemXuLy")),
            )
    local_seqs = set()
    for seq, status_code, at in dossier.events:
        local_seqs.add(seq)
        mine = (str(status_code), at)
        theirs = hub.get(seq)
        if theirs != mine:
            national = _event_text(*theirs) if theirs else ""
            found.append(
                Found(DifferenceKind.EVENTS, f"TienDo[{seq}]", _event_text(*mine), national)
            )
    for seq in sorted(set(hub) - local_seqs):
        found.append(Found(DifferenceKind.EVENTS, f"TienDo[{seq}]", "", _event_text(*hub[seq])))
    return found
