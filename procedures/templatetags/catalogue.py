"""Vietnamese-style formatting for the public catalogue.

Numbers use a dot between thousands and a decimal comma (1.400.000 đ; 0,5),
whatever the interface language: the amounts are quoted from Vietnamese
legal texts.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.models import ApplicantType, ProcedureVersion, TimeKind, WorkflowStep
from procedures.models.catalogue import TIME_UNIT_CHOICES, BudgetUnit
from tthc_portal.workdays.calendar import TimeUnit

register = template.Library()


@register.filter
def vn_number(value: Any) -> str:
    """1400000 → "1.400.000"; Decimal("0.50") → "0,5"; None → ""."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if number < 0 else ""
    whole, _dot, fraction = format(abs(number).normalize(), "f").partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


@register.filter
def vnd(value: Any) -> str:
    """1400000 → "1.400.000 đ"."""
    text = vn_number(value)
    return f"{text} đ" if text else ""


def _unit_label(unit: str) -> str:
    return str(dict(TIME_UNIT_CHOICES).get(unit, unit))


@register.filter
def time_amount(value: Any, unit: str) -> str:
    """A stage or outcome duration: (10, "working_days") → "10 ngày làm việc"."""
    if unit == TimeUnit.SAME_DAY:
        return _("Trong ngày")
    if unit == TimeUnit.IMMEDIATE:
        return _("Ngay khi nhận đủ hồ sơ")
    return f"{vn_number(value)} {_unit_label(unit)}"


@register.filter
def processing_time(version: ProcedureVersion) -> str:
    """The processing time in words, as the list and the detail show it."""
    unit = version.time_unit
    if unit == TimeUnit.SAME_DAY:
        text = _("Trong ngày")
    elif unit == TimeUnit.IMMEDIATE:
        text = _("Ngay khi nhận đủ hồ sơ")
    elif version.time_limit is None:
        return version.time_text or _("Chưa có thông tin")
    else:
        text = time_amount(version.time_limit, unit)
        if version.time_kind == TimeKind.OUTCOME_DEPENDENT:
            text = _("Tối đa %(time)s (tùy kết quả giải quyết)") % {"time": text}
        elif version.time_kind == TimeKind.MULTI_STAGE:
            text = _("%(time)s (gồm nhiều giai đoạn)") % {"time": text}
    if version.cutoff_time is not None:
        text = "{} {}".format(
            text,
            _("(sau %(time)s chuyển ngày làm việc tiếp theo)")
            % {"time": version.cutoff_time.strftime("%H:%M")},
        )
    return text


OUTCOME_LABELS = {
    "granted": gettext_lazy("Chấp thuận, cấp"),
    "approved": gettext_lazy("Chấp thuận"),
    "refused": gettext_lazy("Không chấp thuận, không cấp"),
    "rejected": gettext_lazy("Không chấp thuận"),
}


@register.filter
def outcome_label(value: str) -> str:
    """The label of an outcome of ``time_outcomes`` ("granted" → "Chấp thuận, cấp")."""
    label = OUTCOME_LABELS.get(value)
    return str(label) if label is not None else value


@register.filter
def is_optional_stage(stage: dict) -> bool:
    return "optional" in str(stage.get("step") or "")


@register.filter
def step_budget(step: WorkflowStep) -> str:
    """ "0,5 ngày làm việc", or "không tính thời gian" for an uncounted step."""
    if not step.counted:
        return _("không tính thời gian")
    return f"{vn_number(step.budget)} {BudgetUnit(step.budget_unit).label}"


@register.filter
def fees_summary(version: ProcedureVersion) -> str:
    """One line for the list: "1.400.000 đ (trực tuyến: 700.000 đ)", "Miễn phí"…

    Fixed items add up; alternative items (``is_alternative``: one applies,
    depending on the applicant's case) give a range on top of the fixed total.
    Reads ``version.fees.all()``, which the list prefetches.
    """
    fees = [fee for fee in version.fees.all() if fee.amount_vnd is not None]
    if not fees:
        return _("Theo biểu phí") if version.fees.all() else _("Chưa có thông tin")
    fixed = [fee for fee in fees if not getattr(fee, "is_alternative", False)]
    alternatives = [fee.amount_vnd for fee in fees if getattr(fee, "is_alternative", False)]
    total = sum(fee.amount_vnd for fee in fixed)
    if alternatives:
        low, high = total + min(alternatives), total + max(alternatives)
        if high == 0:
            return _("Miễn phí")
        if low != high:
            return _("Từ %(low)s đến %(high)s") % {"low": vnd(low), "high": vnd(high)}
        return vnd(low)
    online = sum(
        fee.amount_vnd if fee.online_amount_vnd is None else fee.online_amount_vnd for fee in fixed
    )
    if total == 0 and online == 0:
        return _("Miễn phí")
    if online != total:
        return _("%(amount)s (trực tuyến: %(online)s)") % {
            "amount": vnd(total),
            "online": vnd(online),
        }
    return vnd(total)


@register.filter
def has_alternatives(fees: Any) -> bool:
    """Whether some fee items are alternatives (one applies, by the applicant's case)."""
    return any(getattr(fee, "is_alternative", False) for fee in fees)


@register.filter
def applicant_labels(values: list[str] | None) -> list[str]:
    """["citizen", "business"] → ["Công dân Việt Nam", "Doanh nghiệp"]."""
    labels = dict(ApplicantType.choices)
    return [str(labels.get(value, value)) for value in values or []]
