"""The two transport styles of the hub (PROTOCOL.md §1) around one set of operations.

``service``: ``POST /dvc/service`` with ``{"session", "madonvi", "service", "data"}``;
validation failures answer HTTP 200. ``rest``: one path per operation, bearer token, the
body is the ``data``; validation failures answer HTTP 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import auth, datastore, hub, inbound
from .state import HubState
from .validation import Reply
from .web import Request, Response, json_response

Operation = Callable[[HubState, str, Any], Reply]

SERVICES: dict[str, Operation] = {
    "DongBoHoSoMC": hub.create,
    "CapNhatHoSoMC": hub.update,
    "CapNhatTienDoHoSoMC": hub.progress,
    "TraCuuHoSo": hub.lookup,
    "ThongKeHoSo": hub.counts,
    "LayChiSo766": hub.indicators,
    "LayDanhSachTTHC": hub.catalogue_list,
    "LayThuTuc": hub.catalogue_get,
    "LayHoSoMoi": inbound.pull,
    "XacNhanHoSoMoi": inbound.ack,
    "TraCuuKhoDuLieu": datastore.lookup,
}

REST_PATHS: dict[str, str] = {
    "/lgsp/ho-so/them-moi": "DongBoHoSoMC",
    "/lgsp/ho-so/cap-nhat": "CapNhatHoSoMC",
    "/lgsp/ho-so/tien-do": "CapNhatTienDoHoSoMC",
    "/lgsp/ho-so/tra-cuu": "TraCuuHoSo",
    "/lgsp/thong-ke": "ThongKeHoSo",
    "/lgsp/chi-so": "LayChiSo766",
    "/lgsp/thu-tuc/danh-sach": "LayDanhSachTTHC",
    "/lgsp/thu-tuc/chi-tiet": "LayThuTuc",
    "/lgsp/ho-so-moi": "LayHoSoMoi",
    "/lgsp/ho-so-moi/xac-nhan": "XacNhanHoSoMoi",
    "/lgsp/kho-du-lieu/tra-cuu": "TraCuuKhoDuLieu",
}

_UNAUTHORISED_SESSION = {"error_code": -1, "message": "Phiên làm việc không hợp lệ hoặc đã hết hạn"}
_UNAUTHORISED_TOKEN = {
    "error": "invalid_token",
    "error_code": -1,
    "message": "Mã truy cập không hợp lệ hoặc đã hết hạn",
}


def service_name(req: Request) -> str:
    """The NAME of a service-style call (for fault matching and the request log)."""
    body = req.json()
    return str(body.get("service") or "") if isinstance(body, dict) else ""


def _header_unit(data: Any) -> str:
    """A ``MaDonVi`` carried in the (first) header, if any."""
    first = data[0] if isinstance(data, list) and data else data
    return str(first.get("MaDonVi") or "") if isinstance(first, dict) else ""


def call_service(state: HubState, req: Request) -> Response:
    body = req.json()
    if not isinstance(body, dict):
        return json_response(400, {"error_code": -1, "message": "Cần một đối tượng JSON"})
    session_unit = auth.session_unit(state, body.get("session"))
    if session_unit is None:
        return json_response(401, _UNAUTHORISED_SESSION)
    name = str(body.get("service") or "")
    operation = SERVICES.get(name)
    if operation is None:
        return json_response(200, {"error_code": -1, "message": f"Dịch vụ không tồn tại: {name}"})
    unit = str(body.get("madonvi") or req.header("dstcode") or session_unit)
    reply = operation(state, unit, body.get("data"))
    return json_response(200, reply.envelope())


def call_rest(state: HubState, req: Request, name: str) -> Response:
    token_unit = auth.token_unit(state, req)
    if token_unit is None:
        return json_response(401, _UNAUTHORISED_TOKEN)
    data = req.json()
    unit = _header_unit(data) or token_unit
    reply = SERVICES[name](state, unit, data)
    return json_response(400 if reply.errors else 200, reply.envelope())
