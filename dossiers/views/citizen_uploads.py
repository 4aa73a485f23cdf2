"""The upload slots of the citizen's draft: upload a file, reuse one from the
personal data store, remove one. With htmx the slot is re-rendered in place;
without JavaScript the browser goes back to the draft page.
"""

from __future__ import annotations

import html
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParser
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.datastructures import ImmutableList
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from procedures.models import ComponentRequirement

from .. import selectors_citizen as selectors
from ..forms_citizen import DraftForm, ReuseForm, UploadForm
from ..models import Dossier, DossierComponent, PersonalDocument
from ..services import DossierError
from ..services.submission import component_attach, component_attach_from_store, component_remove
from .citizen import _own_dossier, _report
from .citizen_drafts import _draft_initial, _render_draft, _slot_context


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


class _PathAwareParser(MultiPartParser):
    """Django drops the directories of an uploaded file's name before anyone
    sees it. Browsers never send a path, so a name that carried one is a
    crafted request: remember it, so the upload check refuses the file with
    its own message instead of silently storing it."""

    def __init__(self, *args: Any, carried_path: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.carried_path = carried_path

    def sanitize_file_name(self, file_name: str) -> str | None:
        clean = super().sanitize_file_name(file_name)
        unescaped = html.unescape(file_name)
        if clean and ("/" in unescaped or "\\" in unescaped):
            self.carried_path[clean] = unescaped
        return clean


def _keep_path_names(request: HttpRequest) -> dict[str, str]:
    """Install the parser; must run before anything reads request.POST/FILES."""
    carried: dict[str, str] = {}

    def parse_file_upload(meta: dict[str, Any], post_data: Any) -> tuple[Any, Any]:
        request.upload_handlers = ImmutableList(request.upload_handlers)
        parser = _PathAwareParser(
            meta, post_data, request.upload_handlers, request.encoding, carried_path=carried
        )
        return parser.parse()

    request.parse_file_upload = parse_file_upload
    return carried


class _AsSent:
    """The uploaded file under the exact name the client sent."""

    def __init__(self, upload: Any, name: str) -> None:
        self._upload = upload
        self.name = name
        self.size = upload.size

    def read(self, size: int = -1) -> bytes:
        return self._upload.read(size)


def _slot_response(
    request: HttpRequest,
    dossier: Dossier,
    requirement: ComponentRequirement,
    *,
    notice: str = "",
    error: DossierError | None = None,
) -> HttpResponse:
    """htmx: the slot re-rendered in place. Without JS: back to the page."""
    if _is_htmx(request):
        slot = selectors.requirement_with_components(dossier, requirement.pk)
        slot.slot_error = error
        slot.slot_notice = notice
        context = {**_slot_context(request, dossier), "requirement": slot}
        return render(request, "dossiers/citizen/_slot.html", context)
    if error is None:
        messages.success(request, notice)
        return redirect(reverse("dossiers:draft", args=[dossier.pk]) + f"#slot-{requirement.pk}")
    dossier.refresh_from_db()
    if dossier.status not in selectors.EDITABLE_STATUSES:
        _report(request, error)
        return redirect("dossiers:detail", pk=dossier.pk)
    requirement.slot_error = error
    form = DraftForm(initial=_draft_initial(request, dossier), fees=selectors.version_fees(dossier))
    return _render_draft(request, dossier, form, slot=requirement, status=400)


def _slot_of(dossier: Dossier, requirement_pk: int) -> ComponentRequirement:
    try:
        return dossier.procedure_version.components.get(pk=requirement_pk)
    except ComponentRequirement.DoesNotExist:
        raise Http404(_("Thành phần hồ sơ không thuộc thủ tục này.")) from None


@csrf_exempt  # checked by csrf_protect below, once the parser is installed
@login_required
@require_POST
def upload(request: HttpRequest, pk: int, requirement_pk: int) -> HttpResponse:
    carried_path = _keep_path_names(request)
    return _upload(request, pk=pk, requirement_pk=requirement_pk, carried_path=carried_path)


@csrf_protect
def _upload(
    request: HttpRequest, *, pk: int, requirement_pk: int, carried_path: dict[str, str]
) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    requirement = _slot_of(dossier, requirement_pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        error = DossierError(form.errors["file"][0])
        return _slot_response(request, dossier, requirement, error=error)
    sent = form.cleaned_data["file"]
    if sent.name in carried_path:
        sent = _AsSent(sent, carried_path[sent.name])
    try:
        component = component_attach(
            actor=request.user, dossier=dossier, requirement_id=requirement.pk, upload=sent
        )
    except DossierError as error:
        return _slot_response(request, dossier, requirement, error=error)
    notice = _("Đã tải lên “%(name)s”.") % {"name": component.original_filename}
    return _slot_response(request, dossier, requirement, notice=notice)


@login_required
@require_POST
def reuse(request: HttpRequest, pk: int, requirement_pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    requirement = _slot_of(dossier, requirement_pk)
    form = ReuseForm(request.POST, documents=selectors.personal_documents(request.user))
    if not form.is_valid():
        error = DossierError(form.errors["personal_document"][0])
        return _slot_response(request, dossier, requirement, error=error)
    document: PersonalDocument = form.cleaned_data["personal_document"]
    try:
        component_attach_from_store(
            actor=request.user,
            dossier=dossier,
            requirement_id=requirement.pk,
            personal_document=document,
        )
    except DossierError as error:
        return _slot_response(request, dossier, requirement, error=error)
    notice = _("Đã dùng “%(title)s” từ kho dữ liệu cá nhân.") % {"title": document.title}
    return _slot_response(request, dossier, requirement, notice=notice)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, component_pk: int) -> HttpResponse:
    dossier = _own_dossier(request, pk)
    component = get_object_or_404(
        DossierComponent.objects.select_related("requirement"), dossier=dossier, pk=component_pk
    )
    requirement = component.requirement
    name = component.original_filename
    try:
        component_remove(actor=request.user, component=component)
    except DossierError as error:
        if requirement is None:
            _report(request, error)
            return redirect("dossiers:draft", pk=dossier.pk)
        return _slot_response(request, dossier, requirement, error=error)
    notice = _("Đã xóa tệp “%(name)s”.") % {"name": name}
    if requirement is None:
        messages.success(request, notice)
        return redirect("dossiers:draft", pk=dossier.pk)
    return _slot_response(request, dossier, requirement, notice=notice)
