"""Dossier codes: <receiving unit identifier>-YYMMDD-XXXX, from a dated template."""

from __future__ import annotations

from datetime import date

from django.db.models import F
from django.utils.translation import gettext as _

from tthc_portal.agencies.models import Agency

from ..models import DailySequence, DossierCodeFormat
from . import DossierError


def next_sequence(agency: Agency, day: date) -> int:
    """Take the next number of the day for ``agency``. Call inside the reception
    transaction: the row lock taken by the UPDATE serialises concurrent
    receptions, and a rollback returns the number (no gaps)."""
    DailySequence.objects.bulk_create(
        [DailySequence(agency=agency, day=day, last_value=0)], ignore_conflicts=True
    )
    DailySequence.objects.filter(agency=agency, day=day).update(last_value=F("last_value") + 1)
    return (
        DailySequence.objects.filter(agency=agency, day=day)
        .values_list("last_value", flat=True)
        .get()
    )


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
