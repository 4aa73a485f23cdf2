"""Permission-scoped reads for the publication workspace."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.workdays.services import get_calendar

from .models import (
    ProcedureVersion,
    PublicationItem,
    PublicationTask,
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
