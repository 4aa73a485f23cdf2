"""The one-stop desk's consolidated check: receive, ask once, or refuse."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.workdays.services import get_calendar

from ..models import DocumentKind, Dossier, SupplementRequest, SupplementStage
from . import DossierError
from .codes import dossier_code_allocate
from .deadlines import compute_due, dossier_due_set, snapshot_rule
from .documents import document_issue
from .lifecycle import dossier_transition
from .processing import reception_step_open
from .submission import missing_components


@transaction.atomic
def dossier_receive(*, actor, dossier: Dossier, at=None) -> Dossier:
    """Receipt: code, appointment date from the version in force, form 01."""
    received_at = at or timezone.now()

    def apply(locked: Dossier):
        procedure = locked.procedure_version.procedure
        if procedure.current_version_id == locked.procedure_version_id:
            # The version in force is the one the lock just read (the usual case):
            # reuse it instead of reading the same row again.
            procedure.current_version = locked.procedure_version
        if procedure.reception_locked or procedure.current_version_id is None:
            raise DossierError(_("Thủ tục đã bị bãi bỏ hoặc khóa tiếp nhận; không thể tiếp nhận."))
        if not locked.applicant_name.strip() or not locked.applicant_id_number.strip():
            raise DossierError(
                _("Chưa có họ tên và số định danh (hoặc mã số thuế) của người nộp hồ sơ.")
            )
        # Completeness is judged against what the applicant was asked for…
        missing = missing_components(locked)
        if missing:
            raise DossierError(
                _("Hồ sơ chưa đủ thành phần bắt buộc; hãy yêu cầu bổ sung thay vì tiếp nhận."),
                [_("Thiếu: %(name)s") % {"name": r.name} for r in missing],
            )
        # …and the dossier is handled under the version in force on the day of receipt.
        locked.procedure_version = procedure.current_version
        agency = locked.receiving_agency
        if not locked.code:  # a dossier from DVCQG keeps the national code it came with
            locked.code = dossier_code_allocate(agency, timezone.localdate(received_at))
        locked.receiving_agency_code = agency.code
        locked.received_at = received_at
        fields = snapshot_rule(locked)
        rule_start = get_calendar().clock_start(received_at, locked.cutoff_time)
        locked.clock_started_at = rule_start
        fields += dossier_due_set(locked, compute_due(locked, at_receipt=True), original=True)
        if locked.submitted_at is None:
            locked.submitted_at = received_at
        fields += reception_step_open(locked, actor=actor, at=received_at)
        return [
            *fields, "procedure_version", "code", "receiving_agency_code", "received_at",
            "clock_started_at", "submitted_at",
        ]  # fmt: skip

    # No savepoint of its own: any error ends this whole block (two statements
    # fewer). The processing unit is not joined to the lock: a dossier waiting at
    # the desk has none yet, and ``reception_step_open`` sets it.
    dossier = dossier_transition(
        actor=actor, dossier=dossier, action="receive", apply=apply, at=received_at,
        savepoint=False, related=("receiving_agency", "procedure_version__procedure"),
    )  # fmt: skip
    # A dossier is received once (no transition leads back to draft or submitted),
    # so its receipt is the first of its kind: no count to read.
    document_issue(dossier, DocumentKind.RECEIPT, sequence=1)
    return dossier


def _clean_items(items: list[dict]) -> list[dict]:
    cleaned = []
    for item in items:
        reason = (item.get("reason") or "").strip()
        name = (item.get("name") or "").strip()
        if not name and not item.get("requirement"):
            continue
        if not reason:
            raise DossierError(
                _("Mỗi nội dung cần bổ sung phải ghi rõ lý do (“%(name)s”).")
                % {"name": name or "—"}
            )
        cleaned.append({"requirement": item.get("requirement"), "name": name, "reason": reason})
    if not cleaned:
        raise DossierError(_("Phiếu yêu cầu bổ sung phải liệt kê ít nhất một nội dung."))
    return cleaned


def reception_request_earlier(dossier: Dossier) -> SupplementRequest | None:
    """The request for completion already made at reception, if any."""
    return (
        SupplementRequest.objects.filter(dossier=dossier, stage=SupplementStage.BEFORE_RECEIPT)
        .order_by("requested_at")
        .first()
    )


@transaction.atomic
def dossier_request_completion(
    *, actor, dossier: Dossier, items: list[dict], note: str = ""
) -> Dossier:
    """Form 02 before receipt: every missing or faulty item in one request."""
    cleaned = _clean_items(items)
    request_holder: dict = {}

    def apply(locked: Dossier):
        earlier = reception_request_earlier(locked)
        if earlier is not None:
            # dossier-lifecycle §4: one consolidated request before receipt; after the
            # citizen brings the papers back the desk receives or refuses.
            raise DossierError(
                _(
                    "Hồ sơ đã được yêu cầu bổ sung một lần lúc %(time)s; không lập phiếu "
                    "yêu cầu bổ sung lần thứ hai. Hãy tiếp nhận hoặc từ chối tiếp nhận."
                )
                % {"time": f"{timezone.localtime(earlier.requested_at):%H:%M %d/%m/%Y}"}
            )
        request_holder["request"] = SupplementRequest.objects.create(
            dossier=locked, stage=SupplementStage.BEFORE_RECEIPT, items=cleaned, note=note,
            requested_by=actor, requested_at=timezone.now(),
        )  # fmt: skip
        return []

    dossier = dossier_transition(
        actor=actor, dossier=dossier, action="request_completion", apply=apply, note=note
    )
    document_issue(dossier, DocumentKind.SUPPLEMENT, source_id=request_holder["request"].pk)
    return dossier


@transaction.atomic
def dossier_refuse(*, actor, dossier: Dossier, reason: str) -> Dossier:
    """Form 03: refusal to receive, with the specific reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DossierError(_("Phải ghi rõ lý do từ chối tiếp nhận."))

    def apply(locked: Dossier):
        locked.refusal_reason = reason
        locked.completed_at = timezone.now()
        return ["refusal_reason", "completed_at"]

    dossier = dossier_transition(
        actor=actor, dossier=dossier, action="refuse", apply=apply, note=reason
    )
    document_issue(dossier, DocumentKind.REFUSAL)
    return dossier
