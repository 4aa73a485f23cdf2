"""Signed, expiring file links the hub fetches (no session: the signature is the key)."""

from __future__ import annotations

from django.core import signing
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from dossiers.models import DossierComponent, DossierDocument

from ..links import file_link_resolve


@require_safe
def file_download(request: HttpRequest, token: str) -> FileResponse:
    try:
        kind, pk = file_link_resolve(token)
    except signing.BadSignature:
        raise Http404 from None
    if kind == "d":
        row = DossierDocument.objects.filter(pk=pk, signed_at__isnull=False).first()
    else:
        row = DossierComponent.objects.filter(pk=pk).first()
    if row is None or not row.file:
        raise Http404
    return FileResponse(row.file.open("rb"), as_attachment=True,
                        filename=row.file.name.rsplit("/", 1)[-1])  # fmt: skip
