"""PAKN reads: the staff workspace (permission-scoped lists and one item) and
the public page of published answers.

Re-exported by ``feedback.selectors``, which keeps the ratings, the 766
inputs and the six-monthly report.
"""

from __future__ import annotations

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dossiers.models import Dossier
from tthc_portal.agencies.models import Agency
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.text import fold

from .models import OPEN_STATUSES, Feedback, FeedbackHistory, FeedbackReaction, Status
from .workflow import CAPABILITY_PERMS

MAX_QUERY_CHARS = 200

# --- staff scoping ------------------------------------------------------------------------


def feedback_for_staff(user) -> QuerySet[Feedback]:
    """Items the user's units received or are handling (provincial staff: all)."""
    if not user.is_authenticated:
        return Feedback.objects.none()
    agencies = agencies_for_user(user, CAPABILITY_PERMS["viewer"][0])
    return Feedback.objects.filter(
        Q(agency__in=agencies.values("pk")) | Q(receiving_agency__in=agencies.values("pk"))
    ).select_related("agency", "receiving_agency", "field")


def feedback_for_user(user, pk: int) -> Feedback:
    """Raises Feedback.DoesNotExist (→ 404) outside the user's units."""
    return (
        feedback_for_staff(user)
        .select_related("dossier", "procedure", "about_agency", "follow_up_of", "answer_agency")
        .prefetch_related(
            "attachments",
            Prefetch("history", queryset=FeedbackHistory.objects.select_related("actor", "agency")),
        )
        .get(pk=pk)
    )


def staff_inbox(
    user, *, status: str | None = None, alert: str | None = None, query: str = ""
) -> QuerySet[Feedback]:
    items = feedback_for_staff(user)
    if status == "open":
        items = items.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        items = items.filter(status=status)
    if alert in ("due_soon", "overdue"):
        items = items.filter(alert_level=alert, status__in=OPEN_STATUSES)
    for word in fold(query[:MAX_QUERY_CHARS]).split()[:8]:
        items = items.filter(staff_search__contains=word)
    return items.order_by(F("next_due_at").asc(nulls_last=True), "-received_at", "-pk")


def feedback_by_token(token: str) -> Feedback | None:
    if not token:
        return None
    return (
        Feedback.objects.select_related("agency", "answer_agency")
        .prefetch_related("history")
        .filter(lookup_token=token)
        .first()
    )


def feedback_for_dossier(dossier: Dossier) -> QuerySet[Feedback]:
    """PAKN linked to a dossier (shown on the dossier page and dashboards)."""
    return Feedback.objects.filter(dossier=dossier).order_by("-received_at")


# --- public page --------------------------------------------------------------------------


def _reaction_count(value: str) -> Subquery:
    return Subquery(
        FeedbackReaction.objects.filter(feedback=OuterRef("pk"), value=value)
        .order_by()
        .values("feedback")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def published_feedback(
    *, query: str = "", agency: int | None = None, field: int | None = None
) -> QuerySet[Feedback]:
    """Published answers, newest first, searchable without diacritics.

    Only public columns are loaded: the submitter's details never leave the
    database here (the name is added by the page only with consent).
    """
    items = (
        Feedback.objects.filter(status=Status.PUBLISHED)
        .select_related("answer_agency", "agency", "field")
        .only(
            "code",
            "title",
            "content",
            "answer",
            "published_at",
            "received_at",
            "kind",
            "consent_publish_identity",
            "submitter_name",
            "status",
            "answer_agency__name",
            "agency__name",
            "field__name",
        )
        .annotate(
            likes=Coalesce(_reaction_count("like"), 0),
            dislikes=Coalesce(_reaction_count("dislike"), 0),
        )
    )
    words = fold(query[:MAX_QUERY_CHARS]).split()
    for word in words[:8]:
        items = items.filter(search_folded__contains=word)
    if agency:
        items = items.filter(
            Q(answer_agency_id=agency) | Q(answer_agency__isnull=True, agency_id=agency)
        )
    if field:
        items = items.filter(field_id=field)
    return items.order_by("-published_at", "-pk")


def published_facets() -> dict[str, list[tuple[int, str, int]]]:
    """Agencies and fields that have published answers, with counts (two queries)."""
    published = Feedback.objects.filter(status=Status.PUBLISHED)
    agencies = (
        published.annotate(unit=Coalesce("answer_agency", "agency"))
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = dict(
        Agency.objects.filter(pk__in=[a["unit"] for a in agencies]).values_list("pk", "name")
    )
    fields = (
        published.filter(field__isnull=False)
        .values("field", "field__name")
        .annotate(n=Count("pk"))
        .order_by("field__name")
    )
    return {
        "agencies": sorted(
            ((a["unit"], names.get(a["unit"], ""), a["n"]) for a in agencies), key=lambda r: r[1]
        ),
        "fields": [(f["field"], f["field__name"], f["n"]) for f in fields],
    }


def published_by_code(code: str) -> Feedback | None:
    return published_feedback().filter(code=(code or "").strip().upper()).first()
