"""Permission-scoped reads of the disposal lists.

A records officer or archive head (global permission from their group) sees the
lists of the agencies under their memberships (the agency and its subtree)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from tthc_portal.agencies.models import Agency, StaffMembership

from .models import DisposalItem, DisposalList, DisposalPaper

LIST_PERMS = (
    "records.review_disposallist",
    "records.approve_disposallist",
)


def records_perms(user) -> set[str]:
    if not user.is_authenticated or not user.is_active:
        return set()
    return {perm for perm in (*LIST_PERMS, "records.manage_legalhold") if user.has_perm(perm)}


def records_agencies(user) -> QuerySet[Agency]:
    """Agencies whose records the user handles: their memberships' subtrees."""
    if user.is_superuser:
        return Agency.objects.all()
    paths = list(StaffMembership.objects.filter(user=user).values_list("agency__path", flat=True))
    if not paths:
        return Agency.objects.none()
    scope = Q()
    for path in paths:
        scope |= Q(path__startswith=path)
    return Agency.objects.filter(scope)


def disposal_lists_for_user(user) -> QuerySet[DisposalList]:
    if not records_perms(user) & set(LIST_PERMS):
        return DisposalList.objects.none()
    return (
        DisposalList.objects.filter(agency__in=records_agencies(user))
        .select_related("agency", "reviewed_by", "approved_by")
        .annotate(
            n_items=Count("items", filter=Q(items__removed=False)),
            n_removed=Count("items", filter=Q(items__removed=True)),
        )
        # Aggregates drop Meta.ordering: say it, so the pages are stable.
        .order_by("-period", "agency__name", "pk")
    )


def disposal_items(disposal_list: DisposalList) -> QuerySet[DisposalItem]:
    return disposal_list.items.select_related(
        "dossier__procedure_version__procedure", "removed_by"
    ).order_by("removed", "closed_at", "pk")


def disposal_papers(disposal_list: DisposalList) -> QuerySet[DisposalPaper]:
    return disposal_list.papers.all()
