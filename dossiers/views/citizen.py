"""The citizen's own dossiers: the dashboard, the dossier page and its
document downloads, plus the helpers the other citizen views share.

Views only parse input, call a service and render or redirect. Every dossier
is looked up through the permission-scoped selectors, so another person's
dossier is a 404, never a 403 that would reveal that it exists. The draft
(start, e-form, submission) is in ``citizen_drafts``, the upload slots in
``citizen_uploads`` and the personal data store in ``citizen_store``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import selectors_citizen as selectors
from ..models import Dossier, DossierComponent, Status
from ..selectors_search import MAX_QUERY_CHARS, search_plan
from ..services import DossierError
from ..services.uploads import safe_filename
from ..workflow import TRANSITIONS

PAGE_SIZE = 20
DOCUMENT_FRAGMENT = "dossiers/documents/_status.html"
# History notes the applicant is meant to read (reasons and guidance).
PUBLIC_NOTE_ACTIONS = frozenset(
    {"request_completion", "refuse", "request_supplement", "reject", "stop", "withdraw"}
)


# --- helpers ----------------------------------------------------------------------


def _own_dossier(request: HttpRequest, pk: int) -> Dossier:
    try:
        return selectors.my_dossier(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


def _report(request: HttpRequest, error: DossierError) -> None:
    messages.error(request, error.message)
    for detail in error.errors:
        messages.error(request, detail)


def _stream(file: FieldFile, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("Không tìm thấy tệp.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- the dossier page -----------------------------------------------------------


def _documents_fragment() -> str | None:
    """The documents engineer's status fragment, when it is installed."""
    try:
        get_template(DOCUMENT_FRAGMENT)
    except TemplateDoesNotExist:
        return None
    return DOCUMENT_FRAGMENT


def _payment_url(payment) -> str | None:
    if payment is None:
        return None
    try:
        return reverse("dossiers:payment_start", args=[payment.reference])
    except NoReverseMatch:
        return None


def _history_rows(dossier: Dossier) -> list[dict[str, Any]]:
    labels = dict(Status.choices)
    rows = []
    for entry in dossier.history.all():
        transition = TRANSITIONS.get(entry.action)
        rows.append(
            {
                "at": entry.at,
                "action": transition.label if transition else entry.action,
                "status": labels.get(entry.to_status, entry.to_status),
                "note": entry.note if entry.action in PUBLIC_NOTE_ACTIONS else "",
            }
        )
    return rows


@never_cache
@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        dossier = selectors.dossier_page(request.user, pk)
    except Dossier.DoesNotExist:
        raise Http404(_("Không tìm thấy hồ sơ.")) from None
    payment = selectors.open_payment(dossier)
    context = {
        "dossier": dossier,
        "version": dossier.procedure_version,
        "status_text": selectors.citizen_status_text(dossier),
        "status_css": selectors.STATUS_CSS.get(dossier.status, "muted"),
        "supplements": selectors.open_supplement_requests(dossier),
        "payment": payment,
        "payment_url": _payment_url(payment),
        "documents_fragment": _documents_fragment(),
        "history": _history_rows(dossier),
        "can_edit": dossier.status in selectors.EDITABLE_STATUSES,
        "can_resubmit": dossier.status == Status.AWAITING_COMPLETION,
    }
    return render(request, "dossiers/citizen/detail.html", context)


# --- downloads ----------------------------------------------------------------------


@login_required
@require_safe
def component_download(request: HttpRequest, pk: int, component_pk: int) -> FileResponse:
    try:
        component = selectors.component_for_user(request.user, pk, component_pk)
    except (Dossier.DoesNotExist, DossierComponent.DoesNotExist):
        raise Http404(_("Không tìm thấy giấy tờ.")) from None
    return _stream(
        component.file,
        filename=safe_filename(component.original_filename),
        content_type=component.content_type or "application/octet-stream",
    )


# --- lists --------------------------------------------------------------------------


@login_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    group = request.GET.get("nhom", "")
    if group not in selectors.GROUPS_BY_KEY:
        group = ""
    # The same matching as the staff search, over the user's own dossiers.
    query = request.GET.get("tim", "")[:MAX_QUERY_CHARS]
    plan = search_plan(query)
    # A text that cannot be searched (too short) finds nothing, with the reason shown.
    search = Q(pk__in=[]) if plan.problem else plan.condition
    page = Paginator(selectors.my_dossiers(request.user, group, search), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    counts = selectors.group_counts(request.user, search)
    groups = [("", _("Tất cả"), counts[""])] + [
        (g.key, g.label, counts[g.key]) for g in selectors.STATUS_GROUPS
    ]
    rows = list(page.object_list)
    for dossier in rows:
        dossier.status_css = selectors.STATUS_CSS.get(dossier.status, "muted")
    context = {
        "page": page, "rows": rows, "group": group, "groups": groups,
        "query": query, "search_problem": plan.problem, "searched": search is not None,
    }  # fmt: skip
    return render(request, "dossiers/citizen/my_dossiers.html", context)
