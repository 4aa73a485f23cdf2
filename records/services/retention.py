"""Which closed dossiers are past their retention period (one set-based query)."""

from __future__ import annotations

import datetime

from django.db.models import (
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from dossiers.models import Dossier, Status, StatusHistory
from feedback.models import OPEN_STATUSES as PAKN_OPEN
from feedback.models import Feedback

from .. import defaults
from ..models import DisposalItem, DisposedDossier, LegalHold, RetentionRule
from ..workflow import ACTIVE_STATUSES

# Closed: nothing more will happen to the dossier ("result ready" still waits for pick-up).
CLOSED_STATUSES = (
    Status.RETURNED,
    Status.REFUSED,
    Status.REJECTED,
    Status.WITHDRAWN,
    Status.STOPPED,
    Status.ARCHIVED,
)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    return years_before(day, -years)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def closed_at_expression() -> Coalesce:
    """Retention runs from the return date, else the end of processing, else the
    moment the dossier entered its closed status (refused, withdrawn, stopped)."""
    entered = (
        StatusHistory.objects.filter(dossier=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-at")
        .values("at")[:1]
    )
    return Coalesce("returned_at", "completed_at", Subquery(entered, output_field=DateTimeField()))


def rule_on(today: datetime.date) -> QuerySet[RetentionRule]:
    """The rules in force on ``today``, newest first per version."""
    return RetentionRule.objects.filter(valid_from__lte=today).order_by("-valid_from")


def retention_expression(today: datetime.date) -> Coalesce:
    rule = rule_on(today).filter(procedure_version=OuterRef("procedure_version"))
    return Coalesce(
        Subquery(rule.values("dossier_years")[:1], output_field=IntegerField()),
        Value(defaults.dossier_years()),
    )


def protected_filter() -> Q:
    """Dossiers never proposed nor destroyed: under an active legal hold, or
    under a complaint (a PAKN still being handled, linked by row or by code)."""
    held = LegalHold.objects.filter(dossier=OuterRef("pk"), lifted_at__isnull=True)
    pakn = Feedback.objects.filter(status__in=PAKN_OPEN)
    complained = pakn.filter(dossier=OuterRef("pk"))
    by_code = pakn.filter(dossier__isnull=True, dossier_code=OuterRef("code"))
    return Q(Exists(held)) | Q(Exists(complained)) | Q(Exists(by_code))


def disposal_candidates(today: datetime.date | None = None) -> QuerySet[Dossier]:
    """Closed dossiers past retention, not protected, not yet disposed nor on a
    live list, nor recently taken off one; annotated ``closed_on`` and ``retention``."""
    today = today or timezone.localdate()
    years = set(RetentionRule.objects.values_list("dossier_years", flat=True).distinct())
    years.add(defaults.dossier_years())
    past = Q()
    for y in sorted(years):
        past |= Q(retention=y, closed_on__lt=local_midnight(years_before(today, y)))
    removed_since = timezone.now() - datetime.timedelta(days=31 * defaults.removal_months())
    listed = DisposalItem.objects.filter(dossier=OuterRef("pk")).filter(
        Q(removed=False, disposal_list__status__in=ACTIVE_STATUSES)
        | Q(removed=True, removed_at__gte=removed_since)
    )
    return (
        Dossier.objects.filter(status__in=CLOSED_STATUSES)
        .annotate(closed_on=closed_at_expression(), retention=retention_expression(today))
        .filter(past)
        .exclude(Exists(DisposedDossier.objects.filter(dossier=OuterRef("pk"))))
        .exclude(Exists(listed))
        .exclude(protected_filter())
        .order_by("receiving_agency_id", "closed_on", "pk")
    )


def result_years_by_version(version_ids: set[int], today: datetime.date) -> dict[int, int | None]:
    """Each version's result period on ``today`` (None: permanent), default where unset."""
    found: dict[int, int | None] = {}
    for rule in rule_on(today).filter(procedure_version_id__in=version_ids):
        found.setdefault(rule.procedure_version_id, rule.result_years)
    default = defaults.result_years()
    return {pk: found.get(pk, default) for pk in version_ids}


def result_kept(rows: list[tuple[int, int, datetime.datetime]], today: datetime.date) -> set[int]:
    """Of ``(dossier id, version id, closed at)``, the dossiers whose result's own
    period has not passed on ``today`` (or is permanent)."""
    periods = result_years_by_version({version for _pk, version, _closed in rows}, today)
    kept = set()
    for pk, version, closed in rows:
        years = periods[version]
        if years is None or years_after(timezone.localdate(closed), years) > today:
            kept.add(pk)
    return kept
