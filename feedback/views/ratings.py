"""Evaluation of dossier handling: kiosk and staff results (the citizen's own pages are
in ``rating_citizen``)."""

from __future__ import annotations

import hmac
import time
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from dossiers.models import Dossier
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.cache_safety import CacheUnavailable, counter_hit
from tthc_portal.web.views import counters_unavailable

from .. import selectors
from ..forms import AppraiseForm, KioskLookupForm, RatingForm, ReportForm, half_year
from ..models import Rating, RatingSource
from ..services import FeedbackError
from ..services.ratings import (
    RATEABLE_STATUSES,
    rating_appraise,
    rating_prefill,
    rating_submit,
    rule_set_for,
)

KIOSK_SESSION_KEY = "feedback:kiosk"
KIOSK_SESSION_SECONDS = 10 * 60
KIOSK_WINDOW_SECONDS = 10 * 60
_NO_DIGITS = "\x00\x00\x00\x00"


# --- second factor and throttling (a kiosk is one shared device: count per code) ----------


def _last4(value: str) -> str:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-4:] if len(digits) >= 4 else _NO_DIGITS


def _second_factor_ok(dossier: Dossier | None, given: str) -> bool:
    """Last 4 digits of the applicant's phone OR identification number; both
    comparisons always run, in constant time, even when no dossier matched."""
    phone = _last4(dossier.applicant_phone) if dossier else _NO_DIGITS
    id_number = _last4(dossier.applicant_id_number) if dossier else _NO_DIGITS
    raw = (given or "").encode()
    phone_ok = hmac.compare_digest(phone.encode(), raw)
    id_ok = hmac.compare_digest(id_number.encode(), raw)
    return dossier is not None and (phone_ok | id_ok)


def _attempt_allowed(key: str) -> bool:
    """Raises CacheUnavailable when the count cannot be kept (the kiosk refuses)."""
    limit = int(settings.TTHC.get("LOOKUP_ATTEMPTS_PER_10_MIN", 10))
    return counter_hit(key, KIOSK_WINDOW_SECONDS) <= limit


def _kiosk_dossier(request: HttpRequest) -> Dossier | None:
    state = request.session.get(KIOSK_SESSION_KEY) or {}
    if not state or state.get("until", 0) < time.time():
        return None
    return (
        Dossier.objects.select_related("procedure_version", "receiving_agency")
        .filter(pk=state.get("dossier"))
        .first()
    )


def rating_sheet(dossier: Dossier, data=None, rating: Rating | None = None):
    rule_set = rating.rule_set if rating is not None else rule_set_for(timezone.localdate())
    criteria = list(rule_set.criteria.order_by("order"))
    prefill = rating_prefill(dossier, rule_set)
    initial = {}
    if rating is not None:
        initial = {f"c_{s.criterion.code}": str(s.score) for s in rating.scores.all()}
        initial.update({"like": rating.like, "comment": rating.comment})
    return RatingForm(data, criteria=criteria, prefill=prefill, initial=initial)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest) -> HttpResponse:
    """Type or scan the dossier code, then the second factor. No login."""
    form = KioskLookupForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        token = form.cleaned_data.get("token", "")
        if not request.session.session_key:
            request.session.save()
        # A kiosk is one shared device (one address): count per code and per
        # browser session, never per address.
        try:
            allowed = _attempt_allowed(f"feedback:kiosk:code:{code or token}") and (
                _attempt_allowed(f"feedback:kiosk:session:{request.session.session_key}")
            )
        except CacheUnavailable:
            # Fail closed: uncounted guesses at the 4 digits are not allowed.
            return counters_unavailable(
                request,
                title=_("Đánh giá tạm thời gián đoạn"),
                message=_(
                    "Ki-ốt đánh giá đang tạm thời gián đoạn do sự cố kỹ thuật. "
                    "Vui lòng thử lại sau ít phút hoặc nhờ cán bộ Bộ phận Một cửa hỗ trợ."
                ),
            )
        if not allowed:
            error = _(
                "Đã nhập sai quá nhiều lần. Vui lòng thử lại sau 10 phút "
                "hoặc nhờ cán bộ Bộ phận Một cửa hỗ trợ."
            )
        else:
            match = {"lookup_token": token} if token else {"code": code}
            dossier = (
                Dossier.objects.filter(code__isnull=False, **match)
                .only("pk", "status", "code", "applicant_phone", "applicant_id_number")
                .first()
            )
            if not _second_factor_ok(dossier, form.cleaned_data["last4"]):
                error = _(
                    "Không tìm thấy hồ sơ với mã và 4 chữ số đã nhập. "
                    "Vui lòng kiểm tra lại giấy hẹn."
                )
            elif dossier.status not in RATEABLE_STATUSES:
                error = _(
                    "Hồ sơ %(code)s chưa giải quyết xong nên chưa thể đánh giá. "
                    "Mời ông/bà đánh giá khi nhận kết quả."
                ) % {"code": dossier.code}
            elif selectors.rating_for_dossier(dossier, RatingSource.DESK_KIOSK) is not None:
                rating = selectors.rating_for_dossier(dossier, RatingSource.DESK_KIOSK)
                error = _(
                    "Hồ sơ %(code)s đã được đánh giá tại ki-ốt lúc %(at)s. "
                    "Mỗi hồ sơ chỉ được đánh giá một lần tại ki-ốt."
                ) % {
                    "code": dossier.code,
                    "at": f"{timezone.localtime(rating.submitted_at):%H:%M %d/%m/%Y}",
                }
            else:
                request.session.cycle_key()
                request.session[KIOSK_SESSION_KEY] = {
                    "dossier": dossier.pk,
                    "until": time.time() + KIOSK_SESSION_SECONDS,
                }
                return redirect("feedback:kiosk_rate")
    return render(
        request,
        "feedback/ratings/kiosk.html",
        {"form": form, "error": error},
        status=200 if not error else 400,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk_rate(request: HttpRequest) -> HttpResponse:
    dossier = _kiosk_dossier(request)
    if dossier is None:
        messages.warning(request, _("Phiên đánh giá đã hết hạn; vui lòng nhập lại mã hồ sơ."))
        return redirect("feedback:kiosk")
    form = rating_sheet(dossier, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_submit(
                dossier=dossier,
                source=RatingSource.DESK_KIOSK,
                scores=form.scores(),
                like=form.cleaned_data["like"],
                comment=form.cleaned_data["comment"],
            )
        except FeedbackError as error:
            form.add_service_errors(error)
        else:
            request.session.pop(KIOSK_SESSION_KEY, None)
            return redirect("feedback:kiosk_done")
    return render(
        request,
        "feedback/ratings/kiosk_rate.html",
        {"form": form, "dossier": dossier, "kiosk": True},
    )


@never_cache
@require_safe
def kiosk_done(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/ratings/kiosk_done.html", {"kiosk": True})


# --- staff results -------------------------------------------------------------------------


def _period(request: HttpRequest) -> tuple[ReportForm, date, date]:
    start, end = half_year(timezone.localdate())
    form = ReportForm(request.GET if "tu_ngay" in request.GET else None)
    if form.is_valid():
        start, end = form.cleaned_data["tu_ngay"], form.cleaned_data["den_ngay"]
    elif not form.is_bound:
        form = ReportForm(initial={"tu_ngay": start, "den_ngay": end})
    return form, start, end


@login_required
@require_safe
def summary(request: HttpRequest) -> HttpResponse:
    agency_ids = list(agencies_for_user(request.user).values_list("pk", flat=True))
    if not agency_ids:
        raise PermissionDenied
    form, start, end = _period(request)
    rule_set = rule_set_for(timezone.localdate())
    bands = list(rule_set.bands.all())
    codes = [band.code for band in bands]
    by_agency = selectors.rating_summary(
        group="agency", start=start, end=end, agency_ids=agency_ids, bands=codes
    )
    by_procedure = selectors.rating_summary(
        group="procedure", start=start, end=end, agency_ids=agency_ids, bands=codes
    )
    to_review = (
        selectors.ratings_for_staff(request.user)
        .filter(needs_review=True, reviewed_at__isnull=True)
        .order_by("-submitted_at")[:50]
    )
    return render(
        request,
        "feedback/ratings/summary.html",
        {
            "form": form,
            "bands": bands,
            "by_agency": by_agency,
            "by_procedure": by_procedure,
            "to_review": to_review,
            "start": start,
            "end": end,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rating_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        rating = selectors.rating_detail_for_user(request.user, pk)
    except Rating.DoesNotExist:
        raise Http404 from None
    can_appraise = request.user.has_perm(
        "agencies.approve_dossiers", rating.dossier.receiving_agency
    )
    scores = list(rating.scores.all())
    form = AppraiseForm(request.POST or None, scores=scores) if can_appraise else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                rating_appraise(actor=request.user, rating=rating, appraised=form.appraised())
            except FeedbackError as error:
                form.add_error(None, error.message)
                for detail in error.errors:
                    form.add_error(None, detail)
            else:
                messages.success(request, _("Đã ghi nhận điểm thẩm định."))
                return redirect("feedback:rating_detail", pk=pk)
    return render(
        request,
        "feedback/ratings/detail.html",
        {"rating": rating, "scores": scores, "form": form},
    )
