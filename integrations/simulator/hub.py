"""The hub's dossier operations: create/update headers, progress events, look-up, counts,
the official 766 values and the procedure catalogue (PROTOCOL.md §1–3).

Every operation is ``op(state, unit, data) -> Reply``; ``unit`` is the calling unit
(``madonvi``/``dstcode`` or the token's unit). They are transport-agnostic: ``api.py``
wraps them in the service or rest envelope.
"""

from __future__ import annotations

import copy
from typing import Any

from . import inbound
from .state import HubState, as_int, stamp
from .validation import (
    Reply,
    as_items,
    check_event,
    check_header,
    error,
    in_range,
    invalid,
    range_bounds,
)


def _number(value: Any) -> int:
    return as_int(value) or 0


def _result_urls(header: dict[str, Any]) -> list[str]:
    items = header.get("DanhSachGiayToKetQua") or []
    if not isinstance(items, list):
        return []
    return [
        str(item["DuongDanTepTinKetQua"])
        for item in items
        if isinstance(item, dict) and item.get("DuongDanTepTinKetQua")
    ]


def _headers(state: HubState, data: Any) -> tuple[list[dict[str, Any]], Reply | None]:
    items, errors = as_items(data, "hồ sơ")
    if errors:
        return [], invalid(errors)
    catalogue = state.catalogue if state.config.get("strict_catalogue") else None
    many = len(items) > 1
    for index, header in enumerate(items):
        errors += check_header(header, index, many, catalogue)
    return items, (invalid(errors) if errors else None)


def _maybe_fetch(state: HubState, code: str, header: dict[str, Any]) -> None:
    if state.config.get("fetch_results"):
        urls = _result_urls(header)
        if urls:
            inbound.start_result_fetch(state, code, urls)


def create(state: HubState, unit: str, data: Any) -> Reply:
    """``DongBoHoSoMC``: a known ``MaHoSo`` answers 3 (the client switches to update)."""
    items, failed = _headers(state, data)
    if failed:
        return failed
    created, existing = [], []
    now = stamp()
    with state.lock:
        for header in items:
            code = str(header["MaHoSo"]).strip()
            if code in state.dossiers or code in created:
                existing.append(code)
                continue
            state.dossiers[code] = {
                "MaHoSo": code,
                "MaDonVi": unit,
                "header": copy.deepcopy(header),
                "TienDo": [],
                "first_seen": now,
                "updated": now,
                "header_versions": 1,
            }
            state.seen[code] = set()
            created.append(code)
        state.touch()
    for header in items:
        if str(header["MaHoSo"]).strip() in created:
            _maybe_fetch(state, str(header["MaHoSo"]).strip(), header)
    if existing:
        return Reply(3, "Hồ sơ đã tồn tại", {"DaTonTai": existing, "DaTao": created})
    return Reply(0, "", {"MaHoSo": created[0]} if len(created) == 1 else {"DaTao": created})


def update(state: HubState, unit: str, data: Any) -> Reply:
    """``CapNhatHoSoMC``: a header with a lower ``SoThuTu`` than the stored one is a late
    duplicate (acknowledged, ignored); an equal one is a header-only change and replaces it.
    An unknown ``MaHoSo`` is a validation failure."""
    items, failed = _headers(state, data)
    if failed:
        return failed
    with state.lock:
        unknown = [
            str(h["MaHoSo"]).strip()
            for h in items
            if str(h["MaHoSo"]).strip() not in state.dossiers
        ]
    if unknown:
        return invalid(
            [error("MaHoSo", f"Hồ sơ chưa được đồng bộ: {code}") for code in unknown],
            "Hồ sơ không tồn tại",
        )
    updated, ignored, fetch = [], [], []
    now = stamp()
    with state.lock:
        for header in items:
            code = str(header["MaHoSo"]).strip()
            record = state.dossiers.get(code)
            if record is None:  # dropped meanwhile
                continue
            stored = record["header"].get("SoThuTu")
            incoming = header.get("SoThuTu")
            if (
                incoming not in (None, "")
                and stored not in (None, "")
                and _number(incoming) < _number(stored)
            ):
                ignored.append(code)
                continue
            record["header"] = copy.deepcopy(header)
            record["updated"] = now
            record["header_versions"] = record.get("header_versions", 1) + 1
            updated.append(code)
            fetch.append((code, header))
        state.touch()
    for code, header in fetch:
        _maybe_fetch(state, code, header)
    return Reply(0, "", {"DaCapNhat": updated, "BoQua": ignored})


def progress(state: HubState, unit: str, data: Any) -> Reply:
    """``CapNhatTienDoHoSoMC``: events stored in arrival order; a repeated
    (``MaHoSo``, ``SoThuTu``) is acknowledged and not stored twice. All-or-nothing."""
    items, errors = as_items(data, "sự kiện")
    if errors:
        return invalid(errors)
    many = len(items) > 1
    with state.lock:
        for index, event in enumerate(items):
            known = str(event.get("MaHoSo") or "").strip() in state.dossiers
            errors += check_event(event, index, many, known)
        if errors:
            return invalid(errors)
        stored = duplicates = 0
        for event in items:
            code = str(event["MaHoSo"]).strip()
            number = as_int(event["SoThuTu"]) or 0
            seen = state.seen.setdefault(code, set())
            if number in seen:
                duplicates += 1
                continue
            seen.add(number)
            record = state.dossiers[code]
            record["TienDo"].append(event)
            stored += 1
        if stored:
            state.event_count += stored
            state.dirty = True
    return Reply(0, "", {"SoSuKienMoi": stored, "SoSuKienTrung": duplicates})


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {**record["header"], "TienDo": list(record["TienDo"])}


def lookup(state: HubState, unit: str, data: Any) -> Reply:
    """``TraCuuHoSo`` by codes (only codes the hub knows) or by unit and date range
    (``NgayTiepNhan``, else ``NgayNopHoSo``, within [TuNgay, DenNgay])."""
    if not isinstance(data, dict):
        return invalid([error("data", "Cần một đối tượng")])
    if "MaHoSo" in data:
        codes = data["MaHoSo"]
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list):
            return invalid([error("MaHoSo", "Cần một danh sách mã hồ sơ")])
        with state.lock:
            found = [
                copy.deepcopy(_public(state.dossiers[str(code)]))
                for code in codes
                if str(code) in state.dossiers
            ]
        return Reply(0, "", found)
    wanted = str(data.get("MaDonVi") or "")
    low, high = range_bounds(data.get("TuNgay"), data.get("DenNgay"))
    with state.lock:
        found = [
            copy.deepcopy(_public(record))
            for record in state.dossiers.values()
            if (not wanted or record["MaDonVi"] == wanted)
            and in_range(
                record["header"].get("NgayTiepNhan") or record["header"].get("NgayNopHoSo"),
                low,
                high,
            )
        ]
    return Reply(0, "", found)


def counts_key(unit: Any, start: Any, end: Any) -> str:
    return f"{unit or ''}|{start or ''}|{end or ''}"


def counts(state: HubState, unit: str, data: Any) -> Reply:
    """``ThongKeHoSo``: synced dossiers received in the range, and the national reporting
    total (an admin-set figure for exactly this unit and range, else the synced count)."""
    if not isinstance(data, dict):
        return invalid([error("data", "Cần một đối tượng")])
    wanted = str(data.get("MaDonVi") or "")
    start, end = data.get("TuNgay"), data.get("DenNgay")
    low, high = range_bounds(start, end)
    synced: dict[str, int] = {}
    with state.lock:
        if wanted:
            synced[wanted] = 0
        for record in state.dossiers.values():
            if wanted and record["MaDonVi"] != wanted:
                continue
            if in_range(record["header"].get("NgayTiepNhan"), low, high):
                synced[record["MaDonVi"]] = synced.get(record["MaDonVi"], 0) + 1
        rows = []
        for code, number in sorted(synced.items()):
            reported = state.counts.get(counts_key(code, start, end), number)
            rows.append({"MaDonVi": code, "SoHoSoTiepNhan": reported, "SoHoSoDongBo": number})
    return Reply(0, "", rows)


def indicators(state: HubState, unit: str, data: Any) -> Reply:
    """``LayChiSo766``: the official figures an administrator set for a unit and period."""
    if not isinstance(data, dict) or not data.get("Ky"):
        return invalid([error("Ky", "Trường bắt buộc")])
    wanted = str(data.get("MaDonVi") or unit)
    with state.lock:
        stored = state.indicators.get(f"{wanted}|{data['Ky']}")
        figures = copy.deepcopy(stored["ChiSo"]) if stored else []
    return Reply(0, "", {"Ky": str(data["Ky"]), "MaDonVi": wanted, "ChiSo": figures})


def catalogue_list(state: HubState, unit: str, data: Any) -> Reply:
    """``LayDanhSachTTHC``: procedures updated on or after ``CapNhatTu`` (yyyyMMdd prefix)."""
    since = str((data or {}).get("CapNhatTu") or "")[:8] if isinstance(data, dict) else ""
    with state.lock:
        rows = [
            {
                "MATTHC": code,
                "TENTTHC": item.get("TENTTHC", ""),
                "NGAYCAPNHAT": item.get("NGAYCAPNHAT", ""),
            }
            for code, item in sorted(state.catalogue.items())
            if str(item.get("NGAYCAPNHAT") or "")[:8] >= since
        ]
    return Reply(0, "", rows)


def catalogue_get(state: HubState, unit: str, data: Any) -> Reply:
    """``LayThuTuc``: the full procedure object, or -1 "Không tìm thấy"."""
    code = str((data or {}).get("MaTTHC") or "") if isinstance(data, dict) else ""
    with state.lock:
        item = state.catalogue.get(code)
        found = copy.deepcopy(item) if item else None
    if found is None:
        return Reply(-1, "Không tìm thấy", None)
    return Reply(0, "", found)


def set_catalogue(state: HubState, procedures: Any, merge: bool) -> int:
    """Admin: replace (or merge into) the catalogue; NGAYCAPNHAT defaults to now."""
    if not isinstance(procedures, list) or not all(
        isinstance(p, dict) and p.get("MATTHC") for p in procedures
    ):
        raise ValueError("Cần một danh sách đối tượng LayThuTuc có MATTHC")
    now = stamp()
    with state.lock:
        if not merge:
            state.catalogue = {}
        for item in procedures:
            stored = copy.deepcopy(item)
            stored.setdefault("NGAYCAPNHAT", now)
            state.catalogue[str(item["MATTHC"])] = stored
        state.touch()
        return len(state.catalogue)


def alter_record(state: HubState, code: str, change: dict[str, Any]) -> dict[str, Any] | None:
    """Admin: drop or alter a national record (reconciliation tests)."""
    with state.lock:
        record = state.dossiers.get(code)
        if record is None:
            return None
        if change.get("drop"):
            state.event_count -= len(record["TienDo"])
            del state.dossiers[code]
            state.seen.pop(code, None)
            state.touch()
            return {"MaHoSo": code, "dropped": True}
        if isinstance(change.get("set"), dict):
            record["header"].update(change["set"])
            if "MaDonVi" in change["set"]:
                record["MaDonVi"] = str(change["set"]["MaDonVi"])
        if change.get("drop_events_after") is not None:
            limit = as_int(change["drop_events_after"]) or 0
            kept = [e for e in record["TienDo"] if (as_int(e.get("SoThuTu")) or 0) <= limit]
            state.event_count -= len(record["TienDo"]) - len(kept)
            record["TienDo"] = kept
            state.seen[code] = {as_int(e.get("SoThuTu")) or 0 for e in kept}
        state.touch()
        return copy.deepcopy(record)
