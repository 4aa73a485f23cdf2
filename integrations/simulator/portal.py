"""A minimal national portal: list procedures, submit a dossier (which becomes a ``HoSoMoi``
message for the province), follow its progress as the province syncs it, ask to withdraw.

It is what a citizen on DVCQG would see, so the end-to-end demo can start a dossier
nationally and watch the province's progress come back.
"""

from __future__ import annotations

import copy
import hashlib
import re
import urllib.parse
from typing import Any

from . import inbound
from .state import HubState, as_int, now_vn, stamp
from .validation import STATUS_LABELS
from .web import (
    BadRequest,
    Request,
    Response,
    e,
    format_stamp,
    page,
    parse_multipart,
    redirect,
)

TEXT_FIELDS = (
    ("ChuHoSo", "Họ và tên người nộp", "text", "name"),
    ("SoDinhDanh", "Số định danh cá nhân (12 chữ số)", "text", "off"),
    ("SoDienThoai", "Số điện thoại", "tel", "tel"),
    ("Email", "Thư điện tử", "email", "email"),
    ("DiaChi", "Địa chỉ", "text", "street-address"),
)


def _components(procedure: dict[str, Any]) -> list[tuple[str, str]]:
    """(MAGIAYTO, TENGIAYTO) of every listed component, in order."""
    out: list[tuple[str, str]] = []
    for group in procedure.get("THANHPHANHOSO") or []:
        for paper in (group or {}).get("GIAYTO") or []:
            if isinstance(paper, dict) and paper.get("MAGIAYTO"):
                out.append((str(paper["MAGIAYTO"]), str(paper.get("TENGIAYTO") or "")))
    return out


def list_page(state: HubState) -> Response:
    with state.lock:
        items = sorted(state.catalogue.items())
    if not items:
        return page("Danh sách thủ tục", "<p>Chưa có thủ tục nào trong CSDL TTHC quốc gia.</p>")
    rows = "".join(
        f"<tr><td>{e(code)}</td><td>{e(str(item.get('TENTTHC') or ''))}</td>"
        f'<td><a href="/cong-dvc/nop/{e(urllib.parse.quote(code))}">Nộp hồ sơ trực tuyến'
        f'<span class="hint"> — {e(code)}</span></a></td></tr>'
        for code, item in items
    )
    table = (
        '<table id="thu-tuc"><caption>Các thủ tục hành chính</caption><thead><tr>'
        '<th scope="col">Mã thủ tục (MATTHC)</th><th scope="col">Tên thủ tục</th>'
        f'<th scope="col">Thao tác</th></tr></thead><tbody>{rows}</tbody></table>'
    )
    return page("Danh sách thủ tục", table)


def _unit_field(state: HubState, procedure: dict[str, Any], value: str) -> str:
    units = sorted((state.config.get("units") or {}).keys())
    if units:
        options = "".join(
            f'<option value="{e(u)}"{" selected" if u == value else ""}>{e(u)}</option>'
            for u in units
        )
        control = f'<select id="MaDonVi" name="MaDonVi" required>{options}</select>'
    else:
        agencies = procedure.get("COQUANTHUCHIEN") or [{}]
        value = value or str((agencies[0] or {}).get("MADONVI") or "")
        control = (
            f'<input type="text" id="MaDonVi" name="MaDonVi" value="{e(value)}" required '
            'aria-describedby="MaDonVi-goi-y">'
            '<p class="hint" id="MaDonVi-goi-y">Mã đơn vị tiếp nhận của tỉnh.</p>'
        )
    return f'<label for="MaDonVi">Đơn vị tiếp nhận (mã đơn vị)</label>{control}'


def form_page(
    state: HubState,
    code: str,
    values: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> Response:
    with state.lock:
        procedure = copy.deepcopy(state.catalogue.get(code))
    if procedure is None:
        return page("Không tìm thấy thủ tục", f"<p>Không có thủ tục {e(code)}.</p>", 404)
    values = values or {}
    parts = []
    if errors:
        items = "".join(f"<li>{e(msg)}</li>" for msg in errors)
        parts.append(f'<div role="alert" class="error"><p>Vui lòng sửa:</p><ul>{items}</ul></div>')
    parts.append(f"<p>Thủ tục: <strong>{e(str(procedure.get('TENTTHC') or code))}</strong></p>")
    action = f"/cong-dvc/nop/{urllib.parse.quote(code)}"
    parts.append(f'<form method="post" action="{e(action)}" enctype="multipart/form-data">')
    parts.append("<fieldset><legend>Thông tin người nộp</legend>")
    for name, label, kind, autocomplete in TEXT_FIELDS:
        required = " required" if name in ("ChuHoSo", "SoDinhDanh") else ""
        extra = (
            ' inputmode="numeric" pattern="[0-9]{12}" maxlength="12"'
            if name == "SoDinhDanh"
            else ""
        )
        parts.append(
            f'<label for="{name}">{e(label)}</label><input type="{kind}" id="{name}" name="{name}"'
            f' value="{e(values.get(name, ""))}" autocomplete="{autocomplete}"{required}{extra}>'
        )
    checked = "" if values.get("_sent") and not values.get("VNeID") else " checked"
    parts.append(
        '<p class="checkbox"><input type="checkbox" id="VNeID" name="VNeID" value="1"'
        f'{checked}><label for="VNeID">Tài khoản đã xác thực VNeID</label></p></fieldset>'
    )
    parts.append("<fieldset><legend>Hồ sơ</legend>")
    parts.append(
        '<label for="TrichYeuHoSo">Trích yếu hồ sơ</label><textarea id="TrichYeuHoSo" '
        f'name="TrichYeuHoSo" rows="3" maxlength="1000">{e(values.get("TrichYeuHoSo", ""))}'
        "</textarea>"
    )
    parts.append(_unit_field(state, procedure, values.get("MaDonVi", "")))
    for paper_code, paper_name in _components(procedure):
        field = f"tp-{paper_code}"
        parts.append(
            f'<label for="{e(field)}">{e(paper_name or paper_code)} '
            f'<span class="hint">({e(paper_code)})</span></label>'
            f'<input type="file" id="{e(field)}" name="{e(field)}">'
        )
    parts.append('</fieldset><button type="submit" id="nop-ho-so">Nộp hồ sơ</button></form>')
    return page("Nộp hồ sơ trực tuyến", "\n".join(parts), 400 if errors else 200)


def submit(state: HubState, req: Request, code: str) -> Response:
    """Give the dossier a national code, queue a ``HoSoMoi`` message, show its page."""
    with state.lock:
        procedure = copy.deepcopy(state.catalogue.get(code))
    if procedure is None:
        return page("Không tìm thấy thủ tục", f"<p>Không có thủ tục {e(code)}.</p>", 404)
    content_type = req.header("Content-Type")
    try:
        if content_type.startswith("multipart/form-data"):
            fields, files = parse_multipart(content_type, req.body)
        else:
            fields, files = req.form(), {}
    except BadRequest as exc:
        return page("Yêu cầu không hợp lệ", f"<p>{e(str(exc))}</p>", 400)
    fields = {k: v.strip() for k, v in fields.items()}
    errors = []
    if not fields.get("ChuHoSo"):
        errors.append("Nhập họ và tên người nộp.")
    if not re.fullmatch(r"\d{12}", fields.get("SoDinhDanh", "")):
        errors.append("Số định danh cá nhân phải gồm đúng 12 chữ số.")
    unit = fields.get("MaDonVi", "")
    units = state.config.get("units") or {}
    if not unit or (units and unit not in units):
        errors.append("Chọn đơn vị tiếp nhận.")
    if errors:
        return form_page(state, code, {**fields, "_sent": "1"}, errors)
    now = now_vn()
    day = now.strftime("%y%m%d")
    prefix = str(state.config.get("code_prefix") or "")
    national_code = f"{prefix}{unit}-{day}-{state.next_seq(f'ma-ho-so:{unit}:{day}'):04d}"
    papers = []
    for paper_code, _name in _components(procedure):
        for filename, ctype, data in files.get(f"tp-{paper_code}", []):
            file_id = state.add_file(filename, ctype, data)
            papers.append(
                {
                    "TenTepDinhKem": filename,
                    "MaThanhPhanHoSo": paper_code,
                    "DuongDanTaiTepTin": f"{req.base_url}/tep/{file_id}",
                }
            )
    person = fields["SoDinhDanh"]
    envelope = {
        "LoaiBanTin": "HoSoMoi",
        "MaHoSo": national_code,
        "MaDonVi": unit,
        "DuLieu": {
            "MaTTHC": code,
            "TenTTHC": str(procedure.get("TENTTHC") or ""),
            "ChuHoSo": fields["ChuHoSo"],
            "SoDinhDanh": person,
            "LoaiDoiTuong": "1",
            "SoDienThoai": fields.get("SoDienThoai", ""),
            "Email": fields.get("Email", ""),
            "DiaChi": fields.get("DiaChi", ""),
            "TrichYeuHoSo": fields.get("TrichYeuHoSo", "")[:1000],
            "NgayNopHoSo": stamp(now),
            "MaDoiTuong": "TK" + hashlib.sha256(person.encode()).hexdigest()[:16].upper(),
            "TaiKhoanDuocXacThucVoiVNeID": "1" if fields.get("VNeID") else "0",
            "TaiLieuNop": papers,
        },
    }
    _queued, first_attempt = inbound.queue(state, envelope)
    first_attempt.wait(3.0)  # so the next page can already say whether the province has it
    return redirect(f"/cong-dvc/ho-so/{urllib.parse.quote(national_code)}")


def withdraw(state: HubState, req: Request, code: str) -> Response:
    """Queue a ``RutHoSo`` message for the dossier's receiving unit."""
    reason = req.form().get("LyDo", "").strip() or "Công dân yêu cầu rút hồ sơ"
    with state.lock:
        unit = next(
            (
                r["envelope"].get("MaDonVi", "")
                for r in state.inbound.values()
                if r["envelope"].get("MaHoSo") == code
            ),
            (state.dossiers.get(code) or {}).get("MaDonVi", ""),
        )
    if not unit:
        return page("Không tìm thấy hồ sơ", f"<p>Không có hồ sơ {e(code)}.</p>", 404)
    envelope = {
        "LoaiBanTin": "RutHoSo",
        "MaHoSo": code,
        "MaDonVi": unit,
        "DuLieu": {"LyDo": reason[:1000], "ThoiGianYeuCau": stamp()},
    }
    _queued, first_attempt = inbound.queue(state, envelope)
    first_attempt.wait(3.0)
    return redirect(f"/cong-dvc/ho-so/{urllib.parse.quote(code)}")


def _progress_table(events: list[dict[str, Any]]) -> str:
    rows = []
    for event in events:
        status = as_int(event.get("TrangThai")) or 0
        raw = str(event.get("ThoiDiemXuLy") or "")
        rows.append(
            f'<tr data-status="{status}" data-time="{e(raw)}">'
            f"<td>{e(str(event.get('SoThuTu') or ''))}</td><td>{status}</td>"
            f"<td>{e(STATUS_LABELS.get(status, ''))}</td><td>{e(format_stamp(raw))}</td>"
            f"<td>{e(str(event.get('NoiDungXuLy') or ''))}</td></tr>"
        )
    body = "".join(rows) or '<tr><td colspan="5">Tỉnh chưa đồng bộ tiến độ nào.</td></tr>'
    return (
        '<table id="tien-do"><caption>Tiến độ xử lý do tỉnh đồng bộ</caption><thead><tr>'
        '<th scope="col">Số thứ tự</th><th scope="col">Mã trạng thái</th>'
        '<th scope="col">Trạng thái</th><th scope="col">Thời điểm xử lý</th>'
        f'<th scope="col">Nội dung xử lý</th></tr></thead><tbody>{body}</tbody></table>'
    )


def status_page(state: HubState, code: str) -> Response:
    with state.lock:
        messages = [
            copy.deepcopy(r) for r in state.inbound.values() if r["envelope"].get("MaHoSo") == code
        ]
        record = copy.deepcopy(state.dossiers.get(code))
    if not messages and record is None:
        return page("Không tìm thấy hồ sơ", f"<p>Không có hồ sơ {e(code)}.</p>", 404)
    parts = [
        "<p>Mã hồ sơ quốc gia:</p>",
        f'<p id="ma-ho-so" class="ma-ho-so" aria-live="polite">{e(code)}</p>',
    ]
    if record is not None:
        status = as_int(record["header"].get("TrangThaiHoSo")) or 0
        parts.append(
            f'<p>Trạng thái hiện tại: <strong id="trang-thai" data-status="{status}">'
            f"{e(STATUS_LABELS.get(status, str(status)))}</strong></p>"
        )
    items = "".join(
        f'<li data-kind="{e(str(m["envelope"].get("LoaiBanTin")))}" '
        f'data-acknowledged="{"1" if m.get("acknowledged") else "0"}">'
        f"{e(str(m['envelope'].get('LoaiBanTin')))} ({e(str(m['envelope'].get('MaBanTin')))}): "
        f"{e(inbound.push_summary(m))}</li>"
        for m in messages
    )
    if items:
        parts.append(f'<h2>Chuyển đến hệ thống của tỉnh</h2><ul id="ket-qua-chuyen">{items}</ul>')
    parts.append("<h2>Tiến độ xử lý</h2>")
    parts.append(_progress_table(record["TienDo"] if record else []))
    quoted = urllib.parse.quote(code)
    parts.append(f'<p><a href="/cong-dvc/ho-so/{e(quoted)}" id="lam-moi">Làm mới trang</a></p>')
    parts.append(
        f'<h2>Rút hồ sơ</h2><form method="post" action="/cong-dvc/ho-so/{e(quoted)}/rut">'
        '<label for="LyDo">Lý do rút hồ sơ</label>'
        '<textarea id="LyDo" name="LyDo" rows="2" maxlength="1000"></textarea>'
        '<button type="submit" class="secondary" id="rut-ho-so">Yêu cầu rút hồ sơ</button></form>'
    )
    return page("Theo dõi hồ sơ", "\n".join(parts))
