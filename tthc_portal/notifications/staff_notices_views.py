"""The staff inbox page: /thong-bao/ (list, mark one or all read)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .services import staff_notices_mark_read
from .staff_notices_selectors import (
    staff_may_receive,
    staff_notice_of,
    staff_notices_for,
    staff_notices_unread_count,
)

PER_PAGE = 20


def _require_inbox(request: HttpRequest) -> None:
    if not staff_may_receive(request.user):
        raise PermissionDenied


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    _require_inbox(request)
    page = Paginator(staff_notices_for(request.user), PER_PAGE).get_page(request.GET.get("trang"))
    return render(
        request,
        "notifications/staff_inbox.html",
        {"page": page, "unread": staff_notices_unread_count(request.user)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    """``notice=<id>`` marks one (404 when not the user's own; with ``open``
    the browser then goes to the item), ``all`` marks every unread one."""
    _require_inbox(request)
    if "all" in request.POST:
        count = staff_notices_mark_read(request.user)
        messages.success(
            request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count}
        )
        return redirect("notifications:inbox")
    notice = staff_notice_of(request.user, request.POST.get("notice") or 0)
    staff_notices_mark_read(request.user, [notice.pk])
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notice.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notice.url)
    return redirect("notifications:inbox")
