"""Drafting, reviewing, publishing and activating procedure versions."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.audit.services import audit_record
from tthc_portal.lifecycle import ActorRefused, GuardFailed, StatusRefused
from tthc_portal.notifications.models import Channel
from tthc_portal.notifications.services import notification_enqueue
from tthc_portal.text import fold
from tthc_portal.web.public_cache import CATALOGUE, public_pages_invalidate

from ..models import (
    ComponentRequirement,
    FeeItem,
    LegalBasis,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    WorkflowStep,
)
from ..workflow import VERSION_LIFECYCLE, VERSION_PERMISSIONS, VersionChange
from . import ProcedureError, require_agency_perm

CHILD_MODELS = {
    "components": ComponentRequirement,
    "fees": FeeItem,
    "legal_bases": LegalBasis,
    "steps": WorkflowStep,
}
# Plain content fields copied from one version to the next.
CONTENT_FIELDS = [
    "name", "steps_text", "channel_in_person", "channel_online", "channel_postal",
    "channels_text", "applicant_types", "implementing_agency_id", "implementing_agency_text",
    "field_id", "level", "deciding_authority", "time_kind", "time_limit", "time_unit",
    "deadline_mode", "cutoff_time", "time_text", "time_stages", "time_outcomes",
    "supplement_clock_rule", "payment_stage", "result_text", "paper_result", "online_level",
    "full_online_eligible", "conditions", "boundary_free", "is_internal", "internal_scope",
    "is_province_specific", "territorial_scope",
]  # fmt: skip
CHILD_FIELDS = {
    "components": ["order", "name", "copy_kind", "count", "required", "form_template",
                   "must_digitise", "note"],
    "fees": ["kind", "name", "amount_vnd", "online_amount_vnd", "unit", "note", "is_alternative"],
    "legal_bases": ["title", "effective_date"],
    "steps": ["order", "name", "actor_role", "actor_text", "unit_id", "citizen_status_text",
              "budget", "budget_unit", "counted"],
}  # fmt: skip


def owner_agency(version: ProcedureVersion):
    """The unit responsible for drafting and approving this version."""
    if version.publication_task_id:
        return version.publication_task.agency
    return version.implementing_agency


def version_snapshot(version: ProcedureVersion) -> dict[str, Any]:
    data = {name: getattr(version, name) for name in CONTENT_FIELDS}
    data["coordinating_agencies"] = sorted(
        version.coordinating_agencies.values_list("pk", flat=True)
    )
    for relation, fields in CHILD_FIELDS.items():
        data[relation] = [
            {
                f: str(getattr(child, f)) if f == "form_template" else getattr(child, f)
                for f in fields
            }
            for child in getattr(version, relation).all()
        ]
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _refresh_derived(version: ProcedureVersion) -> None:
    procedure = version.procedure
    parts = [
        version.name,
        procedure.code or "",
        procedure.localised_code,
        version.field.name if version.field_id else "",
        version.implementing_agency.name if version.implementing_agency_id else "",
        version.implementing_agency_text,
        version.result_text,
    ]
    version.name_folded = fold(version.name)
    version.search_text = fold(" ".join(p for p in parts if p))
    digest = json.dumps(version_snapshot(version), sort_keys=True, ensure_ascii=False)
    version.content_hash = hashlib.sha256(digest.encode()).hexdigest()
    ProcedureVersion.objects.filter(pk=version.pk).update(
        name_folded=version.name_folded,
        search_text=version.search_text,
        content_hash=version.content_hash,
    )


def _normalise(content: dict[str, Any]) -> dict[str, Any]:
    """Accept related objects or ids for foreign keys ("field" or "field_id")."""
    content = dict(content)
    for name in ("field", "implementing_agency"):
        if name in content:
            obj = content.pop(name)
            content[f"{name}_id"] = obj.pk if obj is not None else None
    return content


def _replace_children(version: ProcedureVersion, relation: str, rows: list[dict]) -> None:
    model = CHILD_MODELS[relation]
    model.objects.filter(version=version).delete()
    model.objects.bulk_create([model(version=version, **row) for row in rows])


@transaction.atomic
def version_create_draft(
    *,
    actor,
    procedure: Procedure | None = None,
    base: ProcedureVersion | None = None,
    task=None,
    content: dict[str, Any] | None = None,
    children: dict[str, list[dict]] | None = None,
    code: str | None = None,
    check_permission: bool = True,
) -> ProcedureVersion:
    """A new draft: a copy of ``base`` (amendment) or new content (new procedure)."""
    if procedure is None:
        procedure = base.procedure if base else Procedure.objects.create(code=code or None)
    content = _normalise(content or {})
    if base is not None:
        content = {**{f: getattr(base, f) for f in CONTENT_FIELDS}, **content}
    number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        status=VersionStatus.DRAFT,
        publication_task=task,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        replaces=base,
        **content,
    )
    if check_permission:
        require_agency_perm(actor, "draft_procedures", owner_agency(version))
    version.save()
    if base is not None:
        version.coordinating_agencies.set(base.coordinating_agencies.all())
        for relation, fields in CHILD_FIELDS.items():
            rows = [{f: getattr(c, f) for f in fields} for c in getattr(base, relation).all()]
            _replace_children(version, relation, rows)
    for relation, rows in (children or {}).items():
        _replace_children(version, relation, rows)
    _refresh_derived(version)
    audit_record(
        actor=actor,
        action="procedure_version.create",
        target=version,
        after={"number": number, "base": base.pk if base else None},
    )
    return version


@transaction.atomic
def version_update(
    *,
    actor,
    version: ProcedureVersion,
    content: dict[str, Any] | None = None,
    children: dict[str, list[dict]] | None = None,
    coordinating_agencies=None,
    code: str | None = None,
) -> ProcedureVersion:
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    require_agency_perm(actor, "draft_procedures", owner_agency(version))
    if version.status != VersionStatus.DRAFT:
        raise ProcedureError(
            _(
                "Chỉ sửa được phiên bản ở trạng thái dự thảo. "
                "Phiên bản này đang ở trạng thái “%(s)s”."
            )
            % {"s": version.get_status_display()}
        )
    before = {**version_snapshot(version), "code": version.procedure.code}
    if code is not None:
        _procedure_code_assign(version.procedure, code.strip())
    for name, value in _normalise(content or {}).items():
        if name not in CONTENT_FIELDS:
            raise ValueError(f"Not a content field: {name}")
        setattr(version, name, value)
    version.save()
    if coordinating_agencies is not None:
        version.coordinating_agencies.set(coordinating_agencies)
    for relation, rows in (children or {}).items():
        _replace_children(version, relation, rows)
    _refresh_derived(version)
    audit_record(
        actor=actor,
        action="procedure_version.update",
        target=version,
        before=before,
        after={**version_snapshot(version), "code": version.procedure.code},
    )
    return version


def _procedure_code_assign(procedure: Procedure, code: str) -> None:
    """A code-less procedure receives its code in the draft (the national database
    assigns it); an existing code is the procedure's identity and is not edited here."""
    if not code or code == (procedure.code or ""):
        return
    if procedure.code:
        raise ProcedureError(
            _("Thủ tục đã có mã %(code)s; không sửa mã trong dự thảo.") % {"code": procedure.code}
        )
    if Procedure.objects.filter(code=code).exclude(pk=procedure.pk).exists():
        raise ProcedureError(_("Mã TTHC %(code)s đã được dùng cho thủ tục khác.") % {"code": code})
    procedure.code = code
    procedure.save(update_fields=["code"])


def _notify(users, subject: str, body: str, topic: str) -> None:
    for user in users:
        notification_enqueue(
            channel=Channel.EMAIL, recipient=user.email, subject=subject, body=body, topic=topic
        )


def _notify_heads(version: ProcedureVersion, agency, note: str, topic: str) -> None:
    if agency is not None:
        _notify(
            staff_with_role(agency, Role.DEPARTMENT_HEAD),
            _("Trình phê duyệt thủ tục: %(name)s") % {"name": version.name},
            _("Có dự thảo thủ tục và quy trình nội bộ chờ anh/chị phê duyệt."),
            topic,
        )


def _notify_provincial_staff(version: ProcedureVersion, agency, note: str, topic: str) -> None:
    if agency is not None:
        _notify(
            staff_with_role(agency, Role.PROVINCIAL_STAFF),
            _("Thủ tục đã được lãnh đạo đơn vị phê duyệt: %(name)s") % {"name": version.name},
            _("Đề nghị trình Chủ tịch UBND tỉnh ký quyết định công bố."),
            topic,
        )


def _notify_author(version: ProcedureVersion, agency, note: str, topic: str) -> None:
    if version.created_by is not None:
        _notify(
            [version.created_by],
            _("Dự thảo thủ tục bị trả lại: %(name)s") % {"name": version.name},
            note,
            topic,
        )


# Recipients named in the table's ``notify`` → who they are and what they are told.
NOTIFIERS = {
    "heads": _notify_heads,
    "provincial_staff": _notify_provincial_staff,
    "author": _notify_author,
}


def version_capabilities(actor, agency, wanted=VERSION_PERMISSIONS) -> set[str]:
    """The table's capabilities the actor holds on the version's owning agency."""
    if actor is None:
        return {"system"}
    if agency is None:
        return set()
    return {
        perm for perm in wanted if perm != "system" and actor.has_perm(f"agencies.{perm}", agency)
    }


@transaction.atomic
def version_transition(
    *,
    actor,
    version: ProcedureVersion,
    action: str,
    note: str = "",
    decision_number: str = "",
    decision_date: date | None = None,
    effective_date: date | None = None,
    today: date | None = None,
) -> ProcedureVersion:
    """The one way a version changes status: lock, check the table and its guards,
    apply its effects, record, notify."""
    transition = VERSION_LIFECYCLE.transition(action)
    version = (
        ProcedureVersion.objects.select_for_update(of=("self",))
        .select_related("procedure", "publication_task__agency", "implementing_agency")
        .get(pk=version.pk)
    )
    agency = owner_agency(version)
    change = VersionChange(
        actor=actor,
        now=timezone.now(),
        note=note,
        decision_number=decision_number,
        decision_date=decision_date,
        effective_date=effective_date,
    )
    try:
        outcome = VERSION_LIFECYCLE.run(
            action,
            version,
            change,
            # Only the permissions this action names are asked for (one lookup).
            capabilities=version_capabilities(actor, agency, tuple(transition.actors)),
        )
    except ActorRefused:
        raise PermissionDenied(next(iter(transition.actors))) from None
    except StatusRefused:
        raise ProcedureError(
            _("Không thể “%(action)s” phiên bản đang ở trạng thái “%(status)s”.")
            % {"action": transition.label, "status": version.get_status_display()}
        ) from None
    except GuardFailed as failure:
        raise ProcedureError(failure.reason, failure.details) from None
    version.save(update_fields=[*outcome.fields, "updated_at"])
    audit_record(
        actor=actor,
        action=f"procedure_version.{action}",
        target=version,
        before={"status": outcome.before},
        after={"status": outcome.after, "note": note},
    )
    topic = f"procedures.version:{version.pk}"
    for recipient in outcome.notify:
        NOTIFIERS[recipient](version, agency, note, topic)
    if outcome.after == VersionStatus.PUBLISHED:
        # A version in force changes the catalogue (once saved, within this transaction).
        versions_activate(today=today or timezone.localdate(), procedure_ids=[version.procedure_id])
    return version


def versions_activate(*, today: date, procedure_ids: list[int] | None = None) -> dict[str, int]:
    """Bring the catalogue in line with today's date (beat job; idempotent).

    Switches ``Procedure.current_version`` to the version in force, retires
    versions whose validity ended, and locks reception of abolished procedures.
    Every switch is a compare-and-set on the procedure row.
    """
    counts = {"activated": 0, "retired": 0, "locked": 0}
    # The public catalogue pages are cached until the catalogue changes.
    transaction.on_commit(lambda: public_pages_invalidate(CATALOGUE))
    published = ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
    if procedure_ids is not None:
        published = published.filter(procedure_id__in=procedure_ids)
    with transaction.atomic():
        in_force = published.filter(valid_from__lte=today).exclude(valid_to__lte=today)
        for version in in_force.select_related("procedure").order_by("procedure_id", "-valid_from"):
            procedure = version.procedure
            if procedure.current_version_id == version.pk or (
                procedure.abolished_on and procedure.abolished_on <= today
            ):
                continue
            updated = Procedure.objects.filter(
                pk=procedure.pk, current_version_id=procedure.current_version_id
            ).update(current_version=version)
            if updated:
                counts["activated"] += 1
                audit_record(
                    actor=None,
                    action="procedure.activate_version",
                    target=procedure,
                    before={"version": procedure.current_version_id},
                    after={"version": version.pk},
                )
        for version in published.filter(valid_to__lte=today):
            version_transition(actor=None, version=version, action="retire")
            Procedure.objects.filter(pk=version.procedure_id, current_version=version).update(
                current_version=None
            )
            counts["retired"] += 1
        abolished = Procedure.objects.filter(abolished_on__lte=today, reception_locked=False)
        if procedure_ids is not None:
            abolished = abolished.filter(pk__in=procedure_ids)
        for procedure in abolished:
            if procedure.current_version_id:
                current = procedure.current_version
                if current.valid_to is None or current.valid_to > procedure.abolished_on:
                    current.valid_to = procedure.abolished_on
                    current.save(update_fields=["valid_to", "updated_at"])
                version_transition(actor=None, version=current, action="retire")
            Procedure.objects.filter(pk=procedure.pk).update(
                reception_locked=True, current_version=None
            )
            audit_record(
                actor=None,
                action="procedure.lock_reception",
                target=procedure,
                after={"abolished_on": procedure.abolished_on},
            )
            counts["locked"] += 1
    return counts
