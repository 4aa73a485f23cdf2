from __future__ import annotations

from typing import Any

from django.db import transaction

from tthc_portal.audit.services import audit_record

from ..models import SimplificationPlan
from . import require_agency_perm


@transaction.atomic
def simplification_plan_save(*, actor, data: dict[str, Any]) -> SimplificationPlan:
    require_agency_perm(actor, "draft_procedures", data["agency"])
    counts = ("steps_before", "steps_after", "documents_before", "documents_after")
    plan = SimplificationPlan.objects.create(
        **{k: (v if v is not None or k not in counts else 0) for k, v in data.items()}
    )
    audit_record(
        actor=actor,
        action="simplification_plan.create",
        target=plan,
        after={
            "procedure": plan.procedure_id,
            "cost_before": plan.cost_before_vnd,
            "cost_after": plan.cost_after_vnd,
            "abolish": plan.abolish,
        },
    )
    return plan
