"""(a) Evaluation of dossier handling: invite, pre-fill, submit, edit, appraise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier, Status
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.audit.services import audit_record
from tthc_portal.notifications.models import OutboxMessage
from tthc_portal.notifications.services import notify_from_template

from ..models import (
    Like,
    Prefill,
    Rating,
    RatingBand,
    RatingCriterion,
    RatingLink,
    RatingRevision,
    RatingRuleSet,
    RatingScore,
    RatingSource,
)
from . import FeedbackError, site_url

# A dossier can be evaluated once its handling has ended with a code on it.
RATEABLE_STATUSES = (
    Status.RESULT_READY,
    Status.RETURNED,
    Status.REJECTED,
    Status.STOPPED,
    Status.WITHDRAWN,
    Status.ARCHIVED,
)
STAFF_SOURCES = (RatingSource.PAPER, RatingSource.DVCQG)


def rule_set_for(on: date) -> RatingRuleSet:
    """The evaluation sheet in force on ``on``, criteria and bands prefetched."""
    rule_set = (
        RatingRuleSet.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .order_by("-valid_from")
        .prefetch_related(
            Prefetch("criteria", queryset=RatingCriterion.objects.order_by("order")),
            Prefetch("bands", queryset=RatingBand.objects.order_by("order")),
        )
        .first()
    )
    if rule_set is None:
        raise FeedbackError(_("Chưa cấu hình bộ tiêu chí đánh giá cho ngày %(d)s.") % {"d": on})
    return rule_set


# --- measures and the rubric -----------------------------------------------------------------


@dataclass(frozen=True)
class DossierMeasures:
    """What the record says about criteria 1-4 (None: not known from the record)."""

    timeliness: str | None  # early | on_time | late_with_apology | late
    contacts: int
    agencies: int
    coordinating_agencies: int


def dossier_measures(dossier: Dossier) -> DossierMeasures:
    end = dossier.completed_at or dossier.returned_at
    due = dossier.original_due_at or dossier.due_at
    timeliness = None
    if end is not None and due is not None:
        if end <= due:
            early = timezone.localdate(end) < timezone.localdate(due)
            timeliness = "early" if early else "on_time"
        elif dossier.apology_issued:
            timeliness = "late_with_apology"
        else:
            timeliness = "late"
    # One contact to submit, one more for every consolidated supplement request.
    contacts = 1 + dossier.supplement_requests.count()
    coordinating = dossier.procedure_version.coordinating_agencies.count()
    return DossierMeasures(timeliness, contacts, 1, coordinating)


def _by_thresholds(rubric: dict[str, Any], measure: int) -> int | None:
    for limit, score in rubric.get("thresholds", []):
        if measure <= int(limit):
            return int(score)
    otherwise = rubric.get("otherwise")
    return None if otherwise is None else int(otherwise)


def criterion_prefill(criterion: RatingCriterion, measures: DossierMeasures) -> int | None:
    """The rubric row applied to the record; None when the citizen must choose."""
    rubric = criterion.rubric or {}
    score: int | None
    if criterion.prefill == Prefill.TIMELINESS:
        if measures.timeliness is None:
            return None
        value = rubric.get(measures.timeliness)
        score = None if value is None else int(value)
    elif criterion.prefill == Prefill.CONTACTS:
        score = _by_thresholds(rubric, measures.contacts)
    elif criterion.prefill == Prefill.AGENCIES:
        count = measures.agencies
        if rubric.get("count_coordinating"):
            count += measures.coordinating_agencies
        score = _by_thresholds(rubric, count)
    else:
        return None
    if score is None:
        return None
    return max(criterion.min_score, min(criterion.max_score, score))


def rating_prefill(dossier: Dossier, rule_set: RatingRuleSet) -> dict[str, int | None]:
    measures = dossier_measures(dossier)
    return {c.code: criterion_prefill(c, measures) for c in rule_set.criteria.all()}


def band_for(rule_set: RatingRuleSet, total: Decimal) -> RatingBand | None:
    return next((band for band in rule_set.bands.all() if band.contains(total)), None)


# --- invite ---------------------------------------------------------------------------------


def rating_invite(dossier: Dossier) -> list[OutboxMessage]:
    """Invite the applicant to evaluate: called by the return step.

    The message carries a one-time link (``rating_links``), never the lookup
    token printed on the papers. Sent once per dossier; nothing when the
    dossier is not in a rateable state or the applicant left no email or
    phone (no link is made that nobody receives).
    """
    from .rating_links import rating_link_issue, rating_link_url

    if dossier.status not in RATEABLE_STATUSES:
        return []
    if not (dossier.applicant_email or dossier.applicant_phone):
        return []
    if RatingLink.objects.filter(dossier=dossier).exists():
        return []
    link, token = rating_link_issue(dossier)
    context = {
        "code": dossier.code or "",
        "name": dossier.applicant_name,
        "procedure": dossier.procedure_version.name,
        "link": rating_link_url(token),
        "expires_at": timezone.localtime(link.expires_at),
        "kiosk_link": site_url(reverse("feedback:kiosk")),
    }
    return notify_from_template(
        "feedback.rating_invite",
        context,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        dedupe_key=f"rating-invite:{dossier.pk}",
        topic=f"dossiers.dossier:{dossier.pk}",
    )


# --- submit ---------------------------------------------------------------------------------


def _validate_scores(
    rule_set: RatingRuleSet, scores: dict[str, Any], prefill: dict[str, int | None]
) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for criterion in rule_set.criteria.all():
        raw = scores.get(criterion.code)
        if raw in (None, ""):
            raw = prefill.get(criterion.code)
        try:
            value = int(raw) if raw is not None else None
        except (TypeError, ValueError):
            value = None
        if value is None or not criterion.min_score <= value <= criterion.max_score:
            errors[criterion.code] = [
                _("Vui lòng chọn mức điểm từ %(lo)s đến %(hi)s cho tiêu chí “%(c)s”.")
                % {"lo": criterion.min_score, "hi": criterion.max_score, "c": criterion.label}
            ]
            continue
        cleaned[criterion.code] = value
    unknown = set(scores) - {c.code for c in rule_set.criteria.all()}
    if unknown:
        errors["__all__"] = [
            _("Tiêu chí không có trong bộ tiêu chí đang áp dụng: %(c)s.")
            % {"c": ", ".join(sorted(unknown))}
        ]
    if errors:
        raise FeedbackError(
            _("Phiếu đánh giá chưa hợp lệ."),
            [m for messages in errors.values() for m in messages],
            errors,
        )
    return cleaned


def _already_rated_message(rating: Rating) -> str:
    return _(
        "Hồ sơ %(code)s đã được đánh giá qua kênh “%(source)s” lúc %(at)s. "
        "Mỗi hồ sơ chỉ được đánh giá một lần trên mỗi kênh."
    ) % {
        "code": rating.dossier.code,
        "source": rating.get_source_display(),
        "at": f"{timezone.localtime(rating.submitted_at):%H:%M %d/%m/%Y}",
    }


def _totals(rating: Rating, rule_set: RatingRuleSet, scores: list[RatingScore]) -> None:
    rating.total = Decimal(sum(score.effective for score in scores))
    band = band_for(rule_set, rating.total)
    rating.band_code = band.code if band else ""
    rating.band_label = band.label if band else ""


def _needs_review(rating: Rating, rule_set: RatingRuleSet) -> bool:
    return rating.like == Like.DISLIKE or rating.total < rule_set.review_below_total


@transaction.atomic
def rating_submit(
    *,
    dossier: Dossier,
    source: str,
    scores: dict[str, Any],
    like: str | None,
    comment: str = "",
    actor=None,
    at: datetime | None = None,
    via: str = "",
) -> Rating:
    """Record one evaluation of ``dossier`` from ``source``.

    The citizen's sources (kiosk, portal) are reached only after the caller
    checked who is rating: the applicant's own session, a one-time link sent
    to the applicant (``via`` says which, for the audit), or at the kiosk the
    code with the second factor. The lookup token printed on the papers is
    never enough. Paper sheets and DVCQG imports need an officer of the
    receiving agency. Criteria left empty take the system's pre-filled value.
    One evaluation per dossier per source (a database constraint).
    """
    if source not in RatingSource.values:
        raise FeedbackError(_("Kênh đánh giá không hợp lệ."))
    if source in STAFF_SOURCES and (
        actor is None
        or not actor.is_authenticated
        or not actor.has_perm("agencies.view_agency_records", dossier.receiving_agency)
    ):
        raise PermissionDenied("rating.transcribe")
    dossier = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version", "receiving_agency")
        .get(pk=dossier.pk)
    )
    if dossier.status not in RATEABLE_STATUSES or not dossier.code:
        raise FeedbackError(
            _("Hồ sơ %(code)s chưa kết thúc giải quyết nên chưa thể đánh giá.")
            % {"code": dossier.code or dossier.pk}
        )
    existing = Rating.objects.filter(dossier=dossier, source=source).first()
    if existing is not None:
        raise FeedbackError(_already_rated_message(existing))
    if like not in (None, "", *Like.values):
        raise FeedbackError(_("Vui lòng chọn hài lòng hoặc không hài lòng."))
    when = at or timezone.now()
    rule_set = rule_set_for(timezone.localdate(when))
    prefill = rating_prefill(dossier, rule_set)
    cleaned = _validate_scores(rule_set, scores, prefill)
    rating = Rating(
        dossier=dossier,
        source=source,
        rule_set=rule_set,
        like=like or None,
        comment=(comment or "").strip()[:4000],
        submitted_at=when,
        submitted_by=actor if actor is not None and actor.is_authenticated else None,
    )
    rows = [
        RatingScore(criterion=c, prefilled_score=prefill[c.code], score=cleaned[c.code])
        for c in rule_set.criteria.all()
    ]
    _totals(rating, rule_set, rows)
    rating.needs_review = _needs_review(rating, rule_set)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:
        existing = Rating.objects.select_related("dossier").get(dossier=dossier, source=source)
        raise FeedbackError(_already_rated_message(existing)) from None
    for row in rows:
        row.rating = rating
    RatingScore.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="rating.submit",
        target=rating,
        after={
            "dossier": dossier.code,
            "source": source,
            "total": rating.total,
            "band": rating.band_code,
            "like": rating.like,
            "via": via or source,
        },
    )
    if rating.needs_review:
        _notify_review(rating)
    return rating


def _notify_review(rating: Rating) -> None:
    dossier = rating.dossier
    context = {
        "code": dossier.code,
        "total": rating.total,
        "band": rating.band_label,
        "like": rating.get_like_display() if rating.like else "",
        "comment": rating.comment,
        "link": site_url(reverse("feedback:rating_detail", kwargs={"pk": rating.pk})),
    }
    for head in staff_with_role(dossier.receiving_agency, Role.DEPARTMENT_HEAD):
        notify_from_template(
            "feedback.rating_review",
            context,
            email=head.email,
            dedupe_key=f"rating-review:{rating.pk}:{head.pk}",
            topic=f"dossiers.dossier:{dossier.pk}",
        )


def _snapshot(rating: Rating) -> dict[str, Any]:
    return {
        "like": rating.like,
        "comment": rating.comment,
        "total": str(rating.total),
        "scores": {
            s.criterion.code: [s.score, s.appraised_score]
            for s in rating.scores.select_related("criterion")
        },
    }


def rating_edit_deadline(rating: Rating) -> datetime:
    return rating.submitted_at + timedelta(days=rating.rule_set.edit_window_days)


@transaction.atomic
def rating_edit(
    *,
    rating: Rating,
    scores: dict[str, Any],
    like: str | None,
    comment: str = "",
    actor=None,
    at: datetime | None = None,
) -> Rating:
    """Change an evaluation within the configured window; the history keeps the old one."""
    rating = (
        Rating.objects.select_for_update().select_related("rule_set", "dossier").get(pk=rating.pk)
    )
    when = at or timezone.now()
    if when > rating_edit_deadline(rating):
        raise FeedbackError(
            _("Đã quá thời hạn sửa đánh giá (%(n)s ngày kể từ khi gửi).")
            % {"n": rating.rule_set.edit_window_days}
        )
    if like not in (None, "", *Like.values):
        raise FeedbackError(_("Vui lòng chọn hài lòng hoặc không hài lòng."))
    current = {s.criterion.code: s for s in rating.scores.select_related("criterion")}
    prefill = {code: s.prefilled_score for code, s in current.items()}
    cleaned = _validate_scores(rating.rule_set, scores, prefill)
    before = _snapshot(rating)
    for code, value in cleaned.items():
        current[code].score = value
    RatingScore.objects.bulk_update(list(current.values()), ["score"])
    rating.like = like or None
    rating.comment = (comment or "").strip()[:4000]
    _totals(rating, rating.rule_set, list(current.values()))
    was_review = rating.needs_review
    rating.needs_review = rating.needs_review or _needs_review(rating, rating.rule_set)
    rating.save()
    RatingRevision.objects.create(
        rating=rating,
        kind="edit",
        at=when,
        actor=actor if actor is not None and actor.is_authenticated else None,
        before=before,
        after=_snapshot(rating),
    )
    audit_record(
        actor=actor,
        action="rating.edit",
        target=rating,
        before=before,
        after={"total": rating.total, "like": rating.like},
    )
    if rating.needs_review and not was_review:
        _notify_review(rating)
    return rating


@transaction.atomic
def rating_appraise(
    *,
    actor,
    rating: Rating,
    appraised: dict[str, Any],
    self_scores: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Rating:
    """The unit head reviews: appraised (and the agency's self) scores per criterion."""
    rating = (
        Rating.objects.select_for_update()
        .select_related("rule_set", "dossier__receiving_agency")
        .get(pk=rating.pk)
    )
    if not actor.has_perm("agencies.approve_dossiers", rating.dossier.receiving_agency):
        raise PermissionDenied("rating.appraise")
    current = {s.criterion.code: s for s in rating.scores.select_related("criterion")}
    errors = []
    for source, attr in ((appraised, "appraised_score"), (self_scores or {}, "self_score")):
        for code, raw in source.items():
            row = current.get(code)
            if row is None:
                errors.append(_("Tiêu chí không có trong phiếu: %(c)s.") % {"c": code})
                continue
            if raw in (None, ""):
                continue
            try:
                value = int(raw)
            except (TypeError, ValueError):
                value = -1
            if not row.criterion.min_score <= value <= row.criterion.max_score:
                errors.append(
                    _("Điểm của tiêu chí “%(c)s” phải từ %(lo)s đến %(hi)s.")
                    % {
                        "c": row.criterion.label,
                        "lo": row.criterion.min_score,
                        "hi": row.criterion.max_score,
                    }
                )
                continue
            setattr(row, attr, value)
    if errors:
        raise FeedbackError(_("Điểm thẩm định chưa hợp lệ."), errors)
    before = _snapshot(rating)
    RatingScore.objects.bulk_update(list(current.values()), ["appraised_score", "self_score"])
    when = at or timezone.now()
    _totals(rating, rating.rule_set, list(current.values()))
    rating.reviewed_at = when
    rating.reviewed_by = actor
    rating.save()
    RatingRevision.objects.create(
        rating=rating,
        kind="appraise",
        at=when,
        actor=actor,
        before=before,
        after=_snapshot(rating),
    )
    audit_record(
        actor=actor,
        action="rating.appraise",
        target=rating,
        before=before,
        after={"total": rating.total, "band": rating.band_code},
    )
    return rating
