"""What every paper carries: header, number, place and date, the QR code
(Circular 01/2023: top-left), and the applicant's particulars."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import segno
from django.conf import settings

from ...models import DocumentKind, Dossier, DossierDocument, StatusHistory
from .text import format_long_date

# --- QR code (Circular 01/2023: top-left of every paper) ---------------------


def lookup_url(dossier: Dossier) -> str:
    return f"{settings.TTHC['SITE_URL'].rstrip('/')}/tra-cuu/{dossier.lookup_token}/"


def qr_payload(document: DossierDocument) -> str:
    """A plain link to the dossier's status page: the unguessable token is the
    only key, and the code carries no personal data (anyone who photographs a
    paper learns nothing about the applicant from its QR).

    Built from the dossier only, so a paper not saved yet (the result drafted
    from the template) carries the same QR code as a saved one.
    """
    return lookup_url(document.dossier)


def qr_svg_data_uri(payload: str) -> str:
    qr = segno.make(payload, error="m", encoding="utf-8", micro=False)
    return qr.svg_data_uri(scale=1, border=2, dark="#000", light="#fff")


# --- shared context ----------------------------------------------------------------


def place_name() -> str:
    place = settings.TTHC.get("PLACE_NAME") or settings.TTHC.get("PROVINCE_NAME", "")
    for prefix in ("Tỉnh ", "tỉnh ", "Thành phố ", "thành phố "):
        place = place.removeprefix(prefix)
    return place


def actor_of(dossier: Dossier, action: str) -> StatusHistory | None:
    """The latest history entry of ``action``: who did it and when."""
    return (
        StatusHistory.objects.filter(dossier=dossier, action=action)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def person_name(user: Any) -> str:
    return user.display_name if user is not None else ""


def base_context(document: DossierDocument, issued_at: datetime) -> dict[str, Any]:
    """What every paper carries: header, motto (in the template), number,
    place and date, and the QR code."""
    dossier = document.dossier
    agency = dossier.receiving_agency
    desk = agency.one_stop_desk
    parent_body = agency.parent.name if agency.parent_id else settings.TTHC["PROVINCE_NAME"]
    payload = qr_payload(document)
    return {
        "document": document,
        "dossier": dossier,
        "procedure": dossier.procedure_version.procedure,
        "version": dossier.procedure_version,
        "agency": agency,
        "agency_code": dossier.receiving_agency_code or agency.code,
        "desk": desk,
        "desk_phone": (desk.phone if desk else "") or "",
        "parent_body": parent_body,
        "section": desk.name if desk else agency.name,
        "title": str(DocumentKind(document.kind).label),
        "number": document.number,
        "place": place_name(),
        "issued_on": format_long_date(issued_at),
        "qr_src": qr_svg_data_uri(payload),
        "qr_caption": dossier.code or "",
        "lookup_url": lookup_url(dossier),
    }


def issuer_header(agency) -> dict[str, str]:
    """Header of a paper the resolving agency itself issues (forms 04, the
    not-eligible notice, the result): its parent body over its own name."""
    parent = agency.parent if agency.parent_id else None
    return {
        "parent_body": parent.name if parent else settings.TTHC["PROVINCE_NAME"],
        "section": agency.name,
        "issuer": agency,
    }


def resolving_agency(dossier: Dossier):
    return dossier.processing_agency or dossier.receiving_agency


def applicant_of(dossier: Dossier) -> dict[str, str]:
    return {
        "name": dossier.applicant_name,
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
    }


def representative_of(dossier: Dossier) -> dict[str, str] | None:
    if not dossier.representative_name:
        return None
    return {
        "name": dossier.representative_name,
        "address": dossier.representative_address,
        "id_number": dossier.representative_id_number,
        "phone": dossier.representative_phone,
        "email": dossier.representative_email,
        "authorisation": dossier.representative_authorisation,
    }
