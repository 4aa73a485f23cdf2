"""Decision 1085/QĐ-TTg: the inventory of internal procedures and their simplification plans."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tthc_portal.audit.services import audit_record

from ..models import Procedure, ProcedureVersion, SimplificationPlan
from . import ProcedureError
from .versions import version_create_draft

# A unit's own drafters keep its plans; the provincial office (TTPVHCC, KSTT) enters
# and corrects them for any unit, as it does the 1085 report.
SIMPLIFICATION_PERMS = ("draft_procedures", "control_publication")
COUNT_FIELDS = ("steps_before", "steps_after", "documents_before", "documents_after")
PLAN_FIELDS = (
    "procedure", "agency", "approval_decision", "approved_on", "abolish", "cost_before_vnd",
    "cost_after_vnd", *COUNT_FIELDS, "implemented_on", "note",
)  # fmt: skip


def require_simplification_perm(actor, agency) -> None:
    if agency is None or not any(
        actor.has_perm(f"agencies.{p}", agency) for p in SIMPLIFICATION_PERMS
    ):
        raise PermissionDenied("simplification")


def _plan_errors(data: dict[str, Any]) -> None:
    before, after = data["cost_before_vnd"], data["cost_after_vnd"]
    if after > before:
        raise ProcedureError(_("Chi phí sau không được lớn hơn chi phí trước."))
    if data.get("abolish") and after:
        raise ProcedureError(_("Phương án bãi bỏ thủ tục thì chi phí tuân thủ sau phải bằng 0."))


@transaction.atomic
def simplification_plan_save(
    *, actor, data: dict[str, Any], plan: SimplificationPlan | None = None
) -> SimplificationPlan:
    """Create a plan, or update ``plan``; one plan per internal procedure."""
    data = {k: v for k, v in data.items() if k in PLAN_FIELDS}
    for key in COUNT_FIELDS:
        if data.get(key) is None:
            data[key] = 0
    require_simplification_perm(actor, data["agency"])
    _plan_errors(data)
    before = None
    if plan is not None:
        plan = SimplificationPlan.objects.select_for_update().get(pk=plan.pk)
        # Moving a plan to another unit needs the right on the unit it leaves too.
        require_simplification_perm(actor, plan.agency)
        before = _plan_record(plan)
    clash = SimplificationPlan.objects.filter(procedure=data["procedure"])
    if plan is not None:
        clash = clash.exclude(pk=plan.pk)
    if clash.exists():
        raise ProcedureError(_("Thủ tục này đã có phương án đơn giản hóa; hãy sửa phương án đó."))
    plan = plan or SimplificationPlan()
    for key, value in data.items():
        setattr(plan, key, value)
    plan.implemented = plan.implemented_on is not None
    plan.save()
    audit_record(
        actor=actor,
        action="simplification_plan.create" if before is None else "simplification_plan.update",
        target=plan,
        before=before,
        after=_plan_record(plan),
    )
    return plan


def _plan_record(plan: SimplificationPlan) -> dict[str, Any]:
    return {
        "procedure": plan.procedure_id,
        "agency": plan.agency_id,
        "cost_before": plan.cost_before_vnd,
        "cost_after": plan.cost_after_vnd,
        "abolish": plan.abolish,
        "approved_on": plan.approved_on,
        "implemented_on": plan.implemented_on,
    }


@transaction.atomic
def internal_procedure_register(
    *,
    actor,
    agency,
    name: str,
    internal_scope: str,
    field,
    level: str,
    code: str = "",
) -> ProcedureVersion:
    """Enter one internal procedure (TTHC nội bộ) of a unit into the inventory.

    It is a catalogue procedure like any other (publication.md §8: same model,
    ``is_internal``), started as a draft the unit completes and publishes later.
    """
    require_simplification_perm(actor, agency)
    code = code.strip()
    if code and Procedure.objects.filter(code=code).exists():
        raise ProcedureError(_("Mã TTHC %(code)s đã được dùng cho thủ tục khác.") % {"code": code})
    version = version_create_draft(
        actor=actor,
        code=code or None,
        content={
            "name": name.strip(),
            "implementing_agency": agency,
            "implementing_agency_text": agency.name,
            "field": field,
            "level": level,
            "is_internal": True,
            "internal_scope": internal_scope,
        },
        # Checked above: the provincial office enters the inventory without
        # being a drafter of the unit.
        check_permission=False,
    )
    audit_record(
        actor=actor,
        action="internal_procedure.register",
        target=version.procedure,
        after={"version": version.pk, "agency": agency.pk, "scope": internal_scope},
    )
    return version
