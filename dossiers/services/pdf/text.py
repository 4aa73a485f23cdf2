"""Vietnamese wording of numbers, amounts, dates and time limits on the papers."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from procedures.models.catalogue import TIME_UNIT_CHOICES

from ...models import Dossier

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUPS = ("", "nghìn", "triệu")  # then "tỷ", recursively (nghìn tỷ, triệu tỷ…)


def _three_digits(number: int, *, leading: bool) -> list[str]:
    """Read 0 < number < 1000. A non-leading group always says its hundreds
    ("không trăm") and a zero tens digit before a unit is "lẻ"."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("lẻ")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[units])
    return words


def _below_billion(number: int, *, leading: bool) -> list[str]:
    words: list[str] = []
    groups = [(number // 1_000_000) % 1000, (number // 1000) % 1000, number % 1000]
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _three_digits(group, leading=leading and not words)
        scale = _GROUPS[2 - index]
        if scale:
            words.append(scale)
    return words


def _read(number: int, *, leading: bool = True) -> list[str]:
    billions, rest = divmod(number, 1_000_000_000)
    words: list[str] = []
    if billions:
        words += [*_read(billions, leading=leading), "tỷ"]
    if rest:
        words += _below_billion(rest, leading=leading and not words)
    return words


def amount_in_words(amount: int) -> str:
    """An amount of đồng in Vietnamese words, as printed on receipts:
    50 000 → "Năm mươi nghìn đồng", 1 000 005 → "Một triệu không trăm lẻ năm đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    text = " ".join([*(_read(amount) or ["không"]), "đồng"])
    return text[0].upper() + text[1:]


def format_number(value: int | Decimal) -> str:
    """1400000 → "1.400.000"; Decimal("0.50") → "0,5"."""
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = int(value)
        else:
            whole, _, fraction = f"{value:f}".partition(".")
            return f"{format_number(int(whole))},{fraction}"
    return f"{value:,}".replace(",", ".")


def format_vnd(amount: int) -> str:
    return f"{format_number(amount)} đ"


def format_date(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else ""


def format_time(value: datetime | None) -> str:
    """ "10 giờ 05 phút, ngày 24/01/2025"."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def format_short(value: datetime | None) -> str:
    """ "10:05 24/01/2025": table cells (control sheet, register)."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def format_long_date(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"ngày {local:%d} tháng {local:%m} năm {local:%Y}"


def paragraphs(text: str) -> list[str]:
    """Non-empty lines of free text, stripped: one reason or paragraph each."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def processing_time_text(dossier: Dossier) -> str:
    """The legal time limit in words of its unit, from the dossier's snapshot."""
    version = dossier.procedure_version
    unit = dossier.time_unit or version.time_unit
    limit = dossier.time_limit if dossier.time_limit is not None else version.time_limit
    labels = {value: str(label) for value, label in TIME_UNIT_CHOICES}
    if unit == "same_day":
        cutoff = dossier.cutoff_time or version.cutoff_time
        text = "Trong ngày"
        if cutoff:
            text += (
                f" (nhận sau {cutoff:%H} giờ {cutoff:%M} phút thì trả trong"
                " ngày làm việc tiếp theo)"
            )
        return text
    if unit == "immediate":
        return "Ngay sau khi nhận đủ hồ sơ hợp lệ"
    if limit is None:
        return version.time_text or ""
    return f"{format_number(limit)} {labels.get(unit, unit)}"
