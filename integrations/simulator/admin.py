"""The admin API under ``/_admin/``: what tests, benchmarks and the demo use to set the
scene (config, catalogue, figures, faults) and to look at what the hub received.

No authentication: the simulator binds 127.0.0.1 by default and is never a real service.
"""

from __future__ import annotations

import base64
import binascii
import copy
import os
import urllib.parse
from typing import Any

from . import auth, datastore, faults, hub, inbound
from .state import HubState, as_int
from .web import BadRequest, Request, Response, json_response, not_found


def _ok(**fields: Any) -> Response:
    return json_response(200, {"ok": True, **fields})


def _bad(message: str) -> Response:
    return json_response(400, {"ok": False, "message": message})


def _body(req: Request) -> dict[str, Any]:
    body = req.json()
    if not isinstance(body, dict):
        raise BadRequest("Cần một đối tượng JSON")
    return body


def health(state: HubState) -> dict[str, Any]:
    with state.lock:
        return {
            "ok": True,
            "pid": os.getpid(),
            "dossiers": len(state.dossiers),
            "events": state.event_count,
            "inbound_pending": sum(1 for r in state.inbound.values() if not r["acknowledged"]),
            "payments": len(state.payments),
            "faults": len(state.faults),
            "state_file": str(state.path or ""),
        }


def full_state(state: HubState) -> dict[str, Any]:
    with state.lock:
        data = copy.deepcopy(state.snapshot(with_files=False))
        data["faults"] = copy.deepcopy(state.faults)
    return data


def handle(state: HubState, req: Request) -> Response:
    path = req.path[len("/_admin/") :].strip("/")
    method = req.method
    if method == "GET":
        return _get(state, req, path)
    if method == "DELETE" and path == "faults":
        with state.lock:
            state.faults.clear()
        return _ok()
    if method != "POST":
        return json_response(405, {"ok": False, "message": "Phương thức không hỗ trợ"})
    try:
        return _post(state, req, path)
    except ValueError as exc:  # includes BadRequest from a malformed body
        return _bad(str(exc))


def _get(state: HubState, req: Request, path: str) -> Response:
    if path == "health":
        return json_response(200, health(state))
    if path == "state":
        return json_response(200, full_state(state))
    if path == "dossiers":
        with state.lock:
            summary = {
                code: {
                    "MaDonVi": r["MaDonVi"],
                    "TrangThaiHoSo": r["header"].get("TrangThaiHoSo"),
                    "SoThuTu": r["header"].get("SoThuTu"),
                    "events": len(r["TienDo"]),
                }
                for code, r in state.dossiers.items()
            }
        return json_response(200, summary)
    if path.startswith("dossiers/"):
        code = urllib.parse.unquote(path[len("dossiers/") :])
        with state.lock:
            record = copy.deepcopy(state.dossiers.get(code))
        return json_response(200, record) if record else not_found("Không có hồ sơ này")
    if path == "inbound":
        with state.lock:
            return json_response(200, copy.deepcopy(list(state.inbound.values())))
    if path == "payments":
        with state.lock:
            return json_response(200, copy.deepcopy(state.payments))
    if path == "requests":
        limit = as_int(req.params().get("limit")) or 100
        with state.lock:
            rows = list(state.requests)[-limit:]
        return json_response(200, rows)
    if path == "faults":
        with state.lock:
            return json_response(200, copy.deepcopy(state.faults))
    if path == "config":
        with state.lock:
            return json_response(200, copy.deepcopy(state.config))
    return not_found()


def _post(state: HubState, req: Request, path: str) -> Response:
    if path == "reset":
        body = _body(req)
        everything = bool(body.get("all"))
        state.reset(
            config=everything or bool(body.get("config")),
            catalogue=everything or bool(body.get("catalogue")),
            datastore=everything or bool(body.get("datastore")),
            tokens=everything or bool(body.get("tokens")),
        )
        return _ok()
    if path == "config":
        body = _body(req)
        with state.lock:
            state.config.update(copy.deepcopy(body))
            state.touch()
            return json_response(200, copy.deepcopy(state.config))
    if path == "faults":
        body = req.json()
        rules = faults.normalise(body.get("rules") if isinstance(body, dict) else body)
        with state.lock:
            if isinstance(body, dict) and body.get("append"):
                state.faults.extend(rules)
            else:
                state.faults[:] = rules
            return json_response(200, copy.deepcopy(state.faults))
    if path == "faults/clear":
        with state.lock:
            state.faults.clear()
        return _ok()
    if path == "expire-tokens":
        auth.expire_all(state)
        return _ok()
    if path.startswith("records/"):
        code = urllib.parse.unquote(path[len("records/") :])
        record = hub.alter_record(state, code, _body(req))
        return json_response(200, record) if record else not_found("Không có hồ sơ này")
    if path == "inbound":
        body = _body(req)
        envelope = body.get("envelope", body)
        if body.get("files_as_urls"):
            envelope = inbound.files_to_urls(state, envelope, req.base_url)
        envelope, _first = inbound.queue(state, envelope)
        return json_response(200, envelope)
    if path == "catalogue":
        body = req.json()
        merge = isinstance(body, dict) and bool(body.get("merge"))
        procedures = body.get("procedures", body.get("items")) if isinstance(body, dict) else body
        return _ok(count=hub.set_catalogue(state, procedures, merge))
    if path == "datastore":
        return _ok(count=datastore.seed(state, _body(req), req.base_url))
    if path == "counts":
        body = _body(req)
        figure = as_int(body.get("SoHoSoTiepNhan"))
        if not body.get("MaDonVi") or figure is None:
            return _bad("Cần MaDonVi và SoHoSoTiepNhan (số nguyên)")
        key = hub.counts_key(body["MaDonVi"], body.get("TuNgay"), body.get("DenNgay"))
        with state.lock:
            state.counts[key] = figure
            state.touch()
        return _ok(key=key)
    if path == "indicators":
        body = _body(req)
        if not body.get("MaDonVi") or not body.get("Ky") or not isinstance(body.get("ChiSo"), list):
            return _bad("Cần MaDonVi, Ky và ChiSo (danh sách)")
        with state.lock:
            state.indicators[f"{body['MaDonVi']}|{body['Ky']}"] = copy.deepcopy(body)
            state.touch()
        return _ok()
    if path == "files":
        body = _body(req)
        try:
            data = base64.b64decode(str(body.get("base64") or ""), validate=True)
        except (binascii.Error, ValueError):
            return _bad("base64 không hợp lệ")
        name = str(body.get("name") or "tep")
        file_id = state.add_file(name, str(body.get("content_type") or ""), data)
        return _ok(id=file_id, url=f"{req.base_url}/tep/{file_id}", size=len(data))
    return not_found()
