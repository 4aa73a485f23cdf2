"""Bulk actions at the desk: select on the queue or returns page, confirm one
action offered for every selected dossier, see which were done and which failed.

The selection page and the merged receipts are reads (GET); applying is a POST
that stores the result in the session and redirects to the result page, so a
form sent twice is replayed by the idempotency middleware, not run again.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from .. import selectors_desk
from ..forms_processing import RETURN_METHOD_CHOICES
from ..selectors_bulk import MAX_SELECTION, desk_bulk_dossiers
from ..services import DossierError
from ..services.bulk import (
    BULK_ACTIONS,
    PRINT_RECEIPTS,
    RETURN_REGISTERED,
    BulkResult,
    bulk_actions_offered,
    dossier_label,
    dossiers_bulk_apply,
    receipts_merge,
)

SESSION_KEY = "desk_bulk_results"
KEPT_RESULTS = 5
# Where the officer came from, to go back there (a fixed set: never a URL).
ORIGINS = {"queue": "dossiers:desk_queue", "returns": "dossiers:desk_returns"}


def _require_desk(request: HttpRequest) -> None:
    if not selectors_desk.desk_agencies(request.user).exists():
        raise Http404


def _selected_ids(data) -> list[int]:
    ids = []
    for value in data.getlist("ho_so"):
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return list(dict.fromkeys(ids))


def _origin(data) -> str:
    origin = data.get("tu", "")
    return origin if origin in ORIGINS else "queue"


@never_cache
@login_required
@require_safe
def select(request: HttpRequest) -> HttpResponse:
    """Confirm the selection and choose one of the actions valid for all of it."""
    _require_desk(request)
    ids = _selected_ids(request.GET)
    found = desk_bulk_dossiers(request.user, ids)
    dossiers = [found[pk] for pk in ids if pk in found]
    missing = len(ids) - len(dossiers)
    origin = _origin(request.GET)
    context = {
        "dossiers": dossiers,
        "labels": {d.pk: dossier_label(d) for d in dossiers},
        "missing": missing,
        "too_many": len(ids) > MAX_SELECTION,
        "max_selection": MAX_SELECTION,
        "actions": bulk_actions_offered(dossiers),
        "return_methods": [
            (RETURN_REGISTERED, _("Theo hình thức người nộp đã đăng ký")),
            *RETURN_METHOD_CHOICES,
        ],
        "origin": origin,
        "back_url": ORIGINS[origin],
    }
    return render(request, "dossiers/desk/bulk.html", context)


def _store(request: HttpRequest, result: BulkResult, origin: str) -> str:
    token = uuid.uuid4().hex
    results = dict(request.session.get(SESSION_KEY, {}))
    results[token] = {**result.as_dict(), "origin": origin, "at": timezone.now().isoformat()}
    # Only the last few results are kept: the session is not an archive.
    for old in sorted(results, key=lambda key: results[key]["at"])[:-KEPT_RESULTS]:
        del results[old]
    request.session[SESSION_KEY] = results
    return token


@login_required
@require_POST
def apply(request: HttpRequest) -> HttpResponse:
    _require_desk(request)
    ids = _selected_ids(request.POST)[:MAX_SELECTION]
    action = request.POST.get("thao_tac", "")
    origin = _origin(request.POST)
    if not ids or action not in BULK_ACTIONS:
        messages.error(request, _("Hãy chọn ít nhất một hồ sơ và một thao tác."))
        return redirect(ORIGINS[origin])
    try:
        result = dossiers_bulk_apply(
            request.user,
            ids,
            action,
            method=request.POST.get("hinh_thuc", RETURN_REGISTERED),
            note=request.POST.get("ghi_chu", ""),
        )
    except DossierError as error:
        messages.error(request, error.message)
        return redirect(ORIGINS[origin])
    return redirect("dossiers:desk_bulk_result", token=_store(request, result, origin))


@never_cache
@login_required
@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    _require_desk(request)
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if stored is None:
        raise Http404
    outcome = BulkResult.from_dict(stored)
    context = {
        "result": outcome,
        "action": BULK_ACTIONS[outcome.action],
        "printing": outcome.action == PRINT_RECEIPTS,
        "print_ids": [item.pk for item in outcome.done],
        "back_url": ORIGINS.get(stored.get("origin"), ORIGINS["queue"]),
    }
    return render(request, "dossiers/desk/bulk_result.html", context)


@never_cache
@login_required
@require_safe
def print_receipts(request: HttpRequest) -> HttpResponse:
    """The selected dossiers' receipts (form 01) merged into one PDF to print."""
    _require_desk(request)
    try:
        content, _included = receipts_merge(request.user, _selected_ids(request.GET))
    except DossierError:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'inline; filename="phieu-tiep-nhan-{stamp}.pdf"'
    return response


__all__ = ["apply", "print_receipts", "result", "select"]
