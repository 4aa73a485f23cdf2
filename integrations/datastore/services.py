"""Citizen data store: look-up (TraCuuKhoDuLieu through the hub target) and
filling a dossier component from a found result.

The store signs ``result`` with HMAC-SHA256 over its canonical JSON
(``json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":"))``);
every look-up is kept (StoreLookup) with request, response, signature and
whether it verified. Only a verified look-up may fill a component, and the
file it names goes through the same checks as an upload."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.models import Dossier, DossierComponent, SourceForm, Status
from dossiers.services import DossierError
from dossiers.services.lifecycle import actor_capabilities, lock
from dossiers.services.submission import EDITABLE_STATUSES, component_store
from dossiers.services.uploads import check_upload
from dossiers.signals import dossier_header_changed
from procedures.models import ComponentRequirement
from tthc_portal.audit.services import audit_record

from ..config import active_target
from ..hub.messages import Unmapped, procedure_code, unit_code
from ..models import StoreEvidence, StoreLookup, Target, TargetKind
from ..transport import TargetClient, credential_for
from .files import store_file_download

DESK, CITIZEN = 1, 2  # KenhThucHien of the look-up


@dataclass(frozen=True)
class StoreDocument:
    """One earlier result found in the store (a row of DanhSachGiayToKetQua)."""

    lookup_id: int
    index: int
    code: str  # MaKetQua
    name: str  # TenGiayTo
    number: str  # SoKyHieu
    issuer: str  # CoQuanChuQuan
    files: tuple[dict, ...]  # DanhSachTepDinhKem: {TenTep, DuongDan}

    @classmethod
    def named(cls, lookup_id: int, index: int) -> StoreDocument:
        """A reference only (a posted form): the content is read from the kept look-up."""
        return cls(lookup_id, index, code="", name="", number="", issuer="", files=())


@dataclass
class StoreResult:
    lookup: StoreLookup | None
    documents: list[StoreDocument] = field(default_factory=list)
    error: str = ""


def canonical(result: Any) -> bytes:
    return json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def store_signature(result: Any) -> str:
    key = str(settings.TTHC.get("DATASTORE_SIGNATURE_KEY", "kho-du-lieu-demo"))
    return hmac.new(key.encode("utf-8"), canonical(result), hashlib.sha256).hexdigest()


def store_signature_valid(result: Any, signature: str) -> bool:
    if result is None or not signature:
        return False
    return hmac.compare_digest(store_signature(result).encode(), signature.strip().lower().encode())


def _editor_capabilities(actor, dossier: Dossier) -> set[str]:
    """The applicant, or the desk of the receiving agency, while the dossier's
    components may change (the same rule as uploads)."""
    capabilities = actor_capabilities(actor, dossier) & {"applicant", "desk"}
    if not capabilities:
        raise PermissionDenied
    if dossier.status not in EDITABLE_STATUSES and not (
        "desk" in capabilities and dossier.status == Status.SUBMITTED
    ):
        raise DossierError(
            _("Hồ sơ ở trạng thái “%(s)s” không thể sửa.") % {"s": dossier.get_status_display()}
        )
    return capabilities


def _hub() -> Target:
    target = active_target(TargetKind.HUB)
    if target is None:
        raise DossierError(_("Chưa cấu hình kết nối Cổng Dịch vụ công quốc gia."))
    return target


def _request(target: Target, dossier: Dossier, actor, channel: int) -> dict[str, Any]:
    try:
        procedure = procedure_code(target, dossier)
    except Unmapped:
        procedure = ""  # the code waits in the unmapped queue; the look-up still helps
    citizen = channel == CITIZEN
    return {
        "SoDinhDanhChuSoHuu": dossier.applicant_id_number,
        "HoTenNguoiYeuCau": dossier.applicant_name if citizen else actor.display_name,
        "KenhThucHien": str(channel),
        "SoDinhDanhNguoiYeuCau": dossier.applicant_id_number
        if citizen
        else str(getattr(actor, "identifier", "") or ""),
        "MaThuTuc": procedure,
        # The result codes the procedure's components accept; none listed asks for all.
        "DanhSachDanhMucKetQua": _accepted_codes(dossier),
    }


def _accepted_codes(dossier: Dossier) -> list[dict[str, str]]:
    codes = dossier.procedure_version.components.values_list("accepted_result_codes", flat=True)
    unique = sorted({str(code) for listed in codes for code in (listed or []) if code})
    return [{"MaKetQua": code, "SoKyHieu": ""} for code in unique]


def _documents(lookup: StoreLookup) -> list[StoreDocument]:
    result = (lookup.response or {}).get("result") or {}
    rows = result.get("DanhSachGiayToKetQua") if isinstance(result, dict) else None
    documents = []
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, dict):
            continue
        files = tuple(
            item for item in row.get("DanhSachTepDinhKem") or [] if isinstance(item, dict)
        )
        documents.append(
            StoreDocument(
                lookup_id=lookup.pk, index=index, code=str(row.get("MaKetQua") or ""),
                name=str(row.get("TenGiayTo") or ""), number=str(row.get("SoKyHieu") or ""),
                issuer=str(row.get("CoQuanChuQuan") or ""), files=files,
            )
        )  # fmt: skip
    return documents


def datastore_lookup(*, dossier: Dossier, actor, channel: int) -> StoreResult:
    """Look up the applicant's earlier results (desk at reception, or the citizen)."""
    capabilities = actor_capabilities(actor, dossier) & {"applicant", "desk"}
    if not capabilities:
        raise PermissionDenied
    if not dossier.applicant_id_number:
        raise DossierError(_("Hồ sơ chưa có số định danh của chủ hồ sơ để tra cứu kho dữ liệu."))
    target = _hub()
    agency = dossier.receiving_agency
    body = _request(target, dossier, actor, channel)
    client = TargetClient(target, credential_for(target, agency.pk, unit_code(target, agency)))
    reply = client.call("datastore", body, dossier_id=dossier.pk)
    client.attempts_save()
    response = reply.body if isinstance(reply.body, dict) else {}
    signature = str(response.get("signature") or "")[:200]
    valid = store_signature_valid(reply.result, signature) if reply.ok else None
    lookup = StoreLookup.objects.create(
        dossier=dossier, requested_by=actor if actor.is_authenticated else None,
        channel=channel, request=body, response=response, signature=signature,
        signature_valid=valid,
    )  # fmt: skip
    if not reply.ok:
        return StoreResult(lookup, error=_("Kho dữ liệu chưa trả lời được, xin thử lại sau."))
    if not valid:
        return StoreResult(
            lookup, error=_("Chữ ký của kho dữ liệu không hợp lệ: không dùng kết quả.")
        )
    return StoreResult(lookup, _documents(lookup))


def store_lookup_documents(lookup: StoreLookup) -> list[StoreDocument]:
    """The documents of a kept look-up (none unless its signature verified)."""
    return _documents(lookup) if lookup.signature_valid else []


def _requirement(dossier: Dossier, requirement: ComponentRequirement | None):
    if requirement is None:
        return None
    if requirement.version_id != dossier.procedure_version_id:
        raise DossierError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    return requirement


def component_fill_from_store(
    *, dossier: Dossier, actor, item: StoreDocument, requirement: ComponentRequirement | None,
    attachment: int = 0,
) -> DossierComponent:  # fmt: skip
    """Attach a found result's file as a component taken from the store.

    The document is read from the kept look-up (``item`` only names it), so the
    evidence and what is attached are the same signed data."""
    _editor_capabilities(actor, dossier)
    requirement = _requirement(dossier, requirement)
    lookup = StoreLookup.objects.filter(pk=item.lookup_id, dossier=dossier).first()
    if lookup is None:
        raise DossierError(_("Không tìm thấy lượt tra cứu kho dữ liệu của hồ sơ này."))
    if not lookup.signature_valid:
        raise DossierError(_("Chữ ký của kho dữ liệu không hợp lệ: không dùng kết quả."))
    found = {document.index: document for document in _documents(lookup)}.get(item.index)
    if found is None or not 0 <= attachment < len(found.files):
        raise DossierError(_("Giấy tờ trong kho dữ liệu không có tệp đính kèm."))
    entry = found.files[attachment]
    content = store_file_download(_hub(), str(entry.get("DuongDan") or ""), dossier_id=dossier.pk)
    checked = check_upload(SimpleUploadedFile(str(entry.get("TenTep") or "tep"), content))
    stored = ""
    try:
        with transaction.atomic():
            dossier = lock(dossier)
            _editor_capabilities(actor, dossier)  # again, under the lock
            component = component_store(
                dossier, requirement, actor=actor,
                name=(requirement.name if requirement else found.name or checked.filename)[:500],
                content=checked.content, filename=checked.filename,
                content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
                page_count=checked.page_count, source=SourceForm.PERSONAL_STORE,
                digitised=False, from_store=True,
            )  # fmt: skip
            stored = component.file.name
            evidence = StoreEvidence.objects.create(
                lookup=lookup, component=component, result_code=found.code[:100],
                number=found.number[:100], index=found.index, sha256=checked.sha256,
            )  # fmt: skip
            audit_record(
                actor=actor, action="dossier.component_from_national_store", target=dossier,
                after={"component": component.pk, "store_lookup": lookup.pk,
                       "MaKetQua": evidence.result_code, "SoKyHieu": evidence.number,
                       "sha256": evidence.sha256, "signature": lookup.signature},
            )  # fmt: skip
            # DuocLayTuKhoDMQG "1" for this file in the next header.
            dossier_header_changed.send(sender=Dossier, dossier=dossier, reason="components")
    except Exception:
        if stored:
            DossierComponent.file.field.storage.delete(stored)  # nothing half-stored remains
        raise
    return component
