"""PayGov, the national payment platform (PROTOCOL.md §5): INIT, QUERY, the payment page
and the confirmation sent to the partner (server-to-server, then the browser redirect).

Reply codes (``MaLoi``): "00" accepted; "01" bad ``MaXacThuc`` or unknown partner;
"02" unknown ``MaThamChieu`` (QUERY); "03" malformed request or reference already paid.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from . import faults
from .state import HubState, stamp
from .web import Request, Response, e, format_money, json_response, page, redirect

INIT_FIELDS = (
    "LoaiBanTin",
    "PhienBan",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "LoaiHinhThanhToan",
    "MaKenhThanhToan",
    "MaThietBi",
    "NgonNgu",
    "MaTienTe",
    "MaNganHang",
    "ThongTinGiaoDich",
    "ThoiGianGD",
    "Ip",
)
QUERY_FIELDS = ("LoaiBanTin", "PhienBan", "MaDoiTac", "MaThamChieu", "ThoiGianGD")
CONFIRM_FIELDS = (
    "MaLoi",
    "MaDoiTac",
    "MaThamChieu",
    "SoTien",
    "MaTienTe",
    "MaGiaoDich",
    "MaNganHang",
    "TrangThaiGD",
    "ThoiGianGD",
)


def mac(body: dict[str, Any], fields: tuple[str, ...], secret: str) -> str:
    """SHA-256 hex of the fields' values joined with ``|``, then ``|<secret>``."""
    values = ["" if body.get(name) is None else str(body.get(name)) for name in fields]
    return hashlib.sha256("|".join([*values, secret]).encode("utf-8")).hexdigest()


def _valid(body: dict[str, Any], fields: tuple[str, ...], secret: str) -> bool:
    given = str(body.get("MaXacThuc") or "").lower()
    return hmac.compare_digest(given.encode(), mac(body, fields, secret).encode())


def _refuse(code: str, message: str, body: dict[str, Any]) -> Response:
    return json_response(
        200, {"MaLoi": code, "MoTaLoi": message, "MaThamChieu": body.get("MaThamChieu", "")}
    )


def init(state: HubState, req: Request) -> Response:
    """``POST /paygov/khoi-tao``: check ``MaXacThuc``, open the transaction."""
    body = req.json()
    if not isinstance(body, dict) or not body.get("MaThamChieu") or not body.get("SoTien"):
        return _refuse(
            "03", "Thiếu MaThamChieu hoặc SoTien", body if isinstance(body, dict) else {}
        )
    secret = state.paygov_partners().get(str(body.get("MaDoiTac") or ""))
    if secret is None or not _valid(body, INIT_FIELDS, secret):
        return _refuse("01", "Sai mã xác thực (MaXacThuc) hoặc đối tác không hợp lệ", body)
    if str(body.get("LoaiBanTin") or "") != "INIT":
        return _refuse("03", "LoaiBanTin phải là INIT", body)
    ref = str(body["MaThamChieu"])
    with state.lock:
        existing = state.payments.get(ref)
        if existing and existing["status"] == "1":
            return _refuse("03", "Mã tham chiếu đã được thanh toán", body)
        state.payments[ref] = {
            "init": copy.deepcopy(body),
            "status": "0",
            "confirmation": None,
            "ipn": [],
            "created": stamp(),
        }
        state.touch()
    url = f"{req.base_url}/paygov/thanh-toan/{urllib.parse.quote(ref, safe='')}"
    return json_response(
        200, {"MaLoi": "00", "MoTaLoi": "", "MaThamChieu": ref, "UrlThanhToan": url}
    )


def _confirmation(state: HubState, ref: str) -> dict[str, Any]:
    """The transaction's current confirmation fields (pending: ``TrangThaiGD`` "0")."""
    record = state.payments[ref]
    if record["confirmation"]:
        return dict(record["confirmation"])
    init_body = record["init"]
    partner = str(init_body.get("MaDoiTac") or "")
    fields = {
        "MaLoi": "00",
        "MoTaLoi": "Giao dịch đang chờ thanh toán",
        "MaDoiTac": partner,
        "MaThamChieu": ref,
        "ThoiGianGD": str(init_body.get("ThoiGianGD") or ""),
        "SoTien": str(init_body.get("SoTien") or ""),
        "MaTienTe": str(init_body.get("MaTienTe") or "VND"),
        "MaGiaoDich": "",
        "MaNganHang": str(init_body.get("MaNganHang") or ""),
        "TrangThaiGD": "0",
    }
    fields["MaXacThuc"] = mac(fields, CONFIRM_FIELDS, state.paygov_partners().get(partner, ""))
    return fields


def query(state: HubState, req: Request) -> Response:
    """``POST /paygov/truy-van``: the current confirmation of a reference."""
    body = req.json()
    if not isinstance(body, dict):
        return _refuse("03", "Cần một đối tượng JSON", {})
    secret = state.paygov_partners().get(str(body.get("MaDoiTac") or ""))
    if secret is None or not _valid(body, QUERY_FIELDS, secret):
        return _refuse("01", "Sai mã xác thực (MaXacThuc) hoặc đối tác không hợp lệ", body)
    ref = str(body.get("MaThamChieu") or "")
    with state.lock:
        if ref not in state.payments:
            return _refuse("02", "Không tìm thấy giao dịch", body)
        return json_response(200, _confirmation(state, ref))


def payment_page(state: HubState, req: Request, ref: str) -> Response:
    with state.lock:
        record = copy.deepcopy(state.payments.get(ref))
    if record is None:
        return page("Không tìm thấy giao dịch", "<p>Mã tham chiếu không tồn tại.</p>", 404)
    init_body = record["init"]
    action = f"/paygov/thanh-toan/{urllib.parse.quote(ref, safe='')}/xac-nhan"
    rows = [
        ("Đơn vị nhận (đối tác)", init_body.get("MaDoiTac")),
        ("Mã tham chiếu", ref),
        ("Nội dung", init_body.get("ThongTinGiaoDich")),
        (
            "Số tiền",
            f"{format_money(init_body.get('SoTien'))} {init_body.get('MaTienTe') or 'VND'}",
        ),
    ]
    table = "".join(
        f'<tr><th scope="row">{e(k)}</th><td>{e(str(v or ""))}</td></tr>' for k, v in rows
    )
    if record["status"] != "0":
        done = "đã thanh toán" if record["status"] == "1" else "đã hủy"
        buttons = f'<p class="ok" role="status">Giao dịch {done}.</p>'
    else:
        buttons = (
            f'<form method="post" action="{e(action)}">'
            '<input type="hidden" name="result" value="paid">'
            '<button type="submit" id="thanh-toan">Thanh toán</button></form>'
            f'<form method="post" action="{e(action)}">'
            '<input type="hidden" name="result" value="cancel">'
            '<button type="submit" class="secondary" id="huy-giao-dich">Hủy giao dịch</button>'
            "</form>"
        )
    body = f'<table id="giao-dich"><caption>Thông tin giao dịch</caption>{table}</table>{buttons}'
    return page("Thanh toán trực tuyến (PayGov)", body)


def _send_ipn(state: HubState, ref: str, url: str, confirmation: dict[str, Any]) -> dict:
    attempt: dict[str, Any] = {"at": stamp(), "url": url}
    if faults.consume_pseudo(state, "paygov-ipn"):
        attempt["dropped"] = True
        return attempt
    request = urllib.request.Request(  # noqa: S310 — the partner's configured UrlThongBao
        url,
        data=json.dumps(confirmation, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            attempt.update(
                status=response.status, body=response.read(500).decode("utf-8", "replace")
            )
    except urllib.error.HTTPError as exc:
        attempt.update(status=exc.code, body=exc.read(500).decode("utf-8", "replace"))
    except (OSError, ValueError) as exc:
        attempt.update(status=0, error=f"{type(exc).__name__}: {exc}")
    return attempt


def confirm(state: HubState, req: Request, ref: str) -> Response:
    """The citizen pressed a button: confirm to the partner, then send the browser back."""
    result = req.form().get("result", "")
    if result not in ("paid", "cancel"):
        return page("Yêu cầu không hợp lệ", "<p>Thiếu kết quả giao dịch.</p>", 400)
    with state.lock:
        record = state.payments.get(ref)
        if record is None:
            return page("Không tìm thấy giao dịch", "<p>Mã tham chiếu không tồn tại.</p>", 404)
        fresh = record["confirmation"] is None
        if fresh:
            init_body = record["init"]
            partner = str(init_body.get("MaDoiTac") or "")
            paid = result == "paid"
            fields = {
                "MaLoi": "00",
                "MoTaLoi": "Giao dịch thành công" if paid else "Giao dịch bị hủy",
                "MaDoiTac": partner,
                "MaThamChieu": ref,
                "ThoiGianGD": stamp(),
                "SoTien": str(init_body.get("SoTien") or ""),
                "MaTienTe": str(init_body.get("MaTienTe") or "VND"),
                "MaGiaoDich": f"PG{stamp()}{state.next_seq('giao-dich'):06d}",
                "MaNganHang": str(init_body.get("MaNganHang") or "NHMOPHONG"),
                "TrangThaiGD": "1" if paid else "2",
            }
            secret = state.paygov_partners().get(partner, "")
            fields["MaXacThuc"] = mac(fields, CONFIRM_FIELDS, secret)
            record.update(confirmation=fields, status=fields["TrangThaiGD"], confirmed=stamp())
            state.touch()
        confirmation = dict(record["confirmation"])
        notify = str(record["init"].get("UrlThongBao") or "")
        back = str(record["init"].get("UrlTraVe") or "")
    if fresh and notify:
        attempt = _send_ipn(state, ref, notify, confirmation)
        with state.lock:
            if ref in state.payments:  # unless reset meanwhile
                state.payments[ref]["ipn"].append(attempt)
                state.touch()
    if back:
        joiner = "&" if "?" in back else "?"
        return redirect(back + joiner + urllib.parse.urlencode(confirmation))
    text = "Thanh toán thành công." if confirmation["TrangThaiGD"] == "1" else "Giao dịch đã hủy."
    return page("Kết quả giao dịch", f'<p class="ok" role="status">{e(text)}</p>')
