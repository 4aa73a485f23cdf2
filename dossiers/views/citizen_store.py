"""The citizen's personal data store: the list of saved documents and the
download of one. Only the owner's documents are reachable; anything else is
a 404.
"""

from __future__ import annotations

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import selectors_citizen as selectors
from ..models import PersonalDocument
from ..services.uploads import safe_filename
from .citizen import PAGE_SIZE, _stream


@login_required
@require_safe
def personal_store(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.personal_documents(request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "dossiers/citizen/personal_store.html", {"page": page})


@login_required
@require_safe
def personal_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        document = selectors.personal_document_for_owner(request.user, pk)
    except PersonalDocument.DoesNotExist:
        raise Http404(_("Không tìm thấy giấy tờ.")) from None
    filename = safe_filename(document.title)
    extension = mimetypes.guess_extension(document.content_type or "") or ""
    if extension == ".jpe":
        extension = ".jpg"
    if extension and not filename.lower().endswith(extension):
        filename = f"{filename[:110]}{extension}"
    return _stream(
        document.file,
        filename=filename,
        content_type=document.content_type or "application/octet-stream",
    )
