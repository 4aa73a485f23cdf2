"""Second-factor pages: enrolment, verification, recovery codes, administrator reset."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tthc_portal.agencies.selectors import staff_administered_by

from . import selectors, services
from .forms import RecoveryCodeForm, TotpCodeForm
from .provisioning import provisioning_for

ADMIN_PAGE_SIZE = 50


def safe_next(request: HttpRequest) -> str:
    """The ``next`` address if it stays on this site and is not a second-factor page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    own_pages = (reverse("accounts:second_factor_verify"), reverse("accounts:second_factor_setup"))
    if (
        candidate
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not candidate.startswith(own_pages)
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def url_with_next(name: str, next_url: str = "") -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _staff_or_404(request: HttpRequest) -> None:
    # Citizens and organisations have no second factor: nothing to see here.
    if not services.is_staff_user(request.user):
        raise Http404


def _administrator_or_404(request: HttpRequest) -> None:
    if not services.is_administrator(request.user):
        raise Http404


def _show_codes(request: HttpRequest, codes: list[str], next_url: str, *, enrolled: bool):
    return render(
        request,
        "accounts/second_factor/recovery_codes.html",
        {"codes": codes, "next": next_url, "enrolled": enrolled},
    )


@never_cache
@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """First sign-in: add the account to an authenticator app and confirm one code."""
    _staff_or_404(request)
    next_url = safe_next(request)
    if services.has_confirmed_totp(request.user):
        # Replacing an enrolled app needs an administrator's reset, never just a password.
        return redirect(url_with_next("accounts:second_factor_verify", next_url))
    device = services.enrolment_start(request.user)
    form = TotpCodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.enrolment_confirm(request, device, form.cleaned_data["code"])
        except services.SecondFactorError as refused:
            error = refused.message
        else:
            # Shown once, in this response only: the codes are never stored in clear.
            return _show_codes(request, codes, next_url, enrolled=True)
    return render(
        request,
        "accounts/second_factor/setup.html",
        {
            "form": form,
            "error": error,
            "next": next_url,
            "provisioning": provisioning_for(device),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """After the password (and again before signing): a code from the app or a
    recovery code."""
    _staff_or_404(request)
    next_url = safe_next(request)
    if not services.has_confirmed_totp(request.user):
        return redirect(url_with_next("accounts:second_factor_setup", next_url))
    posted = request.method == "POST"
    with_recovery = posted and "recovery_code" in request.POST
    totp_form = TotpCodeForm(request.POST if posted and not with_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if with_recovery else None)
    error = recovery_error = ""
    if request.method == "POST":
        try:
            if totp_form.is_bound and totp_form.is_valid():
                services.second_factor_verify(request, totp_form.cleaned_data["code"])
                return redirect(next_url)
            if recovery_form.is_bound and recovery_form.is_valid():
                services.recovery_code_use(request, recovery_form.cleaned_data["recovery_code"])
                left = selectors.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "Bạn vừa dùng một mã dự phòng; còn %(count)d mã. Nên tạo bộ mã "
                        "dự phòng mới tại trang Thông tin tài khoản."
                    )
                    % {"count": left},
                )
                return redirect(next_url)
        except services.SecondFactorError as refused:
            if recovery_form.is_bound:
                recovery_error = refused.message
            else:
                error = refused.message
    return render(
        request,
        "accounts/second_factor/verify.html",
        {
            "form": totp_form,
            "recovery_form": recovery_form,
            "error": error,
            "recovery_error": recovery_error,
            "next": next_url,
            "reverifying": request.user.is_verified(),
        },
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, from the profile page; asks for a fresh app code."""
    _staff_or_404(request)
    form = TotpCodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.recovery_codes_regenerate(request, form.cleaned_data["code"])
        except services.SecondFactorError as refused:
            error = refused.message
        else:
            return _show_codes(request, codes, reverse("accounts:profile"), enrolled=False)
    return render(
        request,
        "accounts/second_factor/regenerate.html",
        {"form": form, "error": error, "left": selectors.recovery_codes_left(request.user)},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
@login_required
def admin_list(request: HttpRequest) -> HttpResponse:
    """Administrators: every staff account and its second-factor state."""
    _administrator_or_404(request)
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(
        selectors.staff_second_factor_status(request.user, query), ADMIN_PAGE_SIZE
    ).get_page(request.GET.get("trang"))
    return render(
        request,
        "accounts/second_factor/admin_list.html",
        {
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "query": query,
        },
    )


@login_required
@require_POST
def admin_reset(request: HttpRequest, pk: int) -> HttpResponse:
    _administrator_or_404(request)
    # Only staff the administrator manages (its agencies' subtrees; never a superuser).
    person = get_object_or_404(selectors.staff_users(staff_administered_by(request.user)), pk=pk)
    services.second_factor_reset(actor=request.user, user=person)
    messages.success(
        request,
        _(
            "Đã đặt lại xác thực hai bước của %(name)s. Ở lần đăng nhập tiếp theo, người này "
            "sẽ thiết lập lại ứng dụng xác thực."
        )
        % {"name": person.display_name},
    )
    return redirect(reverse("accounts:second_factor_admin"))
