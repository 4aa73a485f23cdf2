"""Auth signals → sign-in session rows and audit events (connected in AccountsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from tthc_portal.accounts.models import SessionEndReason

from . import services


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    services.signin_open(request=request, user=user, method=services.signin_method_for(request))


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # user is None when nobody was signed in; idle and revoked sign-outs were
    # already closed (and audited) by the service that called logout().
    if request is None or user is None or getattr(request, "_signin_closed", False):
        return
    services.signin_close(request=request, user=user, reason=SessionEndReason.LOGOUT)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    services.signin_failure_record(credentials=credentials, request=request)


def signins_connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="accounts.signins.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="accounts.signins.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="accounts.signins.login_failed")
