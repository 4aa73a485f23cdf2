"""Signed-in sessions: open, keep alive, time out and end them, with audit events.

A ``SignInSession`` row mirrors one session in the session store (named by its
key), so a person can see where they are signed in and end those sessions.
Ending a session deletes it from the store; nothing is checked per request.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from tthc_portal.accounts.backends import account_find
from tthc_portal.accounts.models import SessionEndReason, SignInMethod, SignInSession, UserKind
from tthc_portal.audit.models import AuditEvent
from tthc_portal.audit.services import audit_record

# Keys kept in request.session.
LAST_ACTIVITY_KEY = "signin_last_activity"  # epoch seconds of the last recorded request
ROW_ID_KEY = "signin_row_id"  # the SignInSession row of this session
BOUND_KEY = "signin_session_key"  # the session key the row names (detects key rotation)
METHOD_KEY = "sign_in_method"  # set before login() by sign-in flows other than the form

# Recording activity costs a session save and an UPDATE: at most once a minute.
TOUCH_INTERVAL_SECONDS = 60
USER_AGENT_MAX_LENGTH = SignInSession._meta.get_field("user_agent").max_length or 255

Scope = Literal["others", "all"]


def is_staff_user(user: Any) -> bool:
    return bool(
        getattr(user, "kind", None) == UserKind.STAFF
        or getattr(user, "is_staff", False)
        or getattr(user, "is_superuser", False)
    )


def client_ip(request: HttpRequest | None) -> str | None:
    """REMOTE_ADDR only: forwarded headers are spoofable without a trusted proxy setup."""
    if request is None:
        return None
    raw = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def session_store_class() -> type[SessionBase]:
    return import_string(f"{settings.SESSION_ENGINE}.SessionStore")


def _now_seconds() -> int:
    # Through the module attribute so tests that patch timezone.now see it.
    return int(timezone.now().timestamp())


# --- Opening -----------------------------------------------------------------


def signin_open(
    *,
    request: HttpRequest,
    user: AbstractBaseUser,
    method: str = SignInMethod.PASSWORD,
) -> SignInSession:
    """Record that ``user`` signed in on this request's session.

    Called from the ``user_logged_in`` receiver; idempotent per session key,
    so calling it again (for instance to set the method) updates the same row
    and writes no second audit event.
    """
    if method not in SignInMethod.values:
        raise ValueError(f"Unknown sign-in method: {method!r}")
    session = request.session
    if session.session_key is None:
        session.save()
    now = timezone.now()
    ip_address = client_ip(request)
    user_agent = (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX_LENGTH]
    with transaction.atomic():
        row, created = SignInSession.objects.update_or_create(
            session_key=session.session_key,
            defaults={
                "user": user,
                "method": method,
                "ip_address": ip_address,
                "user_agent": user_agent,
                "last_seen_at": now,
                "ended_at": None,
                "end_reason": "",
            },
        )
        if created:
            audit_record(
                actor=user,
                action="accounts.signed_in",
                target=user,
                after={"method": method, "ip_address": ip_address, "sign_in_session": row.pk},
            )
    # Activity starts now, so the first requests after signing in write nothing.
    session[LAST_ACTIVITY_KEY] = int(now.timestamp())
    session[ROW_ID_KEY] = row.pk
    session[BOUND_KEY] = session.session_key
    return row


def signin_login(
    request: HttpRequest,
    user: AbstractBaseUser,
    *,
    method: str = SignInMethod.PASSWORD,
    backend: str | None = None,
) -> SignInSession | None:
    """``django.contrib.auth.login`` that records how the person signed in.

    The method rides on the request, not the session, because ``login()``
    flushes the session when another account was signed in on it.
    """
    request._sign_in_method = method  # type: ignore[attr-defined]
    auth_login(request, user, backend=backend)
    return SignInSession.objects.filter(pk=request.session.get(ROW_ID_KEY)).first()


def signin_method_for(request: HttpRequest) -> str:
    explicit = getattr(request, "_sign_in_method", None)
    if explicit:
        return explicit
    stored = request.session.get(METHOD_KEY)
    return stored if stored in SignInMethod.values else SignInMethod.PASSWORD


# --- Closing -----------------------------------------------------------------


def _current_rows(request: HttpRequest, user: AbstractBaseUser):
    session = request.session
    match = Q()
    if session.session_key:
        match |= Q(session_key=session.session_key)
    if session.get(ROW_ID_KEY):
        match |= Q(pk=session[ROW_ID_KEY])
    if not match:
        return SignInSession.objects.none()
    return SignInSession.objects.filter(match, user=user, ended_at__isnull=True)


def signin_close(
    *,
    request: HttpRequest,
    user: AbstractBaseUser,
    reason: str = SessionEndReason.LOGOUT,
) -> AuditEvent:
    """End this request's row (if any) and audit the sign-out.

    Sessions opened before rows existed have none; the sign-out is audited anyway.
    """
    with transaction.atomic():
        rows = _current_rows(request, user)
        ended = list(rows.values_list("pk", flat=True))
        rows.update(ended_at=timezone.now(), end_reason=reason)
        event = audit_record(
            actor=user,
            action="accounts.signed_out_idle"
            if reason == SessionEndReason.IDLE
            else "accounts.signed_out",
            target=user,
            after={"reason": reason, "sign_in_session": ended[0] if ended else None},
        )
    # The user_logged_out receiver must not close (and audit) a second time.
    request._signin_closed = True  # type: ignore[attr-defined]
    return event


def signin_logout(request: HttpRequest, *, reason: str) -> None:
    """Sign the request's user out, recording ``reason`` instead of a plain logout."""
    user = request.user
    if user.is_authenticated:
        signin_close(request=request, user=user, reason=reason)
    auth_logout(request)


# --- Each request --------------------------------------------------------------


def signin_guard(request: HttpRequest) -> bool:
    """Per-request bookkeeping for signed-in sessions; False if it just timed out.

    Cheap on purpose: it reads only the session (already loaded to find the
    user) and writes at most once a minute, so most requests add no query.
    """
    session = getattr(request, "session", None)
    if session is None or session.session_key is None or not session.get(SESSION_KEY):
        return True
    user = request.user
    if not user.is_authenticated:
        return True
    rotated = session.get(BOUND_KEY) not in (None, session.session_key)
    if rotated and not _signin_rekey(request):
        # Its row was ended (revoked) under the old key: the session must go too.
        request._signin_closed = True  # type: ignore[attr-defined]
        auth_logout(request)
        return True
    now_seconds = _now_seconds()
    last = session.get(LAST_ACTIVITY_KEY)
    elapsed = None if last is None else now_seconds - int(last)
    idle_limit = int(settings.IDENTITY["STAFF_IDLE_MINUTES"]) * 60
    if elapsed is not None and elapsed > idle_limit and is_staff_user(user):
        signin_logout(request, reason=SessionEndReason.IDLE)
        return False
    # A negative elapsed time (clock moved back) is not activity worth a write.
    if elapsed is None or elapsed >= TOUCH_INTERVAL_SECONDS:
        signin_touch(request)
    return True


def signin_touch(request: HttpRequest) -> None:
    """Record activity now: in the session and as the row's last_seen_at."""
    now = timezone.now()
    request.session[LAST_ACTIVITY_KEY] = int(now.timestamp())
    SignInSession.objects.filter(
        session_key=request.session.session_key, ended_at__isnull=True
    ).update(last_seen_at=now)


def _signin_rekey(request: HttpRequest) -> bool:
    """Follow a session key rotation (password change, second factor) to the row.

    Returns False when the row had already been ended.
    """
    session = request.session
    updated = SignInSession.objects.filter(
        pk=session.get(ROW_ID_KEY), user=request.user, ended_at__isnull=True
    ).update(session_key=session.session_key)
    session[BOUND_KEY] = session.session_key
    return bool(updated)


# --- Ending sessions from the profile ------------------------------------------------


def _signin_revoke(request: HttpRequest, rows: list[tuple[int, str]], scope: str) -> int:
    user = request.user
    current_key = request.session.session_key
    pks = [pk for pk, _key in rows]
    with transaction.atomic():
        SignInSession.objects.filter(pk__in=pks).update(
            ended_at=timezone.now(), end_reason=SessionEndReason.REVOKED
        )
        audit_record(
            actor=user,
            action="accounts.sessions_revoked",
            target=user,
            after={"scope": scope, "sign_in_sessions": pks},
        )
    store = session_store_class()
    for _pk, key in rows:
        if key != current_key:
            store(session_key=key).delete()
    if any(key == current_key for _pk, key in rows):
        request._signin_closed = True  # type: ignore[attr-defined]
        auth_logout(request)
    return len(pks)


def signin_revoke_many(*, request: HttpRequest, scope: Scope) -> int:
    """End the user's other open sessions ("others") or all of them ("all")."""
    rows = SignInSession.objects.filter(user=request.user, ended_at__isnull=True)
    if scope == "others":
        rows = rows.exclude(session_key=request.session.session_key)
    elif scope != "all":
        raise ValueError(f"Unknown scope: {scope!r}")
    return _signin_revoke(request, list(rows.values_list("pk", "session_key")), scope)


def signin_revoke_one(*, request: HttpRequest, pk: int) -> None:
    """End one of the user's own open sessions; DoesNotExist for anyone else's."""
    row = SignInSession.objects.get(pk=pk, user=request.user, ended_at__isnull=True)
    _signin_revoke(request, [(row.pk, row.session_key)], "one")


# --- Failed attempts -------------------------------------------------------------


def signin_account_for(identifier: str) -> AbstractBaseUser | None:
    """The account an identifier names, matched as IdentifierBackend matches it."""
    return account_find(identifier)


def signin_failure_record(
    *, credentials: dict[str, Any], request: HttpRequest | None
) -> AuditEvent | None:
    """Audit a failed attempt on an existing account; unknown names are not logged.

    Only the account and the address are stored, never what was typed as the
    password (django-axes keeps its own record of every attempt).
    """
    identifier = credentials.get("username")
    if not isinstance(identifier, str):
        return None
    user = signin_account_for(identifier)
    if user is None:
        return None
    return audit_record(
        actor=None,
        action="accounts.sign_in_failed",
        target=user,
        after={"ip_address": client_ip(request)},
    )
