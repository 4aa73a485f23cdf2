"""Dossier codes: <receiving unit identifier>-YYMMDD-XXXX, from a dated template."""

from __future__ import annotations

from datetime import date
from string import Formatter

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tthc_portal.agencies.models import Agency
from tthc_portal.audit.services import audit_record, model_snapshot

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


# PostgreSQL: the number and the format in force on ``day`` in one round trip (a
# reception's). Without a format the caller raises, and the rollback returns the number.
NEXT_CODE_SQL = (
    "WITH seq AS (INSERT INTO dossiers_dailysequence (agency_id, day, last_value) "
    "VALUES (%s, %s, 1) ON CONFLICT (agency_id, day) "
    "DO UPDATE SET last_value = dossiers_dailysequence.last_value + 1 RETURNING last_value) "
    "SELECT seq.last_value, f.template, f.sequence_digits FROM seq LEFT JOIN LATERAL ("
    "SELECT template, sequence_digits FROM dossiers_dossiercodeformat WHERE valid_from <= %s "
    "ORDER BY valid_from DESC LIMIT 1) f ON TRUE"
)


def _sequence_and_format(agency: Agency, day: date) -> tuple[int, str, int] | None:
    """(next number of the day, template, digits), or None without a format in force."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(NEXT_CODE_SQL, [agency.pk, day, day])
            sequence, template, digits = cursor.fetchone()
        return None if template is None else (sequence, template, digits)
    code_format = (
        DossierCodeFormat.objects.filter(valid_from__lte=day).order_by("-valid_from").first()
    )
    if code_format is None:
        return None
    return next_sequence(agency, day), code_format.template, code_format.sequence_digits


def dossier_code_allocate(agency: Agency, day: date) -> str:
    """The next code of ``agency`` for ``day``. Call inside the reception transaction
    (see ``next_sequence``)."""
    found = _sequence_and_format(agency, day)
    if found is None:
        raise DossierError(_("Chưa cấu hình định dạng mã hồ sơ cho ngày này."))
    sequence, template, digits = found
    return template.format(
        agency=agency.code, yymmdd=day.strftime("%y%m%d"), seq=str(sequence).zfill(digits)
    )


CODE_FORMAT_FIELDS = ["valid_from", "template", "sequence_digits", "source"]
_PLACEHOLDERS = {"agency", "yymmdd", "seq"}


def code_format_check(values: dict, *, today: date, editing_valid_from: date | None) -> dict:
    """Errors by field. A code must name the unit, the day and the number, or two
    units (or two days) could issue the same code; a version already in force is
    history — dossiers carry codes made from it — so only future versions change."""
    errors: dict[str, str] = {}
    template = values.get("template") or ""
    try:
        names = {name for _text, name, _spec, _conv in Formatter().parse(template) if name}
    except ValueError:
        names = None
    if names is None or names != _PLACEHOLDERS:
        errors["template"] = _("Mẫu mã phải có đúng ba biến {agency}, {yymmdd} và {seq}.")
    digits = values.get("sequence_digits") or 0
    if not 3 <= digits <= 6:
        errors["sequence_digits"] = _("Số chữ số thứ tự phải từ 3 đến 6.")
    valid_from = values.get("valid_from")
    if editing_valid_from is not None and editing_valid_from <= today:
        errors["valid_from"] = _(
            "Định dạng này đã áp dụng nên không sửa được; hãy thêm một định dạng mới."
        )
    elif valid_from is not None and valid_from <= today:
        errors["valid_from"] = _("Định dạng mới chỉ áp dụng từ ngày mai trở đi.")
    return errors


@transaction.atomic
def code_format_save(
    code_format: DossierCodeFormat | None, *, actor, values: dict, today: date | None = None
) -> DossierCodeFormat:
    """Add a dated code format, or change one not yet in force; recorded in the audit log."""
    today = today or timezone.localdate()
    if code_format is not None:
        code_format = DossierCodeFormat.objects.select_for_update().get(pk=code_format.pk)
    errors = code_format_check(
        values, today=today, editing_valid_from=code_format.valid_from if code_format else None
    )
    if errors:
        raise ValidationError(errors)
    before = model_snapshot(code_format, CODE_FORMAT_FIELDS) if code_format else None
    code_format = code_format or DossierCodeFormat()
    for field in CODE_FORMAT_FIELDS:
        setattr(code_format, field, values[field])
    code_format.save()
    audit_record(
        actor=actor,
        action="dossiers.code_format_changed" if before else "dossiers.code_format_added",
        target=code_format,
        before=before,
        after=model_snapshot(code_format, CODE_FORMAT_FIELDS),
    )
    return code_format


@transaction.atomic
def code_format_delete(code_format: DossierCodeFormat, *, actor, today: date | None = None) -> None:
    today = today or timezone.localdate()
    code_format = DossierCodeFormat.objects.select_for_update().get(pk=code_format.pk)
    if code_format.valid_from <= today:
        raise ValidationError(_("Định dạng đã áp dụng không xoá được."))
    audit_record(
        actor=actor,
        action="dossiers.code_format_deleted",
        target=code_format,
        before=model_snapshot(code_format, CODE_FORMAT_FIELDS),
    )
    code_format.delete()
