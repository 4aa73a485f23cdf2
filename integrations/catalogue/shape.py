"""The ``LayThuTuc`` object (national-sync.md §6) read into what a local version holds,
and a local version written in that shape (to seed a simulator, or to compare).

Only the parts the local model holds are read: name, channels, time limit and fees per
channel, components, results and legal basis."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from procedures.models import FeeKind, ProcedureVersion
from tthc_portal.text import fold
from tthc_portal.workdays.calendar import TimeUnit

IN_PERSON, ONLINE, POSTAL = 1, 2, 3
CHANNEL_FLAGS = {IN_PERSON: "channel_in_person", ONLINE: "channel_online", POSTAL: "channel_postal"}
UNIT_LABELS = {
    TimeUnit.WORKING_DAYS: "Ngày làm việc",
    TimeUnit.WORKING_HOURS: "Giờ làm việc",
    TimeUnit.CALENDAR_DAYS: "Ngày",
    TimeUnit.SAME_DAY: "Trong ngày",
    TimeUnit.IMMEDIATE: "Ngay khi nhận đủ hồ sơ",
}
DOCUMENT_NUMBER = re.compile(r"\d+/\d{4}/[\w.-]+")


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str:
    return " ".join(str(value if value is not None else "").split())


def time_unit_of(label: Any) -> str | None:
    """DONVITINH → a local time unit (None: a unit the portal cannot count in)."""
    text = fold(_text(label))
    if not text:
        return None
    if "trong ngay" in text:
        return TimeUnit.SAME_DAY.value
    if "ngay khi" in text or "ngay lap tuc" in text:
        return TimeUnit.IMMEDIATE.value
    if "gio" in text:
        return TimeUnit.WORKING_HOURS.value
    if "lam viec" in text and "ngay" in text:
        return TimeUnit.WORKING_DAYS.value
    if text in ("ngay", "ngay (lich)", "ngay lich"):
        return TimeUnit.CALENDAR_DAYS.value
    return None


def amount_of(value: Any) -> int:
    """Amounts as written: 50000, 50.000, 50,000 đồng, 50000.00 are all 50000."""
    text = re.sub(r"[.,]\d{1,2}$", "", _text(value))
    digits = re.sub(r"\D", "", text)
    return int(digits) if digits else 0


@dataclass
class NationalTime:
    limit: Decimal | None
    unit: str | None
    label: str
    text: str


@dataclass
class NationalProcedure:
    code: str
    updated: str
    name: str
    channels: set[int] = field(default_factory=set)
    times: dict[int, NationalTime] = field(default_factory=dict)
    fees: list[dict[str, Any]] | None = None  # fee rows in the local FeeItem shape
    components: list[str] | None = None
    results: list[str] | None = None
    legal: list[tuple[str, str]] | None = None  # (SOVANBAN, TENVANBAN)


def _time(entries: list[dict[str, Any]]) -> NationalTime | None:
    """The longest time of a channel (a local version keeps the longest of its cases)."""
    best: NationalTime | None = None
    for entry in entries:
        raw = _text(entry.get("THOIGIANGIAIQUYET")).replace(",", ".")
        try:
            limit = Decimal(raw) if raw else None
        except InvalidOperation:
            limit = None
        current = NationalTime(
            limit, time_unit_of(entry.get("DONVITINH")), _text(entry.get("DONVITINH")),
            _text(entry.get("MOTA")),
        )  # fmt: skip
        if best is None or (current.limit or 0) > (best.limit or 0):
            best = current
    return best


def _fees(by_channel: dict[int, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One row per fee (MAPHILEPHI, else its description): the in-person (or postal)
    amount, and the online amount when it differs. Zero rows are left out."""
    rows: dict[str, dict[str, Any]] = {}
    for channel in (IN_PERSON, POSTAL, ONLINE):
        for fee in by_channel.get(channel, []):
            key = _text(fee.get("MAPHILEPHI")) or fold(_text(fee.get("MOTA")))
            row = rows.setdefault(key, {"name": _text(fee.get("MOTA")) or "Phí, lệ phí"})
            amount = amount_of(fee.get("SOTIEN"))
            if channel == ONLINE:
                row["online"] = amount
            else:
                row.setdefault("amount", amount)
    result = []
    for row in rows.values():
        amount = row.get("amount", row.get("online", 0))
        online = row.get("online", amount)
        if not amount and not online:
            continue
        kind = FeeKind.CHARGE if "le phi" in fold(row["name"]) else FeeKind.FEE
        result.append({
            "kind": kind, "name": row["name"][:255], "amount_vnd": amount,
            "online_amount_vnd": online if online != amount else None,
        })  # fmt: skip
    return result


def national_read(item: dict[str, Any]) -> NationalProcedure:
    """The parts of a ``LayThuTuc`` object a local version holds (None: not given)."""
    national = NationalProcedure(
        code=_text(item.get("MATTHC")), updated=_text(item.get("NGAYCAPNHAT")),
        name=_text(item.get("TENTTHC")),
    )  # fmt: skip
    if "CACHTHUCTHUCHIEN" in item:
        fees_by_channel: dict[int, list[dict[str, Any]]] = {}
        for way in _list(item.get("CACHTHUCTHUCHIEN")):
            channel = amount_of(way.get("KENH"))
            if channel not in CHANNEL_FLAGS:
                continue
            national.channels.add(channel)
            entries = _list(way.get("THOIGIAN"))
            time = _time(entries)
            if time is not None:
                national.times[channel] = time
            for entry in entries:
                fees_by_channel.setdefault(channel, []).extend(_list(entry.get("PHILEPHI")))
        national.fees = _fees(fees_by_channel)
    if "THANHPHANHOSO" in item:
        national.components = [
            _text(paper.get("TENGIAYTO"))
            for group in _list(item.get("THANHPHANHOSO"))
            for paper in _list(group.get("GIAYTO"))
            if _text(paper.get("TENGIAYTO"))
        ]
    if "KETQUATHUCHIEN" in item:
        national.results = [
            _text(r.get("TENKETQUA")) for r in _list(item["KETQUATHUCHIEN"]) if r.get("TENKETQUA")
        ]
    if "CANCUPHAPLY" in item:
        national.legal = [
            (_text(doc.get("SOVANBAN")), _text(doc.get("TENVANBAN")))
            for doc in _list(item["CANCUPHAPLY"])
            if doc.get("SOVANBAN") or doc.get("TENVANBAN")
        ]
    return national


def _number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f")


def version_national(version: ProcedureVersion, code: str, updated: str = "") -> dict[str, Any]:
    """A local version in the ``LayThuTuc`` shape (what the simulator's catalogue serves)."""
    ways = []
    for channel, flag in CHANNEL_FLAGS.items():
        if not getattr(version, flag):
            continue
        fees = []
        for fee in version.fees.all():
            amount = fee.amount_vnd
            if channel == ONLINE and fee.online_amount_vnd is not None:
                amount = fee.online_amount_vnd
            if amount:
                fees.append({"MAPHILEPHI": f"PL{fee.pk}", "SOTIEN": str(amount), "DONVI": "Đồng",
                             "MOTA": fee.name})  # fmt: skip
        ways.append({
            "KENH": str(channel),
            "THOIGIAN": [{
                "THOIGIANGIAIQUYET": _number(version.time_limit),
                "DONVITINH": UNIT_LABELS.get(TimeUnit(version.time_unit), ""),
                "MOTA": version.time_text, "PHILEPHI": fees,
            }],
        })  # fmt: skip
    field = version.field
    agency = version.implementing_agency
    return {
        "MATTHC": code,
        "TENTTHC": version.name,
        "NGAYCAPNHAT": updated,
        "LINHVUCTHUCHIEN": [{"MALINHVUC": field.code, "TENLINHVUC": field.name}] if field else [],
        "CACHTHUCTHUCHIEN": ways,
        "THANHPHANHOSO": [{"TRUONGHOP": "", "GIAYTO": [
            {"MAGIAYTO": str(c.pk), "TENGIAYTO": c.name, "TENMAUDON": "", "URL": ""}
            for c in version.components.all()
        ]}],
        "KETQUATHUCHIEN": [{"MAKETQUA": "", "TENKETQUA": version.result_text}]
        if version.result_text else [],
        "CANCUPHAPLY": [
            {"SOVANBAN": (DOCUMENT_NUMBER.search(b.title) or [""])[0], "TENVANBAN": b.title}
            for b in version.legal_bases.all()
        ],
        "YEUCAU": version.conditions,
        "TRANGTHAI": "1",
        "COQUANTHUCHIEN": [{"TENDONVI": agency.name, "MADONVI": agency.code}] if agency else [],
    }  # fmt: skip
