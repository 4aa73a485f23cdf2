"""Criteria 5.1–5.3 for every unit at once.

``feedback.selectors.pakn_criteria`` answers for one pool of units; calling
it per unit would cost two queries per unit. Here the same aggregates are
grouped by the handling unit, and each unit's subtree (and the province) adds
its members' counts: every PAKN belongs to exactly one unit, so the sums equal
the pooled answer (tests/indicators/test_pakn_grouped.py checks it).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from feedback.models import Feedback, FeedbackReaction
from feedback.selectors import pakn_late_q  # the one definition of a late PAKN (5.2)

from .rows import flag

KEYS = ("d52", "late52", "d53", "satisfied", "regulation", "official")
# The same lateness judged at the period end (the forecast of an open period).
FORECAST_KEYS = ("flate52", "fsatisfied")


def _reactions(value: str, until: datetime.datetime) -> Subquery:
    return Subquery(
        FeedbackReaction.objects.filter(feedback=OuterRef("pk"), value=value, created_at__lt=until)
        .order_by()
        .values("feedback")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def in_authority(
    agency_ids: list[int] | None, until: datetime.datetime
) -> models.QuerySet[Feedback]:  # noqa: F821
    """Items under the units' authority at the period end (as ``feedback.selectors``)."""
    items = Feedback.objects.filter(received_at__lt=until).exclude(forwarded_out_at__lt=until)
    if agency_ids is not None:
        items = items.filter(agency_id__in=agency_ids)
    return items


def scope_52(agency_ids, since, until):
    return in_authority(agency_ids, until).filter(
        Q(received_at__gte=since) | Q(finished_at__isnull=True) | Q(finished_at__gte=since)
    )


def judged(until: datetime.datetime, judged_at: datetime.datetime | None) -> datetime.datetime:
    """The instant open items are judged at: ``judged_at`` capped at the period end."""
    return until if judged_at is None else min(judged_at, until)


def received_53(agency_ids, since, until, judged_at=None):
    """5.3 rows: first received in the period, with their lateness and satisfaction
    flags (``is_late`` judged at ``judged_at``, default the period end; an item not
    yet due then is not late)."""
    follow_up = Exists(Feedback.objects.filter(follow_up_of=OuterRef("pk"), received_at__lt=until))
    return (
        in_authority(agency_ids, until)
        .filter(received_at__gte=since)
        .annotate(
            n_likes=Coalesce(_reactions("like", until), 0),
            n_dislikes=Coalesce(_reactions("dislike", until), 0),
            is_late=flag(pakn_late_q(judged(until, judged_at))),
            is_late_end=flag(pakn_late_q(until)),
            is_followed=flag(follow_up),
        )
        .annotate(is_disliked=flag(Q(n_dislikes__gt=F("n_likes"))))
    )


def pakn_counts(
    agency_ids: list[int] | None,
    since: datetime.datetime,
    until: datetime.datetime,
    judged_at: datetime.datetime | None = None,
) -> dict[int, dict[str, int]]:
    """Per handling unit: 5.2 denominator and late, 5.3 denominator and
    satisfied, 5.1 split by subject; lateness judged at ``judged_at`` (the
    score now) and, under ``FORECAST_KEYS``, at the period end. Two queries."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(KEYS + FORECAST_KEYS, 0))
    rows_52 = (
        scope_52(agency_ids, since, until)
        .values("agency_id")
        .annotate(
            d=Count("pk"),
            late=Coalesce(Sum(flag(pakn_late_q(judged(until, judged_at)))), 0),
            late_end=Coalesce(Sum(flag(pakn_late_q(until))), 0),
        )
        .order_by()
    )
    for row in rows_52:
        counts[row["agency_id"]].update(d52=row["d"], late52=row["late"], flate52=row["late_end"])
    rows_53 = (
        received_53(agency_ids, since, until, judged_at)
        .values("agency_id")
        .annotate(
            d=Count("pk"),
            satisfied=Count("pk", filter=Q(is_late=0, is_disliked=0, is_followed=0)),
            satisfied_end=Count("pk", filter=Q(is_late_end=0, is_disliked=0, is_followed=0)),
            regulation=Count("pk", filter=Q(subject="regulation")),
            official=Count("pk", filter=Q(subject="official_behaviour")),
        )
        .order_by()
    )
    for row in rows_53:
        counts[row["agency_id"]].update(
            d53=row["d"],
            satisfied=row["satisfied"],
            fsatisfied=row["satisfied_end"],
            regulation=row["regulation"],
            official=row["official"],
        )
    return dict(counts)
