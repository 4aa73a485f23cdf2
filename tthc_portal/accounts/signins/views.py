"""Ending one's own sessions from the profile page (POST only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tthc_portal.accounts.models import SignInSession

from .services import signin_revoke_many, signin_revoke_one


def _after(request: HttpRequest, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    return redirect("accounts:login")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = signin_revoke_many(request=request, scope="others")
    if not count:
        return _after(request, _("Không có phiên đăng nhập nào khác đang mở."))
    return _after(request, _("Đã đăng xuất khỏi các thiết bị khác."))


@login_required
@require_POST
def sessions_end_all(request: HttpRequest) -> HttpResponse:
    signin_revoke_many(request=request, scope="all")
    return _after(
        request, _("Đã đăng xuất khỏi tất cả các thiết bị. Vui lòng đăng nhập lại để tiếp tục.")
    )


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        signin_revoke_one(request=request, pk=pk)
    except SignInSession.DoesNotExist:
        # Someone else's, already ended, or unknown: all look the same.
        raise Http404 from None
    return _after(request, _("Đã kết thúc phiên đăng nhập."))
