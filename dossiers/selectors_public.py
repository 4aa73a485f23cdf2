"""Reads for the public status lookup, the payment pages and the dossier API.

The public lookup never hands a ``Dossier`` to a template or serializer: it
builds a :class:`PublicStatus` holding only what an anonymous visitor may
see (code, procedure, status, step text, dates, result readiness). Every
lookup runs exactly one query whatever the outcome, so a guess cannot tell
"no such code" from "wrong second factor" by the queries it causes.
"""

from __future__ import annotations

import contextlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import WorkflowStep
from tthc_portal.cache_safety import CacheUnavailable, counter_hit, counter_peek

from .models import (
    DocumentKind,
    Dossier,
    DossierDocument,
    Payment,
    Status,
    StatusHistory,
)
from .selectors import dossiers_for_applicant, dossiers_for_staff

# --- public status lookup -------------------------------------------------------------

LOOKUP_WINDOW_SECONDS = 10 * 60
# The two per-address budgets (see lookup_attempt_register).
LOOKUP_FORM = "form"
LOOKUP_QR = "qr"
# Compared against when no dossier matched, so both branches do the same work.
_NO_DIGITS = "\x00\x00\x00\x00"
RESULT_STATUSES = (Status.RESULT_READY, Status.RETURNED)
BAD_STATUSES = (Status.REFUSED, Status.REJECTED, Status.WITHDRAWN, Status.STOPPED)


@dataclass(frozen=True)
class PublicStatus:
    """What anyone holding the code (and second factor) or the QR link may see."""

    code: str
    procedure_name: str
    status: str
    status_label: str
    step_text: str
    received_at: datetime | None
    due_at: datetime | None
    result_ready: bool
    result_text: str

    @property
    def tone(self) -> str:
        """The CSS state class of the status badge."""
        if self.result_ready:
            return "state-ok"
        if self.status in BAD_STATUSES:
            return "state-bad"
        if self.status in (Status.AWAITING_SUPPLEMENT, Status.AWAITING_COMPLETION):
            return "state-warn"
        return "state-muted"


def _lookup_queryset(*, with_code: bool = True) -> QuerySet[Dossier]:
    """Dossiers the public may find: received ones, which carry a code (by the
    QR token: every submitted one).

    Drafts, and dossiers refused or sent back before receipt (no code), are
    never findable. One query: the first citizen-facing step text comes as a
    subquery annotation whatever the status.
    """
    first_step_text = (
        WorkflowStep.objects.filter(version=OuterRef("procedure_version"))
        .exclude(citizen_status_text="")
        .order_by("order")
        .values("citizen_status_text")[:1]
    )
    dossiers = Dossier.objects.all()
    if with_code:
        dossiers = dossiers.filter(code__isnull=False).exclude(code="")
    return (
        dossiers.exclude(status=Status.DRAFT)
        .select_related("procedure_version")
        .annotate(public_step_text=Subquery(first_step_text))
        .only(
            "code",
            "status",
            "received_at",
            "due_at",
            "applicant_phone",
            "applicant_id_number",
            "procedure_version__name",
        )
    )


def _last_digits(value: str, count: int = 4) -> str:
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    return digits[-count:] if len(digits) >= count else _NO_DIGITS


def _second_factor_ok(dossier: Dossier | None, last4: str) -> bool:
    """Last 4 digits of the applicant's phone OR identification number.

    Both comparisons always run, in constant time, even with no dossier.
    """
    phone = _last_digits(dossier.applicant_phone) if dossier else _NO_DIGITS
    id_number = _last_digits(dossier.applicant_id_number) if dossier else _NO_DIGITS
    given = (last4 or "").encode()
    phone_ok = hmac.compare_digest(phone.encode(), given)
    id_ok = hmac.compare_digest(id_number.encode(), given)
    return dossier is not None and (phone_ok | id_ok)


def _public_status(dossier: Dossier) -> PublicStatus:
    status_label = str(Status(dossier.status).label)
    step_text = status_label
    if dossier.status == Status.IN_PROCESSING and dossier.public_step_text:
        step_text = dossier.public_step_text
    if dossier.status == Status.RESULT_READY:
        result_text = _("Đã có kết quả. Mời ông/bà đến nhận theo giấy hẹn.")
    elif dossier.status == Status.RETURNED:
        result_text = _("Kết quả đã được trả.")
    else:
        result_text = _("Chưa có kết quả.")
    return PublicStatus(
        code=dossier.code or "",
        procedure_name=dossier.procedure_version.name,
        status=dossier.status,
        status_label=status_label,
        step_text=step_text,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        result_ready=dossier.status in RESULT_STATUSES,
        result_text=str(result_text),
    )


def public_status_by_code(code: str, last4: str) -> PublicStatus | None:
    """None for an unknown code, a wrong second factor or an unfindable dossier.

    A miss is counted against the typed code (see ``lookup_code_open``), the
    same way whatever the reason, so the counter reveals nothing either.
    """
    dossier = _lookup_queryset().filter(code=(code or "").strip().upper()).first()
    if not _second_factor_ok(dossier, last4):
        lookup_code_failure_register(code)
        return None
    return _public_status(dossier)  # type: ignore[arg-type]


def public_status_by_token(token: str) -> PublicStatus | None:
    """The QR link: the token itself is the secret. It works from submission on
    (a dossier waiting for the desk has no code yet), never for a draft."""
    if not token:
        return None
    dossier = _lookup_queryset(with_code=False).filter(lookup_token=token).first()
    return _public_status(dossier) if dossier is not None else None


def _code_key(code: str) -> str:
    # The same normalisation as the form and the API serializer: a guess typed
    # with spaces or in lower case counts against the same code.
    return "dossiers:lookup:code:" + "".join((code or "").split()).upper()[:64]


def lookup_attempt_register(ip: str, *, channel: str = LOOKUP_FORM) -> bool:
    """Count one lookup from ``ip``; False once the 10-minute allowance is spent.

    Two budgets per address: the form and the API share one
    (``LOOKUP_ATTEMPTS_PER_10_MIN``); QR links have their own
    (``LOOKUP_QR_ATTEMPTS_PER_10_MIN``), because a link already carries its
    secret and one office or mobile NAT must not block every QR link behind it.
    Fixed window started by the first attempt, in the shared cache only.
    Raises :class:`CacheUnavailable` when it cannot count (callers refuse).
    """
    if channel == LOOKUP_QR:
        limit = int(settings.TTHC.get("LOOKUP_QR_ATTEMPTS_PER_10_MIN", 30))
    else:
        limit = int(settings.TTHC.get("LOOKUP_ATTEMPTS_PER_10_MIN", 10))
    key = f"dossiers:lookup:{channel}:{ip or 'unknown'}"
    return counter_hit(key, LOOKUP_WINDOW_SECONDS) <= limit


def lookup_code_open(code: str) -> bool:
    """False while the code has had too many wrong answers in the window, from
    any addresses (``LOOKUP_CODE_FAILURES_PER_10_MIN``): rotating addresses
    cannot go on guessing one code's 4 digits. Keyed on the typed code, so it
    tells nothing about whether the code exists. Raises CacheUnavailable."""
    limit = int(settings.TTHC.get("LOOKUP_CODE_FAILURES_PER_10_MIN", 5))
    return counter_peek(_code_key(code)) < limit


def lookup_code_failure_register(code: str) -> None:
    """Count one wrong answer against ``code`` (right answers never count, so
    the owner checking often is not locked out)."""
    # Unavailable: the next attempt's check cannot read the counter either and refuses.
    with contextlib.suppress(CacheUnavailable):
        counter_hit(_code_key(code), LOOKUP_WINDOW_SECONDS)


# --- payments -------------------------------------------------------------------------


def payment_for_applicant(user, reference) -> Payment:
    """The applicant's own payment; Payment.DoesNotExist (→ 404) for anyone else."""
    if not user.is_authenticated:
        raise Payment.DoesNotExist
    return Payment.objects.select_related("dossier__procedure_version").get(
        reference=reference, dossier__applicant=user
    )


def payment_receipt_document(payment: Payment) -> DossierDocument | None:
    return (
        DossierDocument.objects.filter(
            dossier_id=payment.dossier_id, kind=DocumentKind.PAYMENT_RECEIPT, source_id=payment.pk
        )
        .order_by("pk")
        .first()
    )


# --- dossier API ----------------------------------------------------------------------


def _detail_prefetch(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    return queryset.prefetch_related(
        "components",
        Prefetch("history", queryset=StatusHistory.objects.select_related("actor")),
        "documents",
        Prefetch("payments", queryset=Payment.objects.order_by("-requested_at", "-pk")),
    )


def api_applicant_dossiers(user) -> QuerySet[Dossier]:
    return dossiers_for_applicant(user).order_by("-created_at", "-pk")


def api_applicant_dossier_detail(user) -> QuerySet[Dossier]:
    return _detail_prefetch(dossiers_for_applicant(user))


def api_desk_dossiers(user) -> QuerySet[Dossier]:
    """Dossiers of the agencies the officer works for, without citizens' drafts
    (a draft is the citizen's own until it is submitted)."""
    return (
        dossiers_for_staff(user, "view_agency_records")
        .exclude(status=Status.DRAFT, submitted_by_officer=False)
        .order_by("-created_at", "-pk")
    )


def api_desk_dossier_detail(user) -> QuerySet[Dossier]:
    return _detail_prefetch(api_desk_dossiers(user))


def api_desk_waiting_overdue(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Online/postal dossiers still waiting for the desk past their acceptance SLA."""
    return queryset.filter(status=Status.SUBMITTED, reception_due_at__lt=timezone.now())
