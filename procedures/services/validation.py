"""Checks a version must pass before it can go to the head and be published."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tthc_portal.text import fold
from tthc_portal.workdays.calendar import TimeUnit

from ..models import Level, ProcedureVersion

# The field a new procedure is given until the specialist classifies it
# (item_start_draft and the importer create it under this name).
UNCLASSIFIED_FIELD_NAME = "Chưa phân loại"


def constituent_parts_missing(version: ProcedureVersion) -> list[str]:
    """The parts of Decree 63/2010 Art. 8(2) that are still empty."""
    missing = []
    if not version.name.strip():
        missing.append(_("tên thủ tục"))
    if not version.steps_text.strip():
        missing.append(_("trình tự thực hiện"))
    if not (version.channel_in_person or version.channel_online or version.channel_postal):
        missing.append(_("cách thức thực hiện"))
    if not version.components.exists():
        missing.append(_("thành phần, số lượng hồ sơ"))
    if version.time_limit is None and version.time_unit not in (
        TimeUnit.SAME_DAY,
        TimeUnit.IMMEDIATE,
    ):
        missing.append(_("thời hạn giải quyết"))
    if not version.applicant_types:
        missing.append(_("đối tượng thực hiện"))
    if version.implementing_agency_id is None and not version.implementing_agency_text.strip():
        missing.append(_("cơ quan thực hiện"))
    return missing


def legal_time_hours(version: ProcedureVersion, day_hours: Decimal = Decimal(8)) -> Decimal | None:
    """The legal processing time in working hours, when it has one."""
    if version.time_unit == TimeUnit.SAME_DAY:
        return day_hours
    if version.time_limit is None:
        return None
    if version.time_unit == TimeUnit.WORKING_HOURS:
        return version.time_limit
    if version.time_unit == TimeUnit.IMMEDIATE:
        return Decimal(0)
    # Working days, and calendar days treated as their count of days.
    return version.time_limit * day_hours


def workflow_budget_errors(version: ProcedureVersion) -> list[str]:
    steps = list(version.steps.all())
    if not steps:
        return [_("Quy trình nội bộ chưa có bước xử lý nào.")]
    errors = []
    for step in steps:
        if not step.actor_role:
            errors.append(_("Bước %(n)s chưa có vai trò thực hiện.") % {"n": step.order})
    legal = legal_time_hours(version)
    total = sum((step.budget_hours() for step in steps), Decimal(0))
    if legal is None:
        errors.append(_("Chưa có thời hạn giải quyết để đối chiếu quy trình nội bộ."))
    elif version.time_unit == TimeUnit.SAME_DAY and total > legal:
        errors.append(
            _("Tổng thời gian các bước (%(total)s giờ) vượt quá một ngày làm việc.")
            % {"total": _fmt(total)}
        )
    elif version.time_unit != TimeUnit.SAME_DAY and total != legal:
        errors.append(
            _(
                "Tổng thời gian các bước là %(total)s giờ làm việc (%(days)s ngày), "
                "không bằng thời hạn giải quyết %(legal)s giờ (%(legal_days)s ngày)."
            )
            % {
                "total": _fmt(total),
                "days": _fmt(total / 8),
                "legal": _fmt(legal),
                "legal_days": _fmt(legal / 8),
            }
        )
    return errors


def identity_errors(version: ProcedureVersion) -> list[str]:
    """A procedure goes to the head only with its code and classification (field and
    level, publication.md §4): the decision lists procedures by code, and the national
    database files them by field and level."""
    errors = []
    if not (version.procedure.code or "").strip():
        errors.append(_("Thủ tục chưa có mã TTHC."))
    if version.field_id is None or version.field.name_folded == fold(UNCLASSIFIED_FIELD_NAME):
        errors.append(_("Thủ tục chưa được phân loại lĩnh vực."))
    if version.level not in Level.values:
        errors.append(_("Thủ tục chưa có cấp thực hiện."))
    return errors


def submission_errors(version: ProcedureVersion) -> list[str]:
    errors = identity_errors(version)
    missing = constituent_parts_missing(version)
    if missing:
        errors.append(_("Còn thiếu bộ phận tạo thành: %(parts)s.") % {"parts": ", ".join(missing)})
    return errors + workflow_budget_errors(version)


def _fmt(value: Decimal) -> str:
    text = f"{value.normalize():f}" if value else "0"
    return text.replace(".", ",")
