"""A state-changing form sent twice acts once (issue #15 item 8).

static/js/submit-once.js puts a random key into every POST form when it is
first sent (``idempotency_key``); the same form sent again — a double click, a
browser retry, the page restored from the back/forward cache — carries the
same key. For a signed-in user this middleware remembers, per user and key,
the outcome of the first request:

- the first request claims the key (a unique row, ``SubmittedForm``) and runs;
- a redirect (the post/redirect/get of a successful action) is stored with its
  flash messages; a repeat gets the same redirect and the same messages and
  does not run the view again;
- anything else (a form re-rendered with errors, a 403, a crash) releases the
  key, so sending the form again runs it again, as without this middleware;
- a repeat that arrives while the first still runs (two clicks, two threads)
  waits for it briefly, then gets its result, or is sent back to the page it
  came from with a notice that the first request is still being processed.

Keys live ``TTHC_IDEMPOTENCY_TTL_SECONDS`` (24 h). The record is in the
database, so a Redis outage changes nothing here. Views exempt from the CSRF
check are left alone: they parse their own request body (uploads) or are
machine endpoints.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import SubmittedForm

FIELD = "idempotency_key"  # the hidden input submit-once.js adds
HEADER = "Idempotency-Key"  # the same for scripted clients of the pages
# A browser key is 32 hex digits; accept any reasonable token, ignore anything else.
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
# Never part of what identifies a submission: the CSRF token is masked anew on
# every page render, the key is what the fingerprint is built around.
IGNORED_FIELDS = frozenset({"csrfmiddlewaretoken", FIELD})
REPLAYED_HEADER = "Idempotent-Replayed"
POLL_SECONDS = 0.2


def _setting(name: str, default: float) -> float:
    return float(getattr(settings, name, default))


def ttl() -> timedelta:
    return timedelta(seconds=_setting("TTHC_IDEMPOTENCY_TTL_SECONDS", 24 * 60 * 60))


def submission_key(request: HttpRequest) -> str | None:
    """The key sent with this request, if it is a usable one."""
    key = request.headers.get(HEADER) or request.POST.get(FIELD) or ""
    return key if KEY_PATTERN.match(key) else None


def submission_fingerprint(request: HttpRequest, key: str) -> str:
    """What makes two requests "the same submission": the key, the path and
    the content. A form changed and sent again under its old key (after going
    back to it) is a new request, not a repeat."""
    fields = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name not in IGNORED_FIELDS
        for value in values
    )
    files = sorted(
        (name, upload.name or "", upload.size or 0)
        for name, uploads in request.FILES.lists()
        for upload in uploads
    )
    payload = json.dumps([key, request.path, fields, files], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def abandoned(row: SubmittedForm, now: datetime | None = None) -> bool:
    """Claimed so long ago and never finished that its worker must have died."""
    stale = timedelta(seconds=_setting("TTHC_IDEMPOTENCY_STALE_SECONDS", 5 * 60))
    return row.completed_at is None and row.created_at < (now or timezone.now()) - stale


def submission_claim(user: Any, fingerprint: str) -> tuple[SubmittedForm | None, bool]:
    """Claim the submission for this request.

    Returns ``(row, True)`` when this request must run (and later record or
    release the row), ``(row, False)`` when another request holds it (done or
    still running), ``(None, False)`` when it vanished in between (retry).
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            return SubmittedForm.objects.create(
                user=user, fingerprint=fingerprint, created_at=now
            ), True
    except IntegrityError:
        pass
    row = SubmittedForm.objects.filter(user=user, fingerprint=fingerprint).first()
    if row is None:
        return None, False
    if abandoned(row, now):
        # The worker that claimed it died mid-request: whoever updates first takes over.
        taken = SubmittedForm.objects.filter(
            pk=row.pk, completed_at__isnull=True, created_at=row.created_at
        ).update(created_at=now)
        if taken:
            row.created_at = now
            return row, True
    return row, False


def submissions_forget(user: Any) -> None:
    """Expired keys of this user go when they send a form again: the table
    grows only with recent work (``submissions_purge`` for everyone else)."""
    SubmittedForm.objects.filter(user=user, created_at__lt=timezone.now() - ttl()).delete()


def submissions_purge() -> int:
    """Delete every expired key (a periodic job may call it)."""
    deleted, _counts = SubmittedForm.objects.filter(created_at__lt=timezone.now() - ttl()).delete()
    return deleted


def submission_record(row: SubmittedForm, request: HttpRequest, response: HttpResponse) -> None:
    """Keep a redirect and its flash messages for repeats; release anything else."""
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        # The storage's own queue: what this request added (messages are stored
        # on the response by MessageMiddleware, which runs after us).
        queued = getattr(getattr(request, "_messages", None), "_queued_messages", [])
        SubmittedForm.objects.filter(pk=row.pk).update(
            completed_at=timezone.now(),
            status_code=response.status_code,
            location=response["Location"],
            messages=[[m.level, str(m.message), m.extra_tags or ""] for m in queued],
        )
    else:
        submission_release(row)


def submission_release(row: SubmittedForm) -> None:
    SubmittedForm.objects.filter(pk=row.pk, completed_at__isnull=True).delete()


def replay(request: HttpRequest, row: SubmittedForm) -> HttpResponse:
    """The first request's redirect again, with its messages (once: a message
    the browser already holds from the first answer is not added twice)."""
    storage = getattr(request, "_messages", None)
    held = {(m.level, str(m.message)) for m in (getattr(storage, "_loaded_messages", None) or [])}
    for level, text, extra_tags in row.messages:
        if (level, text) not in held:
            messages.add_message(request, level, text, extra_tags=extra_tags, fail_silently=True)
    response = HttpResponse(status=row.status_code or 302)
    response["Location"] = row.location
    response[REPLAYED_HEADER] = "true"
    return response


def still_running(request: HttpRequest) -> HttpResponse:
    """The first request is still working after the wait: say so, on the page
    the form came from when we know it, else on a page of its own."""
    notice = _(
        "Yêu cầu trước của bạn với biểu mẫu này vẫn đang được xử lý; hệ thống không thực hiện "
        "lại. Vui lòng đợi giây lát rồi tải lại trang để xem kết quả."
    )
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        messages.warning(request, notice, fail_silently=True)
        response: HttpResponse = HttpResponseRedirect(referer)
    else:
        response = render(request, "web/submission_pending.html", {"notice": notice}, status=409)
    response[REPLAYED_HEADER] = "pending"
    return response


class IdempotencyMiddleware:
    """Place after CsrfViewMiddleware, AuthenticationMiddleware and
    MessageMiddleware: it reads the form CSRF has already parsed, the user, and
    adds the replayed messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except BaseException:
            row = getattr(request, "_submitted_form", None)
            if row is not None:
                submission_release(row)
            raise
        row = getattr(request, "_submitted_form", None)
        if row is not None:
            submission_record(row, request, response)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        key = submission_key(request)
        if key is None:
            return None
        fingerprint = submission_fingerprint(request, key)
        submissions_forget(user)
        deadline = time.monotonic() + _setting("TTHC_IDEMPOTENCY_WAIT_SECONDS", 10)
        row, mine = submission_claim(user, fingerprint)
        while not mine:
            if row is not None and row.completed_at is not None:
                return replay(request, row)
            # Still running elsewhere: look again shortly, up to the deadline.
            if time.monotonic() >= deadline:
                return still_running(request)
            time.sleep(POLL_SECONDS)
            row = SubmittedForm.objects.filter(user=user, fingerprint=fingerprint).first()
            if row is None or abandoned(row):
                # Released (the first one failed: this one runs on its own) or
                # left by a dead worker: take it.
                row, mine = submission_claim(user, fingerprint)
        request._submitted_form = row  # type: ignore[attr-defined]
        return None


__all__ = [
    "FIELD",
    "HEADER",
    "IdempotencyMiddleware",
    "submission_claim",
    "submission_fingerprint",
    "submissions_purge",
]
