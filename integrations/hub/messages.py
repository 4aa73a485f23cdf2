"""The dossier header and progress events in the hub's field names (national-sync.md §2–§3).

Events are snapshots taken in the transition's transaction; the header is built
when it is sent, from the dossier as it is then."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from dossiers.models import DocumentKind, Dossier, PaymentStatus, StatusHistory
from procedures.models import DataSource

from ..config import code_maps, national_status_map, unmapped_record
from ..links import file_link
from ..models import MapKind, Target

FORMAT = "%Y%m%d%H%M%S"


def wire_time(value: datetime | None) -> str:
    return timezone.localtime(value).strftime(FORMAT) if value else ""


class Unmapped(Exception):
    """A code the target needs has no mapping (the item is in the unmapped queue)."""

    def __init__(self, kind: str, value: str) -> None:
        super().__init__(f"{kind}: {value}")
        self.kind, self.value = kind, value


def procedure_code(target: Target, dossier: Dossier) -> str:
    procedure = dossier.procedure_version.procedure
    local = procedure.code or f"local:{procedure.pk}"
    mapped = code_maps(target).get((MapKind.PROCEDURE, local))
    if mapped:
        return mapped
    if procedure.code:
        # The national code itself, localised with its suffix, is what the hub knows.
        return procedure.localised_code
    unmapped_record(
        target, MapKind.PROCEDURE, local, direction="out",
        context={"procedure": procedure.pk, "name": dossier.procedure_version.name[:200]},
    )  # fmt: skip
    raise Unmapped(MapKind.PROCEDURE, local)


def unit_code(target: Target, agency) -> str:
    return code_maps(target).get((MapKind.UNIT, agency.code), agency.code)


def applicant_type(dossier: Dossier) -> str:
    """LoaiDoiTuong: 1 citizen, 2 enterprise (a tax code has 10 or 13 digits)."""
    number = (dossier.applicant_id_number or "").replace("-", "")
    return "2" if len(number) in (10, 13) else "1"


def progress_event(dossier: Dossier, history: StatusHistory, national: int) -> dict:
    """The event of one transition, without ``MaHoSo`` (a dossier may get its code
    later) and ``SoThuTu`` (the outbox row's)."""
    step = dossier.current_step
    actor = history.actor
    unit = (step.agency if step is not None and step.agency_id else None) or (
        dossier.processing_agency or dossier.receiving_agency
    )
    from dossiers.workflow import TRANSITIONS

    transition = TRANSITIONS.get(history.action)
    return {
        "NguoiXuLy": (actor.display_name if actor is not None else "Hệ thống"),
        "ChucDanh": "",
        "PhongBanXuLy": unit.name if unit is not None else "",
        "ThoiDiemXuLy": wire_time(history.at),
        "NoiDungXuLy": str(transition.label) if transition else history.action,
        "TrangThai": str(national),
        "NgayBatDau": wire_time(step.started_at if step is not None else history.at),
        "NgayKetThucTheoQuyDinh": wire_time(
            (step.due_at if step is not None and step.due_at else None) or dossier.due_at
        ),
    }


def _national_status(dossier: Dossier, last_sent: int | None) -> str:
    code, _synced = national_status_map().get(dossier.status, (None, False))
    # A state without a national equivalent sends the last mapped code, never 0.
    return str(code or last_sent or 1)


def dossier_header(target: Target, dossier: Dossier, *, seq: int, last_status: int | None) -> dict:
    """The full header, as the hub's create/update take it."""
    version = dossier.procedure_version
    field = version.field
    agency = dossier.receiving_agency
    header = {
        "MaHoSo": dossier.code,
        "MaDonVi": unit_code(target, agency),
        "SoThuTu": str(seq),
        "MaTTHC": procedure_code(target, dossier),
        "TenTTHC": version.name,
        "MaLinhVuc": code_maps(target).get((MapKind.SECTOR, field.code), field.code)
        if field is not None
        else "",
        "TenLinhVuc": field.name if field is not None else "",
        "KenhThucHien": str(dossier.channel),
        "NoiNopHoSo": "1" if dossier.form_data.get("national_origin") else "2",
        "ChuHoSo": dossier.applicant_name,
        "LoaiDoiTuong": applicant_type(dossier),
        "SoGiayToChuHoSo": dossier.applicant_id_number,
        "DinhDanhCHS": _identifiers(dossier),
        "MaDoiTuong": str(dossier.form_data.get("national_account_id") or ""),
        "Email": dossier.applicant_email,
        "SoDienThoai": dossier.applicant_phone,
        "ThongTinKhac": dossier.applicant_address,
        "TrichYeuHoSo": (dossier.request_content or version.name)[:1000],
        "NgayNopHoSo": wire_time(dossier.submitted_at or dossier.received_at or dossier.created_at),
        "NgayTiepNhan": wire_time(dossier.received_at),
        "NgayHenTra": wire_time(dossier.due_at),
        "TrangThaiHoSo": _national_status(dossier, last_status),
        "NgayKetThucXuLy": wire_time(dossier.completed_at),
        "NgayTra": wire_time(dossier.returned_at),
        "NgayTuChoi": wire_time(_refused_at(dossier)),
        "HinhThuc": "1" if dossier.return_method == "postal" else "0",
        "ThongTinTra": dossier.returned_to,
        "DonViXuLy": (dossier.processing_agency or agency).name,
        "GhiChu": "",
        "TaiKhoanDuocXacThucVoiVNeID": "1" if dossier.vneid_verified else "0",
        "DSKetNoiCSDL": [{"MaCSDL": "CSDLQGDC"}] if dossier.population_db_used else [],
    }
    files = _submitted_files(dossier)
    header["TaiLieuNop"] = files
    header["HoSoCoThanhPhanSoHoa"] = "1" if any(f["DuocSoHoa"] == "1" for f in files) else "0"
    fees, paid_flag = _fees(target, dossier)
    header["DanhSachLePhi"] = fees
    header["DuocThanhToanTrucTuyen"] = str(paid_flag)
    header["DanhSachGiayToKetQua"] = _results(target, dossier)
    header["DanhSachHoSoBoSung"] = []
    header["DanhSachTepDinhKemKhac"] = []
    return header


def _identifiers(dossier: Dossier) -> list[dict]:
    number = (dossier.applicant_id_number or "").strip()
    if len(number) == 12 and number.isdigit():
        return [{"LoaiDinhDanh": "1", "SoDinhDanh": number}]
    if len(number) == 9 and number.isdigit():
        return [{"LoaiDinhDanh": "2", "SoDinhDanh": number}]
    return []  # never a placeholder number


def _refused_at(dossier: Dossier):
    if dossier.status not in ("refused", "rejected"):
        return None
    return dossier.completed_at or dossier.updated_at


def _submitted_files(dossier: Dossier) -> list[dict]:
    """``components`` prefetched with ``store_evidence`` and ``requirement`` (the sender)."""
    rows = []
    for component in dossier.components.all():
        evidence = getattr(component, "store_evidence", None)
        requirement = component.requirement
        # Resolution 66.7/2025: a component replaced by an earlier result says which.
        replaced = (
            evidence is not None and requirement is not None
            and requirement.data_source == DataSource.EARLIER_RESULT
        )  # fmt: skip
        rows.append({
            "TepDinhKemId": str(component.pk),
            "TenTepDinhKem": component.original_filename or component.name,
            "IsDeleted": "false",
            "MaThanhPhanHoSo": str(component.requirement_id or ""),
            "DuongDanTaiTepTin": file_link("c", component.pk) if component.file else "",
            "DuocSoHoa": "1" if component.is_digitised or dossier.channel == 2 else "0",
            "DuocTaiSuDung": "2" if replaced else "1" if component.is_reused else "0",
            "MaKetQuaThayThe": evidence.result_code if replaced else "",
            "DuocLayTuKhoDMQG": "1" if component.from_personal_store else "0",
        })  # fmt: skip
    return rows


def _fees(target: Target, dossier: Dossier) -> tuple[list[dict], int]:
    """Non-zero fee rows of the live payment (or the version's list), and the
    DuocThanhToanTrucTuyen flag (1 national platform, 2 provincial gateway, 0)."""
    payments = [p for p in dossier.payments.all() if p.status not in ("cancelled", "failed")]
    paid = next((p for p in payments if p.status == PaymentStatus.PAID), None)
    items = paid or (payments[0] if payments else None)
    rows = []
    for item in (items.fee_items if items else []) or []:
        amount = int(item.get("amount_vnd") or 0)
        if amount <= 0:
            continue
        local = str(item.get("fee") or item.get("name", ""))
        rows.append({
            "TenPhiLePhi": item.get("name", ""),
            "MaPhiLePhi": code_maps(target).get((MapKind.FEE, local), local),
            "HinhThucThu": "1" if paid is not None and paid.gateway_flag else "0",
            "Gia": str(amount),
            "LoaiPhiLePhi": "2" if item.get("kind") == "charge" else "1",
        })  # fmt: skip
    flag = paid.gateway_flag if paid is not None and paid.gateway_flag else 0
    return rows, flag


def _results(target: Target, dossier: Dossier) -> list[dict]:
    rows = []
    for document in dossier.documents.all():
        if document.kind != DocumentKind.RESULT or not document.signed_at or not document.file:
            continue
        result_code = dossier.result_code or document.number
        rows.append({
            "TenGiayTo": dossier.procedure_version.name[:300],
            "MaThanhPhanHoSo": "",
            "GiayToId": str(document.pk),
            "DuongDanTepTinKetQua": file_link("d", document.pk),
            "MaGiayToKetQua": code_maps(target).get((MapKind.RESULT, result_code), result_code),
        })  # fmt: skip
    return rows
