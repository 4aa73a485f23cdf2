"""Creating, filling and submitting a dossier (online, or at the desk)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import ComponentRequirement, Level, Procedure
from tthc_portal.accounts.oidc.assurance import SignInAssurance
from tthc_portal.agencies.models import Agency, AgencyKind
from tthc_portal.audit.services import audit_record
from tthc_portal.workdays.services import get_calendar

from ..models import Channel, Dossier, DossierComponent, PersonalDocument, SourceForm, Status
from . import DossierError
from .lifecycle import actor_capabilities, dossier_transition, lock
from .uploads import check_upload

EDITABLE_STATUSES = (Status.DRAFT, Status.AWAITING_COMPLETION, Status.AWAITING_SUPPLEMENT)
APPLICANT_FIELDS = (
    "applicant_name", "applicant_id_number", "applicant_phone", "applicant_email",
    "applicant_address", "representative_name", "representative_id_number",
    "representative_phone", "representative_address", "representative_email",
    "representative_authorisation", "request_content",
    "result_delivery", "sets_count",
)  # fmt: skip


def receiving_agency_for(procedure: Procedure, chosen: Agency | None) -> Agency:
    """Province-level procedures go to their implementing unit's desk; commune
    ones to the commune the applicant chooses."""
    version = procedure.current_version
    if version.level == Level.PROVINCE and version.implementing_agency_id:
        return version.implementing_agency
    allowed = (
        (AgencyKind.COMMUNE,)
        if version.level == Level.COMMUNE
        else (AgencyKind.COMMUNE, AgencyKind.DEPARTMENT, AgencyKind.AUTHORITY)
    )
    if chosen is not None and chosen.is_active and chosen.kind in allowed:
        return chosen
    if version.implementing_agency_id and version.level != Level.COMMUNE:
        return version.implementing_agency
    raise DossierError(_("Vui lòng chọn UBND cấp xã nơi nộp hồ sơ."))


@transaction.atomic
def dossier_create_draft(
    *,
    actor,
    procedure: Procedure,
    channel: int = Channel.ONLINE,
    receiving_agency: Agency | None = None,
    applicant=None,
) -> Dossier:
    """A citizen starts an online dossier, or an officer one at the counter."""
    procedure = Procedure.objects.select_related("current_version").get(pk=procedure.pk)
    version = procedure.current_version
    if version is None or procedure.reception_locked:
        raise DossierError(_("Thủ tục này hiện không tiếp nhận hồ sơ mới."))
    agency = receiving_agency_for(procedure, receiving_agency)
    by_officer = actor.has_perm("agencies.receive_dossiers", agency)
    if by_officer and applicant is None and not getattr(actor, "is_applicant", False):
        applicant_user = None
    else:
        applicant_user = applicant or actor
        if not by_officer and applicant_user.pk != actor.pk:
            raise PermissionDenied
        if not getattr(applicant_user, "is_applicant", False):
            raise DossierError(_("Chỉ tài khoản công dân, tổ chức mới nộp được hồ sơ trực tuyến."))
    if channel == Channel.ONLINE and not by_officer and not version.accepts_online:
        raise DossierError(_("Thủ tục này chưa cung cấp dịch vụ công trực tuyến."))
    profile = applicant_user
    dossier = Dossier.objects.create(
        procedure_version=version,
        channel=channel,
        submitted_by_officer=by_officer,
        applicant=applicant_user,
        applicant_name=profile.display_name if profile else "",
        applicant_id_number=profile.identifier if profile else "",
        applicant_phone=profile.phone if profile else "",
        applicant_email=profile.email if profile else "",
        applicant_address=profile.address if profile else "",
        receiving_agency=agency,
        request_content=version.name,
    )
    audit_record(
        actor=actor,
        action="dossier.create",
        target=dossier,
        after={"procedure": procedure.pk, "channel": channel, "agency": agency.code},
    )
    return dossier


def _require_editor(actor, dossier: Dossier) -> set[str]:
    capabilities = actor_capabilities(actor, dossier)
    if not capabilities & {"applicant", "desk"}:
        raise PermissionDenied
    if dossier.status not in EDITABLE_STATUSES and not (
        "desk" in capabilities and dossier.status == Status.SUBMITTED
    ):
        raise DossierError(
            _("Hồ sơ ở trạng thái “%(s)s” không thể sửa.") % {"s": dossier.get_status_display()}
        )
    return capabilities


@transaction.atomic
def dossier_update_draft(*, actor, dossier: Dossier, data: dict[str, Any]) -> Dossier:
    dossier = lock(dossier)
    _require_editor(actor, dossier)
    changed = []
    for name in APPLICANT_FIELDS:
        if name in data:
            setattr(dossier, name, data[name])
            changed.append(name)
    if "form_data" in data:
        dossier.form_data = {**dossier.form_data, **data["form_data"]}
        changed.append("form_data")
    if changed:
        dossier.save(update_fields=[*changed, "updated_at"])
    return dossier


def component_store(
    dossier,
    requirement,
    *,
    actor,
    name,
    content,
    filename,
    content_type,
    size,
    sha256,
    page_count,
    source,
    digitised,
    personal=None,
    from_store: bool = False,
) -> DossierComponent:
    """Store an already-checked file as a component (random private name; nothing
    half-stored on failure). No permission check: callers have made theirs.
    ``personal``: taken from the portal's personal store; ``from_store``: from the
    citizen's national data store (criterion 4.4)."""
    component = DossierComponent(
        dossier=dossier,
        requirement=requirement,
        name=name,
        original_filename=filename,
        content_type=content_type,
        size=size,
        sha256=sha256,
        page_count=page_count,
        source_form=source,
        uploaded_by=actor,
        is_digitised=digitised,
        digitised_by=actor if digitised else None,
        digitised_at=timezone.now() if digitised else None,
        from_personal_store=personal is not None or from_store,
        is_reused=personal is not None,
        personal_document=personal,
    )
    component.file.save(filename, ContentFile(content), save=False)
    stored = component.file.name
    try:
        with transaction.atomic():
            component.save()
    except Exception:
        component.file.storage.delete(stored)  # nothing half-stored remains
        raise
    return component


def _requirement(dossier: Dossier, requirement_id) -> ComponentRequirement | None:
    if requirement_id in (None, ""):
        return None
    requirement = dossier.procedure_version.components.filter(pk=requirement_id).first()
    if requirement is None:
        raise DossierError(_("Thành phần hồ sơ không thuộc thủ tục này."))
    return requirement


@transaction.atomic
def component_attach(
    *, actor, dossier: Dossier, requirement_id, upload, name: str = ""
) -> DossierComponent:
    """Validate and store one uploaded file. At the desk it counts as digitised."""
    dossier = lock(dossier)
    capabilities = _require_editor(actor, dossier)
    requirement = _requirement(dossier, requirement_id)
    checked = check_upload(upload)  # raises UploadRejected before anything is stored
    at_desk = "desk" in capabilities and "applicant" not in capabilities
    component = component_store(
        dossier, requirement, actor=actor,
        name=name or (requirement.name if requirement else checked.filename)[:500],
        content=checked.content, filename=checked.filename, content_type=checked.content_type,
        size=checked.size, sha256=checked.sha256, page_count=checked.page_count,
        source=SourceForm.SCAN if at_desk else SourceForm.UPLOAD, digitised=at_desk,
    )  # fmt: skip
    audit_record(actor=actor, action="dossier.component_attach", target=dossier,
                 after={"component": component.pk, "sha256": checked.sha256,
                        "digitised": at_desk})  # fmt: skip
    return component


@transaction.atomic
def component_attach_from_store(
    *, actor, dossier: Dossier, requirement_id, personal_document: PersonalDocument
) -> DossierComponent:
    """Reuse a document from the applicant's personal data store (no re-upload)."""
    dossier = lock(dossier)
    _require_editor(actor, dossier)
    if personal_document.owner_id != dossier.applicant_id:
        raise PermissionDenied
    requirement = _requirement(dossier, requirement_id)
    with personal_document.file.open("rb") as handle:
        content = handle.read()
    component = component_store(
        dossier, requirement, actor=actor,
        name=(requirement.name if requirement else personal_document.title)[:500],
        content=content, filename=_stored_name(personal_document),
        content_type=personal_document.content_type, size=personal_document.size,
        sha256=personal_document.sha256, page_count=None, source=SourceForm.PERSONAL_STORE,
        digitised=False, personal=personal_document,
    )  # fmt: skip
    audit_record(
        actor=actor,
        action="dossier.component_reuse",
        target=dossier,
        after={"component": component.pk, "personal_document": personal_document.pk},
    )
    return component


@transaction.atomic
def component_remove(*, actor, component: DossierComponent) -> None:
    dossier = lock(component.dossier_id)
    _require_editor(actor, dossier)
    stored = component.file.name
    audit_record(
        actor=actor,
        action="dossier.component_remove",
        target=dossier,
        before={"component": component.pk, "sha256": component.sha256},
    )
    component.delete()
    transaction.on_commit(lambda: component.file.storage.delete(stored))


EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


def _stored_name(document: PersonalDocument) -> str:
    return f"{document.title[:100]}{EXTENSIONS.get(document.content_type, '')}"


# Written out: the ORM spent about 1 ms of Python compiling the same query (an
# exclude over a subquery) at every submission and reception; this is 0.2 ms.
MISSING_COMPONENTS_SQL = (
    "SELECT r.* FROM procedures_componentrequirement r "
    "WHERE r.version_id = %s AND r.required AND NOT EXISTS ("
    "SELECT 1 FROM dossiers_dossiercomponent c WHERE c.dossier_id = %s AND c.requirement_id = r.id"
    ') ORDER BY r."order", r.id'
)


def missing_components(dossier: Dossier) -> list[ComponentRequirement]:
    """Required components of the dossier's version it has nothing for (one query),
    in the requirements' order."""
    return list(
        ComponentRequirement.objects.raw(
            MISSING_COMPONENTS_SQL, [dossier.procedure_version_id, dossier.pk]
        )
    )


def _reception_due(submitted_at):
    calendar = get_calendar()
    hours = settings.TTHC["ONLINE_ACCEPT_SLA_HOURS"]
    return calendar.add_working_time(calendar.next_opening(submitted_at), timedelta(hours=hours))


def _assurance_fields(locked: Dossier, assurance: SignInAssurance | None) -> list[str]:
    """Record how the applicant signed in to send it (criterion 4.5 reads this)."""
    if assurance is None:
        return []
    locked.vneid_verified = assurance.vneid_verified
    locked.assurance_level = assurance.assurance_level
    fields = ["vneid_verified", "assurance_level"]
    if assurance.national_account_id:
        # The same key a dossier from the national portal carries (MaDoiTuong).
        locked.form_data = {
            **locked.form_data,
            "national_account_id": assurance.national_account_id,
        }
        fields.append("form_data")
    return fields


def dossier_submit(*, actor, dossier: Dossier, assurance: SignInAssurance | None = None) -> Dossier:
    """Send an online (or postal) dossier to the desk; fees are requested now
    when the procedure collects them on submission. ``assurance`` is the
    sender's sign-in (VNeID flag, level of assurance), stored on the dossier."""
    missing = missing_components(dossier)
    if missing:
        raise DossierError(
            _("Chưa đủ thành phần hồ sơ bắt buộc."),
            [_("Thiếu: %(name)s") % {"name": requirement.name} for requirement in missing],
        )

    def apply(locked: Dossier):
        now = timezone.now()
        locked.submitted_at = now
        locked.reception_due_at = _reception_due(now)
        return ["submitted_at", "reception_due_at", *_assurance_fields(locked, assurance)]

    with transaction.atomic():
        dossier = dossier_transition(actor=actor, dossier=dossier, action="submit", apply=apply)
        if dossier.procedure_version.payment_stage == "on_submission":
            from .payments import payment_request

            payment_request(dossier=dossier)
    return dossier


def dossier_resubmit(
    *, actor, dossier: Dossier, assurance: SignInAssurance | None = None
) -> Dossier:
    """After completing what the desk asked for before receipt."""
    missing = missing_components(dossier)
    if missing:
        raise DossierError(
            _("Chưa đủ thành phần hồ sơ bắt buộc."),
            [_("Thiếu: %(name)s") % {"name": requirement.name} for requirement in missing],
        )

    def apply(locked: Dossier):
        locked.submitted_at = timezone.now()
        locked.reception_due_at = _reception_due(locked.submitted_at)
        locked.supplement_requests.filter(completed_at__isnull=True).update(
            completed_at=locked.submitted_at
        )
        return ["submitted_at", "reception_due_at", *_assurance_fields(locked, assurance)]

    return dossier_transition(actor=actor, dossier=dossier, action="resubmit", apply=apply)


def dossier_supplement(*, actor, dossier: Dossier) -> Dossier:
    """The applicant (or the desk) hands in what was asked during processing:
    the clock resumes, and the due time moves by the paused working time."""
    from .deadlines import refresh_due
    from .steps import open_step, step_shift_after_pause

    def apply(locked: Dossier):
        now = timezone.now()
        paused = locked.pauses.filter(ended_at__isnull=True).first()
        locked.pauses.filter(ended_at__isnull=True).update(ended_at=now)
        locked.supplement_requests.filter(
            completed_at__isnull=True, requested_at__isnull=False
        ).update(completed_at=now)
        step = open_step(locked)
        if step is not None and paused is not None:
            step_shift_after_pause(step, paused.started_at, now)
        # Consultations running beside it keep their own due times.
        locked.steps.filter(completed_at__isnull=True, paused=True).update(paused=False)
        return refresh_due(locked)

    return dossier_transition(actor=actor, dossier=dossier, action="supplement", apply=apply)
