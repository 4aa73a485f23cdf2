"""Public download of the trust anchors, so that citizens can verify signed
results in their PDF reader."""

from __future__ import annotations

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from .models import CertificateAuthority
from .selectors import trust_roots_pem
from .services import ca_crl


def _bundle() -> str:
    bundle = trust_roots_pem()
    if not bundle:
        raise Http404(_("Chưa có chứng thư gốc."))
    return bundle


def _download(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@cache_control(public=True, max_age=3600)
def root_pem(request: HttpRequest) -> HttpResponse:
    """Every trust anchor, PEM (the newest root first)."""
    return _download(_bundle(), "application/x-pem-file", "chung-thu-goc.pem")


@require_safe
@cache_control(public=True, max_age=3600)
def root_der(request: HttpRequest) -> HttpResponse:
    """The current root alone, DER: Windows and macOS open it to install."""
    first = x509.load_pem_x509_certificates(_bundle().encode("ascii"))[0]
    return _download(
        first.public_bytes(serialization.Encoding.DER), "application/pkix-cert", "chung-thu-goc.cer"
    )


@require_safe
@cache_control(public=True, max_age=300)
def revocation_list(request: HttpRequest, serial: str) -> HttpResponse:
    """The authority's CRL, where its certificates point PDF readers."""
    authority = get_object_or_404(CertificateAuthority, serial=serial)
    crl = ca_crl(authority)
    return _download(
        crl.public_bytes(serialization.Encoding.DER), "application/pkix-crl", f"{serial}.crl"
    )
