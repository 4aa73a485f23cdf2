"""Staff second factor: an authenticator app (TOTP) plus single-use recovery codes.

Built on django-otp's own models: one ``TOTPDevice`` per staff member (unconfirmed
until the first code is typed) and one ``StaticDevice`` holding the recovery codes.
A session is "verified" when django-otp's ``otp_device_id`` names one of the
user's confirmed devices; we also keep the time of the last verification so that
signing a result can ask for a fresh code.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import django_otp
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tthc_portal.accounts.models import UserKind
from tthc_portal.accounts.roles import Role
from tthc_portal.audit.services import audit_record

# django-otp keeps the verifying device under DEVICE_ID_SESSION_KEY ("otp_device_id").
DEVICE_ID_SESSION_KEY = django_otp.DEVICE_ID_SESSION_KEY
VERIFIED_AT_SESSION_KEY = "second_factor_verified_at"

TOTP_DEVICE_NAME = "Ứng dụng xác thực"
RECOVERY_DEVICE_NAME = "Mã dự phòng"


class SecondFactorError(Exception):
    """A refused code, with the message to show next to the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_staff_user(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and (user.kind == UserKind.STAFF or user.is_staff or user.is_superuser)
    )


def is_administrator(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_superuser or user.memberships.filter(role=Role.ADMINISTRATOR).exists()


def totp_device_for(user, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed is not None:
        devices = devices.filter(confirmed=confirmed)
    return devices.order_by("pk").first()


def has_confirmed_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- session state -----------------------------------------------------------------------


def second_factor_mark_verified(request: HttpRequest, device: Device) -> None:
    """Bind the device to this session (django-otp) and remember when."""
    django_otp.login(request, device)
    second_factor_session_mark(request.session, device)


def second_factor_session_mark(session, device: Device) -> None:
    """What the verify page leaves in a session: the device and when it was
    verified. Also for sessions built without a request (the test client, the
    benchmarks, the load test's prepared sessions)."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[VERIFIED_AT_SESSION_KEY] = timezone.now().isoformat()


def second_factor_is_recent(request: HttpRequest, minutes: int | None = None) -> bool:
    """True when this session passed the second factor less than ``minutes`` ago
    (default ``IDENTITY["SIGN_REAUTH_MINUTES"]``): signing needs a fresh code."""
    user = getattr(request, "user", None)
    if user is None or not getattr(user, "is_verified", lambda: False)():
        return False
    stamp = request.session.get(VERIFIED_AT_SESSION_KEY)
    if not stamp:
        return False
    try:
        verified_at = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return False
    if minutes is None:
        minutes = settings.IDENTITY["SIGN_REAUTH_MINUTES"]
    # A stamp "in the future" only comes from a clock set back; the session is
    # server-side, so it cannot be forged and still counts as recent.
    return timezone.now() - verified_at <= timedelta(minutes=minutes)


# --- enrolment ---------------------------------------------------------------------------


def enrolment_start(user) -> TOTPDevice:
    """The unconfirmed device to enrol: the same one on every reload, so the QR code
    shown does not change while the person is setting up their phone."""
    device = totp_device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def enrolment_confirm(request: HttpRequest, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the device with its first code; returns the new recovery codes."""
    user = request.user
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        problem = (
            _("Thiết bị này đã được thiết lập.")
            if locked.confirmed
            else _totp_problem(locked, code)
        )
        if problem is None:
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            # Any other half-finished enrolment is now useless.
            TOTPDevice.objects.filter(user=user, confirmed=False).exclude(pk=locked.pk).delete()
            codes = _recovery_codes_replace(user)
            audit_record(
                actor=user,
                action="accounts.second_factor_enrolled",
                target=user,
                after={"device": locked.persistent_id, "recovery_codes": len(codes)},
            )
    # Raised outside the transaction so that django-otp's failure count is kept.
    if problem is not None:
        raise SecondFactorError(problem)
    second_factor_mark_verified(request, locked)
    return codes


# --- verification ------------------------------------------------------------------------


def _throttle_message(device: Device) -> str | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    count = (info or {}).get("failure_count", 1)
    factor = device.get_throttle_factor()
    wait = factor * (2 ** max(count - 1, 0))
    if device.throttling_failure_timestamp is not None:
        elapsed = (timezone.now() - device.throttling_failure_timestamp).total_seconds()
        wait = max(1, int(wait - elapsed + 0.999))
    return _("Bạn đã nhập sai nhiều lần. Vui lòng thử lại sau %(seconds)d giây.") % {
        "seconds": wait
    }


def _totp_was_used(device: TOTPDevice, token: int) -> bool:
    """Whether the code is right but its time step was already accepted (last_t)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    base = device.drift
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = base + offset
        if totp.t() <= device.last_t and totp.token() == token:
            return True
    return False


def _totp_problem(device: TOTPDevice, code: str) -> str | None:
    """Verify ``code`` on a locked device (django-otp's throttling and last_t apply);
    None when accepted, else the message to show. Never raises, so that the
    caller's transaction keeps the failure count."""
    blocked = _throttle_message(device)
    if blocked:
        return blocked
    if device.verify_token(code):
        return None
    if code.isdigit() and _totp_was_used(device, int(code)):
        return _(
            "Mã này đã được sử dụng. Vui lòng chờ ứng dụng xác thực hiển thị mã mới rồi nhập lại."
        )
    return _(
        "Mã xác thực không đúng. Vui lòng kiểm tra lại mã đang hiển thị trên ứng dụng xác thực."
    )


def _confirmed_totp_locked(user) -> TOTPDevice | None:
    return (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .order_by("pk")
        .first()
    )


NOT_ENROLLED = gettext_lazy("Tài khoản chưa thiết lập ứng dụng xác thực.")


def second_factor_verify(request: HttpRequest, code: str) -> TOTPDevice:
    """Check a code from the authenticator app and mark the session verified."""
    with transaction.atomic():
        device = _confirmed_totp_locked(request.user)
        problem = str(NOT_ENROLLED) if device is None else _totp_problem(device, code)
    if problem is not None:
        raise SecondFactorError(problem)
    second_factor_mark_verified(request, device)
    return device


def recovery_code_normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_code_use(request: HttpRequest, code: str) -> StaticDevice:
    """Accept one recovery code, once; the code is deleted as it is used."""
    user = request.user
    token = recovery_code_normalise(code)
    used = None
    problem = _("Tài khoản chưa có mã dự phòng.")
    with transaction.atomic():
        for device in (
            StaticDevice.objects.select_for_update()
            .filter(user=user, confirmed=True)
            .order_by("pk")
        ):
            problem = _throttle_message(device)
            if problem:
                break
            # verify_token deletes the matching code, or counts a failure.
            if token and device.verify_token(token):
                used = device
                remaining = StaticToken.objects.filter(device__user=user).count()
                audit_record(
                    actor=user,
                    action="accounts.second_factor_recovery_code_used",
                    target=user,
                    after={"remaining": remaining},
                )
                break
            problem = _(
                "Mã dự phòng không đúng hoặc đã được sử dụng. Mỗi mã dự phòng chỉ dùng một lần."
            )
    if used is None:
        raise SecondFactorError(problem)
    second_factor_mark_verified(request, used)
    return used


# --- recovery codes ----------------------------------------------------------------------


def recovery_code_display(token: str) -> str:
    """ "abcdefgh" → "abcd-efgh": easier to read aloud and copy."""
    return f"{token[:4]}-{token[4:]}" if len(token) > 4 else token


def _recovery_codes_replace(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    tokens: set[str] = set()
    while len(tokens) < settings.IDENTITY["RECOVERY_CODES"]:
        tokens.add(StaticToken.random_token())
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in sorted(tokens))
    return [recovery_code_display(t) for t in sorted(tokens)]


def recovery_codes_regenerate(request: HttpRequest, code: str) -> list[str]:
    """New recovery codes (the old ones stop working), after a fresh app code."""
    user = request.user
    with transaction.atomic():
        device = _confirmed_totp_locked(user)
        problem = str(NOT_ENROLLED) if device is None else _totp_problem(device, code)
        if problem is None:
            codes = _recovery_codes_replace(user)
            audit_record(
                actor=user,
                action="accounts.second_factor_recovery_regenerated",
                target=user,
                after={"recovery_codes": len(codes)},
            )
    if problem is not None:
        raise SecondFactorError(problem)
    # The session may have been verified with a recovery code that no longer exists.
    second_factor_mark_verified(request, device)
    return codes


# --- administration ----------------------------------------------------------------------


@dataclass(frozen=True)
class ResetResult:
    totp_devices: int
    recovery_devices: int


@transaction.atomic
def second_factor_reset(*, actor, user) -> ResetResult:
    """Delete the person's devices: their next request asks them to enrol again.

    Nothing else ends: open sessions stay, but django-otp no longer finds the
    device they were verified with, so they are unverified from the next request.
    """
    totp = TOTPDevice.objects.filter(user=user)
    static = StaticDevice.objects.filter(user=user)
    before = {
        "totp_devices": [d.persistent_id for d in totp],
        "recovery_devices": [d.persistent_id for d in static],
    }
    result = ResetResult(
        totp_devices=len(before["totp_devices"]), recovery_devices=len(before["recovery_devices"])
    )
    totp.delete()
    static.delete()
    audit_record(
        actor=actor,
        action="accounts.second_factor_reset",
        target=user,
        before=before,
        after={"totp_devices": [], "recovery_devices": []},
    )
    return result
