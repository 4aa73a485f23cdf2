"""The citizen's data store (*kho quản lý dữ liệu điện tử*, PROTOCOL.md §6).

The reply is signed with HMAC-SHA256 (key: config ``datastore_secret``) over the canonical
JSON of ``result``: ``json.dumps(result, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))`` encoded as UTF-8. The portal keeps the signature as evidence.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
import hmac
import json
from typing import Any

from .state import HubState
from .validation import Reply


def canonical(result: Any) -> bytes:
    return json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sign(secret: str, result: Any) -> str:
    return hmac.new(secret.encode("utf-8"), canonical(result), hashlib.sha256).hexdigest()


def _wanted(item: dict[str, Any], filters: list[dict[str, Any]]) -> bool:
    if not filters:
        return True
    for rule in filters:
        if not isinstance(rule, dict):
            continue
        code, number = str(rule.get("MaKetQua") or ""), str(rule.get("SoKyHieu") or "")
        if code and code != str(item.get("MaKetQua") or ""):
            continue
        if number and number != str(item.get("SoKyHieu") or ""):
            continue
        return True
    return False


def lookup(state: HubState, unit: str, data: Any) -> Reply:
    """``TraCuuKhoDuLieu``: the owner's earlier results, optionally filtered."""
    owner = str(data.get("SoDinhDanhChuSoHuu") or "").strip() if isinstance(data, dict) else ""
    if not owner:
        errors = [{"field": "SoDinhDanhChuSoHuu", "message": "Trường bắt buộc"}]
        return Reply(
            -1,
            "Dữ liệu không hợp lệ",
            errors=errors,
            body={"errorCode": -1, "message": "Thiếu SoDinhDanhChuSoHuu", "errors": errors},
        )
    filters = data.get("DanhSachDanhMucKetQua") or []
    if not isinstance(filters, list):
        filters = []
    with state.lock:
        items = [
            copy.deepcopy(item)
            for item in state.datastore.get(owner, [])
            if isinstance(item, dict) and _wanted(item, filters)
        ]
        secret = str(state.config.get("datastore_secret") or "kho-du-lieu-demo")
    result = {"DanhSachGiayToKetQua": items}
    body = {"errorCode": 0, "message": "", "signature": sign(secret, result), "result": result}
    return Reply(0, "", result, body=body)


def seed(state: HubState, entries: Any, base_url: str) -> int:
    """Admin: set the results of each owner ID given (others are kept). An attachment
    given as ``Base64`` is stored and served under ``/tep/``; its ``DuongDan`` is filled in."""
    if not isinstance(entries, dict):
        raise ValueError('Cần {"<SoDinhDanh>": [giấy tờ kết quả]}')
    added = 0
    for owner, items in entries.items():
        if not isinstance(items, list):
            raise ValueError(f"{owner}: cần một danh sách")
        stored = []
        for item in items:
            item = copy.deepcopy(item)
            for attachment in item.get("DanhSachTepDinhKem") or []:
                if isinstance(attachment, dict) and attachment.get("Base64"):
                    try:
                        data = base64.b64decode(attachment.pop("Base64"), validate=True)
                    except (binascii.Error, ValueError) as exc:
                        raise ValueError(f"{owner}: Base64 không hợp lệ") from exc
                    file_id = state.add_file(
                        str(attachment.get("TenTep") or "tep"), "application/pdf", data
                    )
                    attachment.setdefault("DuongDan", f"{base_url}/tep/{file_id}")
            stored.append(item)
        with state.lock:
            state.datastore[str(owner)] = stored
            state.touch()
        added += len(stored)
    return added
