"""Public PAKN pages (no login): the form, the tracking link, published answers."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors
from ..forms import PaknForm, PublishedSearchForm, SupplementForm, add_service_errors
from ..models import Feedback, FeedbackReaction, Status
from ..services import FeedbackError
from ..services.deadlines import policy_for
from ..services.pakn import feedback_follow_up, feedback_react, feedback_submit, feedback_supplement

PAGE_SIZE = 20
PUBLIC_FIELDS = (
    "submitter_kind",
    "submitter_name",
    "submitter_address",
    "submitter_phone",
    "submitter_email",
    "submitter_postal_address",
    "kind",
    "title",
    "content",
    "dossier_code",
    "procedure_code",
    "about_agency",
    "consent_publish_identity",
)


def _policy():
    from django.utils import timezone

    return policy_for(timezone.localdate())


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    """The public PAKN form (Decree 20/2008 as amended by Decree 92/2017)."""
    original = None
    follow_code = request.GET.get("phan_anh_tiep") or request.POST.get("follow_up_of") or ""
    if follow_code:
        original = selectors.published_by_code(follow_code)
        if original is None:
            raise Http404
    initial = {}
    if request.user.is_authenticated and getattr(request.user, "is_applicant", False):
        user = request.user
        initial = {
            "submitter_name": user.display_name,
            "submitter_phone": user.phone,
            "submitter_email": user.email,
            "submitter_address": user.address,
        }
    if original is not None:
        initial["title"] = _("Phản ánh tiếp về kết quả %(code)s") % {"code": original.code}
    form = PaknForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in PUBLIC_FIELDS}
        files = form.cleaned_data.get("attachments") or []
        actor = request.user if request.user.is_authenticated else None
        try:
            if original is not None:
                item = feedback_follow_up(
                    original=original, data=data, attachments=files, actor=actor
                )
            else:
                item = feedback_submit(data=data, attachments=files, actor=actor)
        except FeedbackError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Đã gửi phản ánh, kiến nghị. Mã số: %(code)s. Hãy lưu lại đường dẫn của trang "
                    "này để theo dõi kết quả."
                )
                % {"code": item.code},
            )
            return redirect("feedback:track", token=item.lookup_token)
    return render(
        request,
        "feedback/public/submit.html",
        {"form": form, "original": original, "policy": _policy()},
    )


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The submitter's own page: status, the request for more information and
    the answer form, the published result. The token is the secret."""
    item = selectors.feedback_by_token(token)
    if item is None:
        raise Http404
    form = None
    if item.status == Status.AWAITING_SUPPLEMENT:
        form = SupplementForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                feedback_supplement(item=item, response=form.cleaned_data["response"], token=token)
            except FeedbackError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Đã gửi thông tin bổ sung. Cảm ơn ông/bà."))
                return redirect("feedback:track", token=token)
    elif request.method == "POST":
        return redirect("feedback:track", token=token)
    history = [h for h in item.history.all() if h.action != "classify"]
    return render(
        request,
        "feedback/public/track.html",
        {"item": item, "form": form, "history": history},
    )


def published_list(request: HttpRequest) -> HttpResponse:
    form = PublishedSearchForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    items = selectors.published_feedback(
        query=params.get("q") or "",
        agency=params.get("co_quan"),
        field=params.get("linh_vuc"),
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "feedback/public/published_list.html",
        {
            "form": form,
            "params": params,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "facets": selectors.published_facets(),
            "show_identity": _policy().publish_identity_with_consent,
        },
    )


def _my_reaction(request: HttpRequest, item: Feedback) -> str | None:
    owner = (
        {"user": request.user}
        if request.user.is_authenticated
        else {"user": None, "session_key": request.session.session_key}
    )
    if not request.user.is_authenticated and not request.session.session_key:
        return None
    return (
        FeedbackReaction.objects.filter(feedback=item, **owner)
        .values_list("value", flat=True)
        .first()
    )


def published_detail(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.published_by_code(code)
    if item is None:
        raise Http404
    return render(
        request,
        "feedback/public/published_detail.html",
        {
            "item": item,
            "mine": _my_reaction(request, item),
            "show_identity": _policy().publish_identity_with_consent,
        },
    )


@require_POST
def react(request: HttpRequest, code: str) -> HttpResponse:
    item = selectors.published_by_code(code)
    if item is None:
        raise Http404
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()  # an anonymous visitor's reaction is keyed by the session
    try:
        feedback_react(
            item=item,
            value=request.POST.get("value", ""),
            user=request.user,
            session_key=request.session.session_key,
        )
    except FeedbackError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Cảm ơn ông/bà đã đánh giá kết quả xử lý."))
    return redirect("feedback:published_detail", code=item.code)
