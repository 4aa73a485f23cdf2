"""Sign-in lockout (django-axes): one counter per account, and a per-account limit.

Two limits apply to password sign-in (portal form and admin login alike):

* per (account, address), ``AXES_FAILURE_LIMIT`` (5): stops guessing from one
  place quickly. On its own it is bypassed by rotating addresses (botnets,
  mobile networks, cheap proxies), each staying under the limit.
* per account across all addresses, ``AXES_ACCOUNT_FAILURE_LIMIT`` (20): stops
  that. On its own it would let anyone lock anyone out with a few wrong
  passwords, so its threshold is higher and it lasts only the cool-off.

Both count the account, not the text typed: the backend accepts a username in
any letter case, a personal ID or a tax code, so every spelling of one account
must share one counter (otherwise ``MOTCUA.PHOHIEN`` walks past a lock on
``motcua.phohien``, and its success clears that lock).
"""

from __future__ import annotations

from datetime import datetime

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

from tthc_portal.accounts.backends import account_find

# Per request, so the several look-ups axes makes for one sign-in cost one query.
_CACHE_ATTRIBUTE = "_tthc_lockout_names"


def identifier_normalise(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """``AXES_USERNAME_CALLABLE``: the lockout key for what was typed.

    The lower-cased username of the account it names; with no such account, the
    stripped, lower-cased text, so an unknown name is counted (and locked) in
    exactly the same way and the lockout does not reveal which accounts exist.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials is not None:
        typed = credentials.get(field)
    elif request is not None:
        typed = getattr(request, "data", request.POST).get(field)
    else:
        typed = None
    if not isinstance(typed, str) or not typed.strip():
        return None

    cache: dict[str, str] = getattr(request, _CACHE_ATTRIBUTE, None) or {}
    if typed not in cache:
        account = account_find(typed)
        name = account.get_username() if account is not None else typed
        cache[typed] = name.strip().lower()
        if request is not None:
            setattr(request, _CACHE_ATTRIBUTE, cache)
    return cache[typed]


def account_failures_count(username: str, since: datetime) -> int:
    """Failures on one (normalised) account since ``since``, summed over every address."""
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


def account_is_locked(request: HttpRequest, credentials: dict | None) -> bool:
    """Whether the account named has reached the per-account limit in the cool-off window."""
    if not settings.AXES_LOCK_OUT_AT_FAILURE or settings.AXES_COOLOFF_TIME is None:
        return False
    username = identifier_normalise(request, credentials)
    if username is None:
        return False
    since = get_cool_off_threshold(request)
    return account_failures_count(username, since) >= settings.AXES_ACCOUNT_FAILURE_LIMIT


class AccountLimitHandler(AxesDatabaseHandler):
    """django-axes' database handler plus the per-account limit.

    Locking here (rather than in the form) covers every sign-in that goes
    through ``authenticate()``, the admin login included, and axes renders the
    same lockout page (``AXES_LOCKOUT_TEMPLATE``) for both limits.
    """

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        return super().is_locked(request, credentials) or account_is_locked(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out:
            return
        if self.is_whitelisted(request, credentials):
            return
        # The failure just recorded may be the one that reaches the account limit:
        # show the lockout page now, as axes does for the per-address limit.
        if account_is_locked(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=identifier_normalise(request, credentials),
                ip_address=request.axes_ip_address,
            )
