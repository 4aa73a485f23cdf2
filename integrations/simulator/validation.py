"""The reply type of hub operations and the checks the hub makes on what units send.

Every check yields ``{"field", "message"}`` items (PROTOCOL.md §1); the transport layer
turns a non-empty list into ``error_code -1`` (HTTP 200 service style, 400 rest style).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .state import as_int

HEADER_REQUIRED = ("MaHoSo", "MaTTHC", "ChuHoSo", "KenhThucHien", "NgayNopHoSo", "TrangThaiHoSo")
HEADER_DATES = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
)
EVENT_REQUIRED = ("MaHoSo", "SoThuTu", "TrangThai", "ThoiDiemXuLy")
EVENT_DATES = ("ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh")

STATUS_LABELS = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}


@dataclass
class Reply:
    """What an operation answers; ``body`` replaces the standard envelope when set."""

    code: int = 0
    message: str = ""
    result: Any = None
    errors: list[dict[str, str]] = field(default_factory=list)
    body: dict[str, Any] | None = None

    def envelope(self) -> dict[str, Any]:
        if self.body is not None:
            return self.body
        out: dict[str, Any] = {"error_code": self.code, "message": self.message}
        if self.errors:
            out["errors"] = self.errors
        else:
            out["result"] = self.result
        return out


def invalid(errors: list[dict[str, str]], message: str = "Dữ liệu không hợp lệ") -> Reply:
    return Reply(code=-1, message=message, errors=errors)


def error(name: str, message: str) -> dict[str, str]:
    return {"field": name, "message": message}


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def is_stamp(value: Any) -> bool:
    text = _text(value)
    return len(text) == 14 and text.isdigit()


def as_items(data: Any, what: str) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """``data`` must be an array of objects (one object alone is accepted too)."""
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list) or not data:
        return [], [error("data", f"Cần một mảng {what} không rỗng")]
    if not all(isinstance(item, dict) for item in data):
        return [], [error("data", f"Mỗi phần tử phải là một {what}")]
    return data, []


def _prefix(index: int, many: bool) -> str:
    return f"[{index}]." if many else ""


def check_header(
    header: dict[str, Any], index: int = 0, many: bool = False, catalogue: dict | None = None
) -> list[dict[str, str]]:
    """Required fields, code ranges and date formats of one dossier header (§2)."""
    pre = _prefix(index, many)
    errors = [
        error(pre + name, "Trường bắt buộc")
        for name in HEADER_REQUIRED
        if not _text(header.get(name))
    ]
    status = as_int(header.get("TrangThaiHoSo"))
    if _text(header.get("TrangThaiHoSo")) and (status is None or not 1 <= status <= 10):
        errors.append(error(pre + "TrangThaiHoSo", "Phải là số nguyên từ 1 đến 10"))
    channel = as_int(header.get("KenhThucHien"))
    if _text(header.get("KenhThucHien")) and (channel is None or not 1 <= channel <= 3):
        errors.append(error(pre + "KenhThucHien", "Phải là 1, 2 hoặc 3"))
    for name in HEADER_DATES:
        if _text(header.get(name)) and not is_stamp(header.get(name)):
            errors.append(error(pre + name, "Ngày phải có dạng yyyyMMddHHmmss (14 chữ số)"))
    number = header.get("SoThuTu")
    if _text(number) and (as_int(number) is None or as_int(number) < 0):  # type: ignore[operator]
        errors.append(error(pre + "SoThuTu", "Phải là số nguyên không âm"))
    procedure = _text(header.get("MaTTHC"))
    if catalogue is not None and procedure and procedure not in catalogue:
        errors.append(error(pre + "MaTTHC", "Thủ tục không có trong CSDL TTHC quốc gia"))
    return errors


def check_event(event: dict[str, Any], index: int, many: bool, known: bool) -> list[dict[str, str]]:
    """Required fields, status 1–10 (0 refused) and dates of one progress event (§3)."""
    pre = _prefix(index, many)
    errors = [
        error(pre + name, "Trường bắt buộc")
        for name in EVENT_REQUIRED
        if not _text(event.get(name))
    ]
    number = as_int(event.get("SoThuTu"))
    if _text(event.get("SoThuTu")) and (number is None or number < 1):
        errors.append(error(pre + "SoThuTu", "Phải là số nguyên từ 1"))
    if _text(event.get("TrangThai")):
        status = as_int(event.get("TrangThai"))
        if status == 0:
            errors.append(error(pre + "TrangThai", "Trạng thái 0 không được chấp nhận"))
        elif status is None or not 1 <= status <= 10:
            errors.append(error(pre + "TrangThai", "Phải là số nguyên từ 1 đến 10"))
    for name in EVENT_DATES:
        if _text(event.get(name)) and not is_stamp(event.get(name)):
            errors.append(error(pre + name, "Ngày phải có dạng yyyyMMddHHmmss (14 chữ số)"))
    if _text(event.get("MaHoSo")) and not known:
        errors.append(error(pre + "MaHoSo", "Hồ sơ chưa được đồng bộ lên hệ thống"))
    return errors


def range_bounds(start: Any, end: Any) -> tuple[str, str]:
    """``TuNgay``/``DenNgay`` as yyyyMMdd or yyyyMMddHHmmss → inclusive 14-digit bounds."""
    low, high = _text(start), _text(end)
    if len(low) == 8:
        low += "000000"
    if len(high) == 8:
        high += "235959"
    return low, high or "99999999999999"


def in_range(value: Any, low: str, high: str) -> bool:
    text = _text(value)
    return bool(text) and low <= text <= high
