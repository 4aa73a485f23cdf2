"""Small formatting helpers of the 766 pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def signed(value) -> str:
    """+1,25 / −0,50 / 0,00; empty for None (no previous period)."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return ""
    text = floatformat(abs(number), 2)
    return f"+{text}" if number > 0 else f"−{text}" if number < 0 else text


@register.filter
def at(sequence, index):
    try:
        return sequence[int(index)]
    except (IndexError, TypeError, ValueError):
        return ""


@register.filter
def period_dates(period) -> str:
    """01/05/2025–31/05/2025."""
    return f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}" if period else ""


@register.filter
def period_full(period) -> str:
    """ "Tháng 05/2025 (01/05/2025–31/05/2025)"; a 15th–14th title already has its dates."""
    if not period:
        return ""
    if period.reporting_15th:
        return str(period.title)
    return f"{period.title} ({period_dates(period)})"
