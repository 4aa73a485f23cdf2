"""Reading sign-in sessions for the profile page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone

from tthc_portal.accounts.models import SignInSession

from .devices import device_describe
from .services import session_store_class

SESSIONS_SHOWN = 20


def _session_alive(session: SessionBase, user: AbstractBaseUser) -> bool:
    # load() honours expiry on every engine (exists() does not on the database
    # one) and comes back empty for a missing or expired session.
    return session.load().get(SESSION_KEY) == str(user.pk)


@dataclass(frozen=True)
class OpenSession:
    row: SignInSession
    device: str
    is_current: bool


def signin_sessions_open(*, user: AbstractBaseUser, current_key: str | None) -> list[OpenSession]:
    """The user's live sessions, most recently active first, at most SESSIONS_SHOWN.

    Sessions that expired by themselves keep an open row. A row counts as live
    if it was active within SESSION_COOKIE_AGE or its session is still in the
    store; only the older rows need the (per-row) store lookup, and since rows
    come newest first those are few and at the end.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = SignInSession.objects.filter(user=user, ended_at__isnull=True).order_by(
        "-last_seen_at", "-pk"
    )[:SESSIONS_SHOWN]
    store = session_store_class()
    live = [
        row
        for row in rows
        if row.last_seen_at >= cutoff
        or row.session_key == current_key
        or _session_alive(store(session_key=row.session_key), user)
    ]
    return [
        OpenSession(
            row=row,
            device=device_describe(row.user_agent),
            is_current=row.session_key == current_key,
        )
        for row in live
    ]
