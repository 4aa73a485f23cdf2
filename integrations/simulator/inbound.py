"""Hub → province messages (PROTOCOL.md §4): the queue, the push with retries, the pull
and acknowledgement operations, and the background download of e-results.

A message stays in the pull queue until the province acknowledges it, either by answering
a push with ``error_code`` 0/1 or by ``XacNhanHoSoMoi``.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from . import faults
from .state import HubState, stamp
from .validation import Reply, error, invalid

PUSH_PAUSES = (1.0, 2.0, 4.0)  # seconds before each retry
ACK_CODES = {0, "0", "00", 1, "1", "01"}


def queue(state: HubState, envelope: dict[str, Any]) -> tuple[dict[str, Any], threading.Event]:
    """Store an envelope (filling ``MaBanTin``/``ThoiGianGui``) and start its push.

    Re-queueing a known ``MaBanTin`` makes it pending again and pushes it again, which is
    how a test makes the hub send a duplicate. The event is set after the first attempt."""
    envelope = copy.deepcopy(envelope)
    now = stamp()
    if not envelope.get("MaBanTin"):
        envelope["MaBanTin"] = f"BT{now}{state.next_seq('ban-tin'):06d}"
    envelope.setdefault("ThoiGianGui", now)
    envelope.setdefault("DuLieu", {})
    for key in ("LoaiBanTin", "MaHoSo", "MaDonVi"):
        envelope.setdefault(key, "")
    key = str(envelope["MaBanTin"])
    with state.lock:
        record = state.inbound.get(key)
        if record is None:
            record = state.inbound[key] = {"push": []}
        record.update(
            envelope=envelope,
            acknowledged=False,
            acknowledged_by="",
            acknowledged_at="",
            queued_at=now,
        )
        state.touch()
    first_attempt = threading.Event()
    if state.config.get("province_push_url"):
        threading.Thread(
            target=_push_loop, args=(state, key, first_attempt), name="hub-push", daemon=True
        ).start()
    else:
        first_attempt.set()
    return copy.deepcopy(envelope), first_attempt


def _acknowledge(state: HubState, key: str, by: str) -> bool:
    with state.lock:
        record = state.inbound.get(key)
        if record is None:
            return False
        if not record["acknowledged"]:
            record.update(acknowledged=True, acknowledged_by=by, acknowledged_at=stamp())
            state.touch()
        return True


def _push_once(state: HubState, key: str) -> dict[str, Any]:
    url = str(state.config.get("province_push_url") or "")
    token = str(state.config.get("province_push_token") or "")
    attempt: dict[str, Any] = {"at": stamp(), "url": url, "ok": False}
    with state.lock:
        record = state.inbound.get(key)
        if record is None:  # reset meanwhile
            attempt["error"] = "bản tin không còn"
            return attempt
        envelope = copy.deepcopy(record["envelope"])
    if faults.consume_pseudo(state, "inbound-push"):
        attempt["error"] = "bỏ qua do quy tắc lỗi inbound-push"
        return attempt
    request = urllib.request.Request(  # noqa: S310 — the configured province endpoint
        url,
        data=json.dumps(envelope, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except (OSError, ValueError) as exc:
        attempt["error"] = f"{type(exc).__name__}: {exc}"
        return attempt
    attempt["http_status"] = status
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if isinstance(body, dict):
        attempt["error_code"] = body.get("error_code")
        attempt["message"] = str(body.get("message") or "")[:300]
        attempt["ok"] = 200 <= status < 300 and body.get("error_code") in ACK_CODES
    else:
        attempt["message"] = raw[:300].decode("utf-8", "replace")
    return attempt


def _push_loop(state: HubState, key: str, first_attempt: threading.Event) -> None:
    try:
        for pause in (0.0, *PUSH_PAUSES):
            if pause:
                time.sleep(pause)
            with state.lock:
                record = state.inbound.get(key)
                if record is None or record["acknowledged"]:
                    return
            attempt = _push_once(state, key)
            with state.lock:
                if key in state.inbound:
                    state.inbound[key]["push"].append(attempt)
                    state.touch()
            first_attempt.set()
            if attempt["ok"]:
                _acknowledge(state, key, "push")
                return
    finally:
        first_attempt.set()


def push_summary(record: dict[str, Any]) -> str:
    """One Vietnamese line on where a message stands (the portal page shows it)."""
    if record.get("acknowledged"):
        how = "đẩy trực tiếp" if record.get("acknowledged_by") == "push" else "tỉnh lấy về"
        last = (record.get("push") or [{}])[-1]
        duplicate = " (tỉnh báo đã có)" if str(last.get("error_code")) in {"1", "01"} else ""
        return f"Hệ thống của tỉnh đã nhận ({how}){duplicate}."
    attempts = record.get("push") or []
    if not attempts:
        return "Đang chờ hệ thống của tỉnh lấy về."
    last = attempts[-1]
    reason = last.get("message") or last.get("error") or f"HTTP {last.get('http_status')}"
    return f"Chưa chuyển được ({len(attempts)} lần thử: {reason}); tỉnh có thể lấy về sau."


def files_to_urls(state: HubState, envelope: dict[str, Any], base_url: str) -> dict[str, Any]:
    """Admin convenience: ``TaiLieuNop[].Base64`` becomes a ``DuongDanTaiTepTin`` under /tep/,
    so a test can exercise the URL download path without a file server of its own."""
    envelope = copy.deepcopy(envelope)
    papers = (envelope.get("DuLieu") or {}).get("TaiLieuNop") or []
    for paper in papers:
        if isinstance(paper, dict) and paper.get("Base64"):
            data = base64.b64decode(paper.pop("Base64"))
            name = str(paper.get("TenTepDinhKem") or "tep")
            file_id = state.add_file(name, str(paper.get("LoaiTep") or ""), data)
            paper["DuongDanTaiTepTin"] = f"{base_url}/tep/{file_id}"
    return envelope


def pull(state: HubState, unit: str, data: Any) -> Reply:
    """``LayHoSoMoi``: envelopes not yet acknowledged, for ``MaDonVi`` (all when empty)."""
    wanted = str(data.get("MaDonVi") or "") if isinstance(data, dict) else ""
    with state.lock:
        envelopes = [
            copy.deepcopy(record["envelope"])
            for record in state.inbound.values()
            if not record["acknowledged"]
            and (not wanted or record["envelope"].get("MaDonVi") == wanted)
        ]
    return Reply(0, "", envelopes)


def ack(state: HubState, unit: str, data: Any) -> Reply:
    """``XacNhanHoSoMoi``: acknowledge by ``MaBanTin``; unknown ids are listed, not errors."""
    ids = data.get("MaBanTin") if isinstance(data, dict) else None
    if isinstance(ids, str):
        ids = [ids]
    if not isinstance(ids, list):
        return invalid([error("MaBanTin", "Cần một danh sách mã bản tin")])
    done, unknown = [], []
    for key in ids:
        (done if _acknowledge(state, str(key), "pull") else unknown).append(str(key))
    return Reply(0, "", {"DaXacNhan": done, "KhongTimThay": unknown})


def start_result_fetch(state: HubState, code: str, urls: list[str]) -> None:
    """Download e-results in the background and record what came back (``KetQuaTaiVe``)."""
    with state.lock:
        record = state.dossiers.get(code)
        done = {
            item["url"]
            for item in (record or {}).get("KetQuaTaiVe", [])
            if item.get("status") == 200
        }
    todo = [url for url in urls if url not in done]
    if todo:
        threading.Thread(
            target=_fetch, args=(state, code, todo), name="hub-fetch", daemon=True
        ).start()


def _fetch(state: HubState, code: str, urls: list[str]) -> None:
    for url in urls:
        item: dict[str, Any] = {"url": url, "at": stamp()}
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 — URL from the header
                data = response.read()
                item.update(status=response.status, bytes=len(data))
                item["sha256"] = hashlib.sha256(data).hexdigest()
        except urllib.error.HTTPError as exc:
            item.update(status=exc.code, bytes=0, sha256="")
        except (OSError, ValueError) as exc:
            item.update(status=0, bytes=0, sha256="", error=f"{type(exc).__name__}: {exc}")
        with state.lock:
            record = state.dossiers.get(code)
            if record is not None:
                record.setdefault("KetQuaTaiVe", []).append(item)
                state.touch()
