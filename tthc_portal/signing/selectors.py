"""Reads of signing data."""

from __future__ import annotations

from asn1crypto import pem

from tthc_portal.agencies.models import Agency

from .backends import get_backend
from .models import AgencyCertificate


def agency_certificate_active(agency: Agency) -> AgencyCertificate | None:
    """The certificate the agency signs with under the demo CA, if any."""
    return (
        AgencyCertificate.objects.active()
        .filter(agency_id=agency.pk)
        .select_related("authority")
        .first()
    )


def trust_roots_pem() -> str:
    """The trust anchors of the configured backend as one PEM bundle (what a
    citizen installs in a PDF reader to verify results), newest first."""
    return "".join(
        pem.armor("CERTIFICATE", root.dump()).decode("ascii")
        for root in get_backend().trust_roots()
    )
