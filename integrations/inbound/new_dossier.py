"""``HoSoMoi``: a dossier submitted on the national portal becomes an online dossier in
national status 1, waiting at the desk like any other.

Idempotent on the national code: a repeat (same ``MaBanTin``, or another message for a
``MaHoSo`` already here) is answered as a duplicate, never a second dossier — the unique
``Dossier.code`` and the partial unique index on ``InboundMessage`` settle races. An
unknown procedure or unit parks the message in the unmapped queue (nothing dropped);
``inbound_retry_unmapped`` imports it once the code map knows the value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Channel, Dossier
from dossiers.services import DossierError
from dossiers.services.lifecycle import dossier_transition
from dossiers.services.payments import payment_request

# The same acceptance deadline as dossier_submit sets (one rule, not a copy of it).
from dossiers.services.submission import _reception_due, receiving_agency_for
from procedures.models import Procedure
from tthc_portal.agencies.models import Agency
from tthc_portal.audit.services import audit_record

from ..config import unmapped_record
from ..models import InboundKind, InboundMessage, InboundStatus, MapKind
from .components import files_attach
from .envelope import (
    Inbound,
    InboundOutcome,
    MessageTaken,
    accepted,
    duplicate,
    message_claim,
    message_keep,
    refused,
    taken,
    wire_datetime,
)
from .files import InboundFile, file_items, files_collect, payload_without_files
from .mapping import agency_for, procedure_for

PARKED = (InboundStatus.ACCEPTED, InboundStatus.UNMAPPED)


@dataclass(frozen=True)
class Route:
    """Where a new dossier goes, or the value that is not mapped yet."""

    procedure: Procedure | None
    agency: Agency | None
    unmapped_kind: str = ""
    unmapped_value: str = ""


def route_for(msg: Inbound) -> Route:
    code = str(msg.data.get("MaTTHC") or "").strip()
    procedure = procedure_for(msg.target, code)
    if procedure is None:
        return Route(None, None, MapKind.PROCEDURE, code)
    agency = None
    if msg.unit:
        agency = agency_for(msg.target, msg.unit)
        if agency is None:
            return Route(procedure, None, MapKind.UNIT, msg.unit)
    return Route(procedure, agency)


def _summary(msg: Inbound) -> dict[str, Any]:
    data = msg.data
    return {
        "MaBanTin": msg.message_id, "MaHoSo": msg.code, "MaDonVi": msg.unit,
        "MaTTHC": str(data.get("MaTTHC") or ""), "TenTTHC": str(data.get("TenTTHC") or "")[:200],
        "ChuHoSo": str(data.get("ChuHoSo") or "")[:200],
    }  # fmt: skip


def _known(msg: Inbound) -> InboundOutcome | None:
    """The answer when this national dossier is already here (or parked)."""
    existing = Dossier.objects.filter(code=msg.code).only("pk", "form_data").first()
    if existing is not None:
        if existing.form_data.get("national_origin"):
            return duplicate(msg, existing, _("Hồ sơ đã có trong hệ thống của tỉnh."))
        # Codes of the national portal and of the province's allocator must not meet.
        return refused(
            msg,
            _("Mã hồ sơ %(code)s đã được dùng cho một hồ sơ khác của tỉnh.") % {"code": msg.code},
        )
    parked = InboundMessage.objects.filter(
        kind=InboundKind.NEW, national_code=msg.code, status__in=PARKED
    ).first()
    if parked is not None:
        return duplicate(msg, parked.dossier, _("Hồ sơ đã có trong hệ thống của tỉnh."))
    return None


def new_dossier_receive(msg: Inbound) -> InboundOutcome:
    data = msg.data
    missing = [name for name in ("MaTTHC", "ChuHoSo") if not str(data.get(name) or "").strip()]
    if missing:
        return refused(msg, _("Thiếu thông tin bắt buộc: %(f)s.") % {"f": ", ".join(missing)})
    known = _known(msg)
    if known is not None:
        return known
    route = route_for(msg)
    if route.unmapped_kind:
        return _park(msg, route)
    files = files_collect(msg, file_items(data))  # FileDeferred: the hub offers it again
    return _import(msg, route, files, parked=None)


def _park(msg: Inbound, route: Route) -> InboundOutcome:
    unmapped_record(
        msg.target, route.unmapped_kind, route.unmapped_value, direction="in",
        context=_summary(msg),
    )  # fmt: skip
    payload, _released = payload_without_files(msg, None, attached=set())
    text = _("Chưa ánh xạ mã %(kind)s “%(value)s”; hồ sơ chờ quản trị viên xử lý.") % {
        "kind": MapKind(route.unmapped_kind).label,
        "value": route.unmapped_value,
    }
    row = message_keep(msg, InboundStatus.UNMAPPED, payload=payload, error=text)
    if row is None:  # a twin (same MaBanTin or MaHoSo) was parked meanwhile
        return taken()
    return accepted(row, text)


def _email(value: Any) -> str:
    text = str(value or "").strip()[:254]
    try:
        validate_email(text)
    except ValidationError:
        return ""
    return text


def _dossier_create(msg: Inbound, route: Route, problems: list[dict]) -> Dossier:
    """The draft, as ``dossier_create_draft`` makes one, for the system actor."""
    procedure = Procedure.objects.select_related("current_version").get(pk=route.procedure.pk)
    version = procedure.current_version
    if version is None or procedure.reception_locked:
        raise DossierError(_("Thủ tục này hiện không tiếp nhận hồ sơ mới."))
    agency = receiving_agency_for(procedure, route.agency)
    data = msg.data
    identifier = str(data.get("SoDinhDanh") or data.get("MaSoThue") or "").strip()
    form_data: dict[str, Any] = {
        "national_origin": True,
        "national_account_id": str(data.get("MaDoiTuong") or ""),
        "national_message_id": msg.message_id,
        "national_applicant": {
            key: str(data.get(key) or "")[:200]
            for key in ("LoaiDoiTuong", "SoDinhDanh", "MaSoThue", "Email")
        },
    }
    if problems:
        # The desk's check shows these: files the national portal sent that were refused.
        form_data["inbound_problems"] = problems
    dossier = Dossier.objects.create(
        code=msg.code, procedure_version=version, channel=Channel.ONLINE,
        applicant_name=str(data.get("ChuHoSo") or "").strip()[:255],
        applicant_id_number=identifier[:20],
        applicant_phone=str(data.get("SoDienThoai") or "").strip()[:20],
        applicant_email=_email(data.get("Email")),
        applicant_address=str(data.get("DiaChi") or "").strip()[:500],
        receiving_agency=agency,
        request_content=str(data.get("TrichYeuHoSo") or "").strip()[:1000] or version.name,
        vneid_verified=str(data.get("TaiKhoanDuocXacThucVoiVNeID") or "") == "1",
        form_data=form_data,
    )  # fmt: skip
    audit_record(
        actor=None, action="dossier.create", target=dossier,
        after={"procedure": procedure.pk, "channel": Channel.ONLINE, "agency": agency.code,
               "national_code": msg.code, "message": msg.message_id},
    )  # fmt: skip
    return dossier


def _submit(dossier: Dossier, msg: Inbound) -> Dossier:
    """Into the desk queue (national status 1), at the time the citizen submitted.

    Completeness is the desk's call (it may ask for completion): the national portal
    has already accepted the dossier, so a missing component does not stop it here."""
    now = timezone.now()
    submitted_at = wire_datetime(msg.data.get("NgayNopHoSo"))
    if submitted_at is None or submitted_at > now:
        submitted_at = now

    def apply(locked: Dossier):
        locked.submitted_at = submitted_at
        locked.reception_due_at = _reception_due(submitted_at)
        return ["submitted_at", "reception_due_at"]

    note = _("Nộp trên Cổng Dịch vụ công quốc gia (bản tin %(id)s).") % {"id": msg.message_id}
    dossier = dossier_transition(
        actor=None, dossier=dossier, action="submit", apply=apply, at=submitted_at, note=note
    )
    if dossier.procedure_version.payment_stage == "on_submission":
        payment_request(dossier=dossier)
    return dossier


def _import(
    msg: Inbound, route: Route, files: list[InboundFile], *, parked: InboundMessage | None
) -> InboundOutcome:
    problems = [item.problem() for item in files if not item.ok]
    attached = {item.index for item in files if item.ok}
    payload, released = payload_without_files(msg, files, attached=attached)
    try:
        with transaction.atomic():
            if parked is None:
                row = message_claim(msg, payload=payload)
            else:
                row = InboundMessage.objects.select_for_update().get(pk=parked.pk)
                if row.status != InboundStatus.UNMAPPED:
                    raise MessageTaken(msg.message_id)
            dossier = _dossier_create(msg, route, problems)
            files_attach(dossier, files)
            _submit(dossier, msg)
            row.status, row.payload, row.dossier = InboundStatus.ACCEPTED, payload, dossier
            row.problems, row.error = problems, ""
            row.save(update_fields=["status", "payload", "dossier", "problems", "error"])
    except (MessageTaken, IntegrityError):
        return taken()
    except DossierError as exc:
        # Refused as a whole: every file it brought is kept under inbound/<MaBanTin>/.
        payload, _released = payload_without_files(msg, files, attached=set())
        if parked is None:
            return refused(msg, exc.message, payload=payload)
        InboundMessage.objects.filter(pk=parked.pk, status=InboundStatus.UNMAPPED).update(
            status=InboundStatus.REFUSED, error=exc.message, payload=payload
        )
        return InboundOutcome(-1, InboundStatus.REFUSED, exc.message, parked.pk)
    for path in released:  # stored while parked, now a component of the dossier
        default_storage.delete(path)
    message = _("Một số tệp bị từ chối; bộ phận một cửa sẽ xem xét.") if problems else ""
    return accepted(row, message)


def parked_import(msg: Inbound, row: InboundMessage) -> InboundOutcome:
    """Try a parked message again (the code map may know its values now)."""
    route = route_for(msg)
    if route.unmapped_kind:
        unmapped_record(
            msg.target, route.unmapped_kind, route.unmapped_value, direction="in",
            context=_summary(msg),
        )  # fmt: skip
        return InboundOutcome(0, InboundStatus.UNMAPPED, row.error, row.pk)
    files = files_collect(msg, file_items(msg.data))
    return _import(msg, route, files, parked=row)
