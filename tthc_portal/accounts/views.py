from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .forms import LoginForm
from .oidc.provider import national_sso_enabled
from .signins.selectors import signin_sessions_open


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not settings.IDENTITY["CITIZEN_PASSWORD_LOGIN"]:
            # Only staff use this form then: their username is all it asks.
            form.fields["username"].label = _("Tên đăng nhập")
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["national_sso"] = national_sso_enabled()
        context["citizen_password_login"] = settings.IDENTITY["CITIZEN_PASSWORD_LOGIN"]
        return context


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.select_related("agency").order_by("agency__path")
    sign_in_sessions = signin_sessions_open(
        user=request.user, current_key=request.session.session_key
    )
    return render(
        request,
        "accounts/profile.html",
        {"memberships": memberships, "sign_in_sessions": sign_in_sessions},
    )
