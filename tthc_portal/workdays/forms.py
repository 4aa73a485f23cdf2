from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .calendar import DeadlineMode
from .models import CalendarException, ExceptionKind

AMOUNT_RE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*([dh])\s*$", re.IGNORECASE)


def parse_amount(text: str) -> tuple[Decimal, str]:
    """Parse "5d", "0.5d", "4h" (also "0,5d") into (value, unit)."""
    match = AMOUNT_RE.match(text or "")
    if not match:
        raise ValueError(text)
    return Decimal(match.group(1).replace(",", ".")), match.group(2).lower()


class CalendarExceptionForm(forms.ModelForm):
    class Meta:
        model = CalendarException
        fields = ["date", "kind", "name", "source"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def validate_unique(self):
        # Saving an existing date updates that day (the service upserts), so
        # the date's uniqueness is not a form error here.
        self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"date"})

    def clean(self):
        cleaned = super().clean()
        day, kind = cleaned.get("date"), cleaned.get("kind")
        if day and kind == ExceptionKind.MAKEUP_WORKDAY and day.weekday() < 5:
            self.add_error("kind", _("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."))
        return cleaned


class CalculatorForm(forms.Form):
    start = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )
    amount = forms.CharField(
        label=_("Thời hạn"),
        initial="5d",
        help_text=_("Ví dụ: 5d (5 ngày làm việc), 0.5d (nửa ngày), 4h (4 giờ làm việc)."),
    )
    mode = forms.ChoiceField(
        label=_("Cách tính"),
        choices=[
            (DeadlineMode.WORKING_HOURS, _("Theo giờ làm việc")),
            (DeadlineMode.WHOLE_DAY, _("Theo ngày (không tính ngày tiếp nhận)")),
        ],
        initial=DeadlineMode.WORKING_HOURS,
    )
    cutoff = forms.TimeField(
        label=_("Giờ chốt buổi chiều"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("Để trống nếu thủ tục không có giờ chốt (ví dụ 15:00)."),
    )

    def clean_amount(self):
        try:
            return parse_amount(self.cleaned_data["amount"])
        except ValueError:
            raise forms.ValidationError(
                _("Thời hạn không hợp lệ. Nhập số kèm đơn vị d (ngày) hoặc h (giờ), ví dụ 5d.")
            ) from None
