"""Dossier codes: <receiving unit identifier>-YYMMDD-XXXX, from a dated template."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.utils.translation import gettext as _

from tthc_portal.agencies.models import Agency

from ..models import DossierCodeFormat
from . import DossierError

NEXT_SEQUENCE_SQL = (
    "INSERT INTO dossiers_dailysequence (agency_id, day, last_value) VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_id, day) "
    "DO UPDATE SET last_value = dossiers_dailysequence.last_value + 1 "
    "RETURNING last_value"
)


def next_sequence(agency: Agency, day: date) -> int:
    """Take the next number of the day for ``agency``. Call inside the reception
    transaction: the upsert's row lock serialises concurrent receptions, and a
    rollback returns the number (no gaps). One statement (PostgreSQL and SQLite
    ≥ 3.35 both have ``ON CONFLICT … RETURNING``): it runs on every reception."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_SEQUENCE_SQL, [agency.pk, day])
        return cursor.fetchone()[0]


def dossier_code_allocate(agency: Agency, day: date) -> str:
    code_format = (
        DossierCodeFormat.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    )
    if code_format is None:
        raise DossierError(_("Chưa cấu hình định dạng mã hồ sơ cho ngày này."))
    sequence = next_sequence(agency, day)
    return code_format.template.format(
        agency=agency.code,
        yymmdd=day.strftime("%y%m%d"),
        seq=str(sequence).zfill(code_format.sequence_digits),
    )
