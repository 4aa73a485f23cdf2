"""Số văn bản: the number a signed paper takes from its issuing agency's
register of the year (Decree 30/2020/NĐ-CP Art. 15 and Annex I: numbered from
01 on 1 January, "<number>/<kind of paper>-<agency abbreviation>").

One sequence per agency and year, whatever the kind of paper: the agency's
records office keeps one register of outgoing papers. The number is taken
inside the transaction that signs (the result) or issues (forms 02 and 05
during processing), so a rolled-back signature gives it back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from tthc_portal.agencies.models import Agency

from ..models import DocumentKind

NEXT_REGISTER_SQL = (
    "INSERT INTO dossiers_registersequence (agency_id, year, last_value) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_id, year) "
    "DO UPDATE SET last_value = dossiers_registersequence.last_value + 1 "
    "RETURNING last_value"
)
# Abbreviation of the kind of paper in the number (Decree 30/2020 Annex III:
# TB = thông báo; a result or a request form has no listed abbreviation, so
# the portal's own, configurable under TTHC["REGISTER_KIND_ABBREVIATIONS"]).
KIND_ABBREVIATIONS: dict[str, str] = {
    DocumentKind.RESULT: "KQ",
    DocumentKind.SUPPLEMENT: "PBS",
    DocumentKind.STOP_NOTICE: "TB",
}
DEFAULT_FORMAT = "{n:02d}/{kind}-{agency}"


def next_register_value(agency: Agency, year: int) -> int:
    """Take the next number of ``agency``'s register for ``year``: one upsert,
    whose row lock serialises concurrent signers (PostgreSQL and SQLite)."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_REGISTER_SQL, [agency.pk, year])
        return cursor.fetchone()[0]


def kind_abbreviation(kind: str) -> str:
    overrides = settings.TTHC.get("REGISTER_KIND_ABBREVIATIONS") or {}
    return str(overrides.get(str(kind)) or KIND_ABBREVIATIONS.get(kind) or str(kind).upper())


def agency_abbreviation(agency: Agency) -> str:
    return agency.short_name or agency.code


def register_number_blank(agency: Agency, kind: str) -> str:
    """What a draft prints after "Số:": the number is left for the signature."""
    return f"…/{kind_abbreviation(kind)}-{agency_abbreviation(agency)}"


def register_number_allocate(agency: Agency, kind: str, *, year: int) -> str:
    """The next số văn bản of ``agency`` for a paper of ``kind``; call inside
    the signing (or issuing) transaction."""
    template = settings.TTHC.get("REGISTER_NUMBER_FORMAT") or DEFAULT_FORMAT
    return template.format(
        n=next_register_value(agency, year),
        kind=kind_abbreviation(kind),
        agency=agency_abbreviation(agency),
    )
