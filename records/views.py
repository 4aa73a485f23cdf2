"""Disposal pages: the proposals, the records officer's review, the head's approval,
the destruction dossier's papers and the legal holds. Outside a user's scope a
list is a 404 (``selectors.disposal_lists_for_user``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from dossiers.models import Dossier

from . import selectors
from .forms import ApprovalForm, HoldForm, LiftForm, RemoveItemForm, ReviewForm
from .models import DisposalList, LegalHold, ListStatus, PaperKind
from .services import (
    RecordsError,
    disposal_item_remove,
    disposal_transition,
    legal_hold_lift,
    legal_hold_place,
)
from .workflow import APPROVE, EDITABLE_STATUSES, REVIEW

ITEMS_PER_PAGE = 50


def _list_or_404(request: HttpRequest, pk: int) -> DisposalList:
    return get_object_or_404(selectors.disposal_lists_for_user(request.user), pk=pk)


@login_required
@require_safe
def proposals(request: HttpRequest) -> HttpResponse:
    lists = selectors.disposal_lists_for_user(request.user)
    if not selectors.records_perms(request.user):
        raise Http404
    page = Paginator(lists, 30).get_page(request.GET.get("page"))
    return render(request, "records/proposals.html", {"page": page})


def _detail_context(request: HttpRequest, disposal_list: DisposalList) -> dict:
    perms = selectors.records_perms(request.user)
    page = Paginator(selectors.disposal_items(disposal_list), ITEMS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return {
        "list": disposal_list,
        "page": page,
        "papers": selectors.disposal_papers(disposal_list),
        "history": disposal_list.history.select_related("actor"),
        "can_review": REVIEW in perms and disposal_list.status in EDITABLE_STATUSES,
        "can_approve": APPROVE in perms and disposal_list.status == ListStatus.REVIEWED,
        "review_form": ReviewForm(initial={"council_minutes": disposal_list.council_minutes}),
        "remove_form": RemoveItemForm(),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The records officer's page: the list, take items off, submit for approval."""
    disposal_list = _list_or_404(request, pk)
    context = _detail_context(request, disposal_list)
    status = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        context["review_form"] = form
        if form.is_valid():
            try:
                disposal_transition(
                    disposal_list, "review", actor=request.user,
                    council_minutes=form.cleaned_data["council_minutes"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except RecordsError as exc:
                context["error"], status = str(exc), 400
            else:
                messages.success(request, _("Đã trình danh mục để phê duyệt."))
                return redirect("records:review", pk=pk)
        else:
            status = 400
    return render(request, "records/review.html", context, status=status)


@login_required
@require_POST
def item_remove(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    disposal_list = _list_or_404(request, pk)
    item = get_object_or_404(disposal_list.items, pk=item_pk)
    form = RemoveItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do loại hồ sơ khỏi danh mục."))
    else:
        try:
            disposal_item_remove(item, actor=request.user, reason=form.cleaned_data["reason"])
        except RecordsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã loại hồ sơ khỏi danh mục."))
    return redirect("records:review", pk=pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The head of the archive unit's page: approve, send back or cancel."""
    disposal_list = _list_or_404(request, pk)
    context = _detail_context(request, disposal_list)
    form = ApprovalForm(request.POST or None)
    context["form"] = form
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                disposal_transition(
                    disposal_list, form.cleaned_data["action"], actor=request.user,
                    decision_number=form.cleaned_data["decision_number"],
                    note=form.cleaned_data["note"],
                )  # fmt: skip
            except RecordsError as exc:
                context["error"], status = str(exc), 400
            else:
                messages.success(request, _("Đã ghi nhận quyết định."))
                return redirect("records:approve", pk=pk)
        else:
            status = 400
    return render(request, "records/approve.html", context, status=status)


@login_required
@require_safe
def paper_download(request: HttpRequest, pk: int, paper: str) -> FileResponse:
    disposal_list = _list_or_404(request, pk)
    if paper not in PaperKind.values:
        raise Http404
    stored = get_object_or_404(selectors.disposal_papers(disposal_list), kind=paper)
    return FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=f"huy-ho-so-{disposal_list.pk}-{paper}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def holds(request: HttpRequest) -> HttpResponse:
    if "records.manage_legalhold" not in selectors.records_perms(request.user):
        raise Http404
    scope = Dossier.objects.filter(receiving_agency__in=selectors.records_agencies(request.user))
    form = HoldForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            dossier = scope.filter(code=form.cleaned_data["code"].strip()).first()
            if dossier is None:
                form.add_error("code", _("Không tìm thấy hồ sơ có mã này trong đơn vị của bạn."))
                status = 400
            else:
                try:
                    legal_hold_place(
                        dossier=dossier, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                except RecordsError as exc:
                    form.add_error(None, str(exc))
                    status = 400
                else:
                    messages.success(request, _("Đã đặt lệnh giữ hồ sơ."))
                    return redirect("records:holds")
        else:
            status = 400
    active = (
        LegalHold.objects.filter(dossier__in=scope, lifted_at__isnull=True)
        .select_related("dossier", "placed_by")
        .order_by("-placed_at")
    )
    page = Paginator(active, 50).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "lift_form": LiftForm()}
    return render(request, "records/holds.html", context, status=status)


@login_required
@require_POST
def hold_lift(request: HttpRequest, pk: int) -> HttpResponse:
    if "records.manage_legalhold" not in selectors.records_perms(request.user):
        raise Http404
    hold = get_object_or_404(
        LegalHold,
        pk=pk,
        lifted_at__isnull=True,
        dossier__receiving_agency__in=selectors.records_agencies(request.user),
    )
    form = LiftForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Cần ghi lý do gỡ lệnh giữ."))
    else:
        try:
            legal_hold_lift(hold=hold, actor=request.user, reason=form.cleaned_data["reason"])
        except RecordsError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Đã gỡ lệnh giữ hồ sơ."))
    return redirect("records:holds")
