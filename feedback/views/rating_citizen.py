"""The citizen rates a dossier: from the signed-in dossier page or a one-time link.

The dossier's lookup token (the QR code on the papers) opens the public status
page only; anyone holding a copy of a receipt has it, so it neither shows nor
changes a rating. See ``feedback.services.rating_links``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from dossiers.models import Dossier

from ..models import RatingLink, RatingSource
from ..selectors_ratings import dossier_to_rate_for_applicant, portal_rating
from ..services import FeedbackError
from ..services.rating_links import (
    UNKNOWN,
    USED,
    VALID,
    RatingLinkUnusable,
    rating_link_find,
    rating_link_reuse_record,
    rating_link_state,
    rating_submit_by_link,
)
from ..services.ratings import RATEABLE_STATUSES, rating_edit, rating_edit_deadline, rating_submit
from .ratings import rating_sheet

RATE_TEMPLATE = "feedback/ratings/rate.html"
UNUSABLE_TEMPLATE = "feedback/ratings/link_unusable.html"


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rate_mine(request: HttpRequest, dossier_id: int) -> HttpResponse:
    """The signed-in applicant rates (and, within the window, edits) their own dossier."""
    try:
        dossier = dossier_to_rate_for_applicant(request.user, dossier_id)
    except Dossier.DoesNotExist:
        raise Http404 from None
    context: dict = {"dossier": dossier, "signed_in": True}
    if dossier.status not in RATEABLE_STATUSES:
        context["not_ready"] = True
        return render(request, RATE_TEMPLATE, context)
    rating = portal_rating(dossier)
    editable = rating is not None and timezone.now() <= rating_edit_deadline(rating)
    context.update({"rating": rating, "editable": editable})
    if rating is not None and not editable:
        return render(request, RATE_TEMPLATE, context)
    form = rating_sheet(dossier, request.POST or None, rating)
    if request.method == "POST" and form.is_valid():
        values = {
            "scores": form.scores(),
            "like": form.cleaned_data["like"],
            "comment": form.cleaned_data["comment"],
            "actor": request.user,
        }
        try:
            if rating is None:
                rating_submit(
                    dossier=dossier, source=RatingSource.PORTAL, via="applicant_session", **values
                )
                messages.success(request, _("Cảm ơn ông/bà đã đánh giá việc giải quyết hồ sơ."))
            else:
                rating_edit(rating=rating, **values)
                messages.success(request, _("Đã cập nhật đánh giá."))
        except FeedbackError as error:
            form.add_service_errors(error)
        else:
            return redirect("feedback:rate_mine", dossier_id=dossier.pk)
    context["form"] = form
    if rating is not None:
        context["edit_until"] = rating_edit_deadline(rating)
    return render(request, RATE_TEMPLATE, context)


def _unusable(request: HttpRequest, state: str, link: RatingLink | None = None) -> HttpResponse:
    """A spent, expired or retired link: say so plainly and point to what still works."""
    context = {"state": state, "expires_at": link.expires_at if link else None}
    return render(request, UNUSABLE_TEMPLATE, context, status=410)


@never_cache
@require_http_methods(["GET", "POST"])
def rate_link(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link from the invitation: one rating, then the link is spent."""
    link = rating_link_find(token)
    state = rating_link_state(link)
    if state == UNKNOWN:
        raise Http404
    if state != VALID:
        if request.method == "POST" and state == USED:
            rating_link_reuse_record(link)
        return _unusable(request, state, link)
    dossier = link.dossier
    context: dict = {"dossier": dossier, "via_link": True, "expires_at": link.expires_at}
    if dossier.status not in RATEABLE_STATUSES:
        context["not_ready"] = True
        return render(request, RATE_TEMPLATE, context)
    if portal_rating(dossier) is not None:
        # Rated meanwhile from the signed-in page: the link neither shows nor
        # changes that rating.
        context["rated_elsewhere"] = True
        return render(request, RATE_TEMPLATE, context)
    form = rating_sheet(dossier, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rating_submit_by_link(
                token=token,
                scores=form.scores(),
                like=form.cleaned_data["like"],
                comment=form.cleaned_data["comment"],
            )
        except RatingLinkUnusable as refused:
            if refused.state == UNKNOWN:
                raise Http404 from None
            return _unusable(request, refused.state, refused.link)
        except FeedbackError as error:
            form.add_service_errors(error)
        else:
            return redirect("feedback:rate_link_done")
    context["form"] = form
    return render(request, RATE_TEMPLATE, context)


@never_cache
@require_safe
def rate_link_done(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/ratings/link_done.html")


@never_cache
@require_http_methods(["GET", "POST"])
def rate_token_retired(request: HttpRequest, token: str) -> HttpResponse:
    """The old address ``/danh-gia/ho-so/<lookup token>/`` (earlier invitations).

    The lookup token is the QR code printed on the papers, so this answers the
    same page for every token without reading the database: it neither shows
    nor accepts a rating, nor tells whether the token is a dossier's.
    """
    return _unusable(request, "retired")
