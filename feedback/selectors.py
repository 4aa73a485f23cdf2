"""Reads: ratings, aggregates, the six-monthly report and the 766 inputs.

The index inputs (criteria 5.2, 5.3 and the dossier set of 5.4) are computed
in SQL from the instants and deadlines stored on each row; Python only
divides and rounds. The PAKN workspace lists and the public page live in
``selectors_pakn`` and are re-exported here, so ``feedback.selectors`` stays
the one import for every read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dossiers.models import Dossier
from tthc_portal.agencies.selectors import agencies_for_user

from .models import (
    Category,
    Channel,
    Feedback,
    FeedbackReaction,
    Like,
    Rating,
    RatingScore,
)
from .selectors_pakn import MAX_QUERY_CHARS as MAX_QUERY_CHARS
from .selectors_pakn import _reaction_count
from .selectors_pakn import feedback_by_token as feedback_by_token
from .selectors_pakn import feedback_for_dossier as feedback_for_dossier
from .selectors_pakn import feedback_for_staff as feedback_for_staff
from .selectors_pakn import feedback_for_user as feedback_for_user
from .selectors_pakn import published_by_code as published_by_code
from .selectors_pakn import published_facets as published_facets
from .selectors_pakn import published_feedback as published_feedback
from .selectors_pakn import staff_inbox as staff_inbox

# --- periods ------------------------------------------------------------------------------


def period_bounds(start: date | datetime, end: date | datetime) -> tuple[datetime, datetime]:
    """[start, end) as aware instants. Dates are whole local days, both included."""
    tz = timezone.get_current_timezone()

    def instant(value: date | datetime, *, is_end: bool) -> datetime:
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value, tz)
        day = value + timedelta(days=1) if is_end else value
        return datetime.combine(day, time.min, tz)

    return instant(start, is_end=False), instant(end, is_end=True)


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- ratings ------------------------------------------------------------------------------


def rating_for_dossier(dossier: Dossier, source: str) -> Rating | None:
    return Rating.objects.filter(dossier=dossier, source=source).first()


def ratings_for_staff(user) -> QuerySet[Rating]:
    if not user.is_authenticated:
        return Rating.objects.none()
    agencies = agencies_for_user(user, "view_agency_records")
    return Rating.objects.filter(
        dossier__receiving_agency__in=agencies.values("pk")
    ).select_related("dossier__receiving_agency", "dossier__procedure_version")


def rating_detail_for_user(user, pk: int) -> Rating:
    return (
        ratings_for_staff(user)
        .select_related("rule_set", "reviewed_by", "submitted_by")
        .prefetch_related(
            Prefetch("scores", queryset=RatingScore.objects.select_related("criterion")),
            "revisions",
        )
        .get(pk=pk)
    )


GROUPS = {
    "agency": ("dossier__receiving_agency", "dossier__receiving_agency__name"),
    "procedure": (
        "dossier__procedure_version__procedure",
        "dossier__procedure_version__name",
    ),
}


def rating_summary(
    *,
    group: str,
    start: date | datetime,
    end: date | datetime,
    agency_ids: Iterable[int] | None = None,
    bands: Iterable[str] = (),
) -> list[dict]:
    """Evaluations per agency or per procedure in one grouped SQL query:
    count, average total, likes, dislikes, and a count per band code."""
    key, label = GROUPS[group]
    since, until = period_bounds(start, end)
    ratings = Rating.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
    if agency_ids is not None:
        ratings = ratings.filter(dossier__receiving_agency_id__in=list(agency_ids))
    band_counts = {f"band_{code}": Count("pk", filter=Q(band_code=code)) for code in bands}
    rows = (
        ratings.values(key)
        .annotate(
            label=Coalesce(F(label), Value("")),
            count=Count("pk"),
            dossiers=Count("dossier", distinct=True),
            average=Avg("total"),
            likes=Count("pk", filter=Q(like=Like.LIKE)),
            dislikes=Count("pk", filter=Q(like=Like.DISLIKE)),
            **band_counts,
        )
        .order_by(label)
    )
    result = []
    for row in rows:
        row["key"] = row.pop(key)
        row["average"] = _round(Decimal(row["average"] or 0))
        row["bands"] = {code: row.pop(f"band_{code}") for code in bands}
        result.append(row)
    return result


# --- criterion 5.4 input -----------------------------------------------------------------


def dossiers_with_dislike_or_pakn(
    agency_ids: Iterable[int], start: date | datetime, end: date | datetime
) -> QuerySet[Dossier]:
    """Dossiers of the agencies with a "dislike" evaluation, or a PAKN naming
    them, during the period — each dossier once (a distinct id queryset, usable
    as a subquery or counted with ``.count()``)."""
    since, until = period_bounds(start, end)
    disliked = Rating.objects.filter(
        dossier=OuterRef("pk"), like=Like.DISLIKE, submitted_at__gte=since, submitted_at__lt=until
    )
    with_pakn = Feedback.objects.filter(
        dossier=OuterRef("pk"), received_at__gte=since, received_at__lt=until
    )
    return (
        Dossier.objects.filter(receiving_agency_id__in=list(agency_ids))
        .filter(Exists(disliked) | Exists(with_pakn))
        .values_list("pk", flat=True)
        .order_by("pk")
    )


# --- criteria 5.2 and 5.3 ---------------------------------------------------------------


@dataclass(frozen=True)
class CriterionValue:
    code: str
    numerator: int
    denominator: int
    ratio: Decimal  # percent, 2 decimals
    score: Decimal  # points, 2 decimals
    max_score: Decimal

    @classmethod
    def of(cls, code: str, numerator: int, denominator: int, max_score: Decimal):
        if denominator == 0:
            # 766 operational rule: full points when the unit had no PAKN.
            return cls(code, 0, 0, Decimal("0.00"), _round(max_score), max_score)
        ratio = Decimal(numerator) / Decimal(denominator)
        return cls(
            code, numerator, denominator, _round(ratio * 100), _round(ratio * max_score), max_score
        )


@dataclass(frozen=True)
class PaknCriteria:
    c52: CriterionValue
    c53: CriterionValue
    received: int
    late: int
    disliked: int
    followed_up: int
    by_subject: dict[str, int]  # criterion 5.1 (monitoring only)


def pakn_late_q(until: datetime) -> Q:
    """Late as judged at the period end ``until`` (indicators-766.md, 5.2).

    Public: the one definition of a late PAKN, read by this app's reports and
    by the 766 engine and drill-down (``indicators``).

    * refused after the refusal deadline;
    * the first supplement request after its deadline;
    * "awaiting publication" reached after the handling deadline, or, still
      open at the period end, the handling deadline already passed (paused
      items are judged at the moment the clock stopped);
    * published after the publication deadline, or approved and still
      unpublished past it.
    """
    refused_late = Q(refused_at__lt=until, refused_at__gt=F("refuse_due_at"))
    supplement_late = Q(
        supplement_requested_at__lt=until, supplement_requested_at__gt=F("supplement_due_at")
    )
    handled = Q(approved_at__lt=until)
    handled_late = handled & Q(approved_at__gt=F("handle_due_at"))
    finished_otherwise = Q(refused_at__lt=until) | Q(forwarded_out_at__lt=until)
    paused_at_end = Q(pauses_clock=True, supplement_requested_at__lt=until) & (
        Q(supplement_received_at__isnull=True) | Q(supplement_received_at__gte=until)
    )
    open_late = (
        ~handled
        & ~finished_otherwise
        & (
            (paused_at_end & Q(supplement_requested_at__gt=F("handle_base_due_at")))
            | (~paused_at_end & Q(handle_due_at__lt=until))
        )
    )
    publish_late = handled & (
        Q(published_at__lt=until, published_at__gt=F("publish_due_at"))
        | (~Q(published_at__lt=until) & Q(publish_due_at__lt=until))
    )
    return refused_late | supplement_late | handled_late | open_late | publish_late


def _flag(condition: Q | Exists) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _in_authority(agency_ids: list[int], until: datetime) -> QuerySet[Feedback]:
    """Items under the units' authority: sent outside the province by the
    period end, they are no longer the unit's (and leave both criteria)."""
    return Feedback.objects.filter(agency_id__in=agency_ids, received_at__lt=until).exclude(
        forwarded_out_at__lt=until
    )


def pakn_criteria(
    agency_ids: Iterable[int],
    start: date | datetime,
    end: date | datetime,
    *,
    max_score: Decimal = Decimal(6),
) -> PaknCriteria:
    """Criteria 5.2 and 5.3 of Decision 766 for the pooled units ``agency_ids``.

    5.2 (handled on time): denominator = PAKN under the units' authority
    received in the period, plus those received earlier and not finished
    before it started; numerator = those not late at the period end.

    5.3 (satisfaction): denominator = PAKN first received in the period
    (each once); numerator = those neither late, nor rated unsatisfied (more
    dislikes than likes), nor followed by a new PAKN about their result.

    Each gives ``max_score`` when its denominator is 0.
    """
    ids = list(agency_ids)
    since, until = period_bounds(start, end)
    late = _flag(pakn_late_q(until))

    scope_52 = _in_authority(ids, until).filter(
        Q(received_at__gte=since) | Q(finished_at__isnull=True) | Q(finished_at__gte=since)
    )
    c52 = scope_52.aggregate(d=Count("pk"), late=Coalesce(Sum(late), 0))

    likes = Subquery(
        FeedbackReaction.objects.filter(feedback=OuterRef("pk"), value="like", created_at__lt=until)
        .order_by()
        .values("feedback")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    dislikes = Subquery(
        FeedbackReaction.objects.filter(
            feedback=OuterRef("pk"), value="dislike", created_at__lt=until
        )
        .order_by()
        .values("feedback")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )
    follow_up = Exists(Feedback.objects.filter(follow_up_of=OuterRef("pk"), received_at__lt=until))
    received = (
        _in_authority(ids, until)
        .filter(received_at__gte=since)
        .annotate(
            n_likes=Coalesce(likes, 0),
            n_dislikes=Coalesce(dislikes, 0),
            is_late=late,
            is_followed=_flag(follow_up),
        )
        .annotate(is_disliked=_flag(Q(n_dislikes__gt=F("n_likes"))))
    )
    c53 = received.aggregate(
        d=Count("pk"),
        late=Coalesce(Sum("is_late"), 0),
        disliked=Coalesce(Sum("is_disliked"), 0),
        followed=Coalesce(Sum("is_followed"), 0),
        satisfied=Count("pk", filter=Q(is_late=0, is_disliked=0, is_followed=0)),
        regulation=Count("pk", filter=Q(subject="regulation")),
        official=Count("pk", filter=Q(subject="official_behaviour")),
    )
    return PaknCriteria(
        c52=CriterionValue.of("5.2", c52["d"] - c52["late"], c52["d"], max_score),
        c53=CriterionValue.of("5.3", c53["satisfied"], c53["d"], max_score),
        received=c53["d"],
        late=c53["late"],
        disliked=c53["disliked"],
        followed_up=c53["followed"],
        by_subject={"regulation": c53["regulation"], "official_behaviour": c53["official"]},
    )


# --- six-monthly report --------------------------------------------------------------------


def pakn_report(
    start: date | datetime, end: date | datetime, agency_ids: Iterable[int] | None = None
) -> list[dict]:
    """Per handling unit, PAKN received in the period (Decree 20/2008 Art. 22
    and feedback.md, Reporting): by channel and class, forwarded, handled on
    time and late, published, likes and dislikes, still open. One query."""
    since, until = period_bounds(start, end)
    items = Feedback.objects.filter(received_at__gte=since, received_at__lt=until)
    if agency_ids is not None:
        items = items.filter(agency_id__in=list(agency_ids))
    late = _flag(pakn_late_q(until))
    handled = Q(approved_at__lt=until) | Q(refused_at__lt=until) | Q(forwarded_out_at__lt=until)
    counts = {
        "received": Count("pk"),
        **{f"channel_{c}": Count("pk", filter=Q(channel=c)) for c in Channel.values},
        **{f"category_{c}": Count("pk", filter=Q(category=c)) for c in Category.values},
        "unclassified": Count("pk", filter=Q(category="")),
        "subject_regulation": Count("pk", filter=Q(subject="regulation")),
        "subject_official": Count("pk", filter=Q(subject="official_behaviour")),
        "forwarded": Count("pk", filter=Q(forwarded_out_at__lt=until)),
        "handled": Count("pk", filter=handled),
        "handled_on_time": Count("pk", filter=handled & Q(is_late=0)),
        "handled_late": Count("pk", filter=handled & Q(is_late=1)),
        "open_late": Count("pk", filter=~handled & Q(is_late=1)),
        "published": Count("pk", filter=Q(published_at__lt=until)),
        "open": Count("pk", filter=~handled),
        "follow_ups": Count("pk", filter=Q(follow_up_of__isnull=False)),
        "likes": Coalesce(Sum("n_likes"), 0),
        "dislikes": Coalesce(Sum("n_dislikes"), 0),
    }
    rows = (
        items.annotate(
            is_late=late,
            n_likes=Coalesce(_reaction_count("like"), 0),
            n_dislikes=Coalesce(_reaction_count("dislike"), 0),
        )
        .values("agency", "agency__name")
        .annotate(**counts)
        .order_by("agency__name")
    )
    return [dict(row) for row in rows]
