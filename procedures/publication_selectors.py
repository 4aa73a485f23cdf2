"""Permission-scoped reads for the publication workspace."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.workdays.services import get_calendar

from .models import (
    ProcedureVersion,
    PublicationItem,
    PublicationTask,
    SimplificationPlan,
)
from .services.publication import task_deadlines, task_overall_state


def tasks_for_user(user) -> QuerySet[PublicationTask]:
    return (
        PublicationTask.objects.filter(agency__in=agencies_for_user(user, "view_agency_records"))
        .select_related("agency", "ministry_decision")
        .order_by("status", "list_due", "pk")
    )


def board_rows(user, today: date, state: str | None = None) -> list[dict]:
    """Each task with its deadline states; filtered by the overall state."""
    calendar = get_calendar()
    rows = []
    for task in tasks_for_user(user).annotate(item_count=Count("items")):
        deadlines = task_deadlines(task, today, calendar)
        overall = task_overall_state(deadlines)
        if state and overall != state:
            continue
        rows.append({"task": task, "deadlines": deadlines, "overall": overall})
    return rows


def task_for_user(user, pk: int) -> PublicationTask:
    items = PublicationItem.objects.select_related("version", "procedure").order_by("pk")
    return tasks_for_user(user).prefetch_related(Prefetch("items", queryset=items)).get(pk=pk)


def version_for_user(user, pk: int) -> ProcedureVersion:
    """A version the user may see: owned by one of their agencies."""
    agencies = agencies_for_user(user, "view_agency_records")
    return (
        ProcedureVersion.objects.filter(
            Q(publication_task__agency__in=agencies)
            | Q(publication_task__isnull=True, implementing_agency__in=agencies)
        )
        .select_related("procedure", "field", "implementing_agency", "publication_task__agency")
        .prefetch_related("components", "fees", "legal_bases", "steps__unit")
        .get(pk=pk)
    )


def simplification_progress(user) -> list[dict]:
    """Per agency: internal procedures, plans, and progress toward the 20%/20% targets."""
    agencies = agencies_for_user(user, "view_agency_records")
    # Baseline: every internal procedure the agency has ever implemented.
    internal_counts = dict(
        ProcedureVersion.objects.filter(is_internal=True, implementing_agency__in=agencies)
        .values_list("implementing_agency")
        .annotate(n=Count("procedure", distinct=True))
    )
    plans = (
        SimplificationPlan.objects.filter(agency__in=agencies)
        .values("agency")
        .annotate(
            plans=Count("pk"),
            abolished=Count("pk", filter=Q(abolish=True)),
            cost_before=Sum("cost_before_vnd"),
            cost_after=Sum("cost_after_vnd"),
        )
    )
    by_agency = {row["agency"]: row for row in plans}
    rows = []
    for agency in Agency.objects.filter(pk__in=set(by_agency) | set(internal_counts)).filter(
        pk__in=agencies
    ):
        plan = by_agency.get(agency.pk, {})
        total = internal_counts.get(agency.pk, 0)
        cost_before = plan.get("cost_before") or 0
        cost_after = plan.get("cost_after") or 0
        count_cut = (plan.get("abolished", 0) * 100 / total) if total else 0
        cost_cut = ((cost_before - cost_after) * 100 / cost_before) if cost_before else 0
        rows.append(
            {
                "agency": agency,
                "internal": total,
                "plans": plan.get("plans", 0),
                "abolished": plan.get("abolished", 0),
                "count_cut": count_cut,
                "cost_before": cost_before,
                "cost_after": cost_after,
                "cost_cut": cost_cut,
                "count_ok": count_cut >= 20,
                "cost_ok": cost_cut >= 20,
            }
        )
    return rows
