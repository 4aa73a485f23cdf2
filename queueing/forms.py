"""Forms of the kiosk, the counter page and the booking page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Counter, PriorityClass, ServiceGroup


class KioskTicketForm(forms.Form):
    service_group = forms.ModelChoiceField(
        queryset=ServiceGroup.objects.none(), label=_("Nhóm dịch vụ"),
        widget=forms.RadioSelect, empty_label=None,
    )  # fmt: skip
    priority_class = forms.ModelChoiceField(
        queryset=PriorityClass.objects.filter(is_active=True),
        label=_("Đối tượng ưu tiên (nếu có)"),
        required=False,
        empty_label=_("Không thuộc đối tượng ưu tiên"),
        help_text=_("Cán bộ sẽ kiểm tra giấy tờ chứng minh khi gọi số."),
    )

    def __init__(self, *args, centre, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service_group"].queryset = centre.service_groups.filter(is_active=True)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Mã đặt lịch"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )  # fmt: skip


class CounterActionForm(forms.Form):
    ACTIONS = ("next", "recall", "complete", "skip", "transfer", "restore", "link")
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    ticket = forms.IntegerField(required=False)
    target = forms.ModelChoiceField(
        queryset=Counter.objects.none(), required=False, label=_("Chuyển đến quầy")
    )
    dossier_code = forms.CharField(required=False, max_length=64, label=_("Mã hồ sơ"))

    def __init__(self, *args, counter: Counter, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Counter.objects.filter(
            centre_id=counter.centre_id, is_active=True
        ).exclude(pk=counter.pk)


class SlotSearchForm(forms.Form):
    service_group = forms.ModelChoiceField(
        queryset=ServiceGroup.objects.filter(is_active=True).select_related("centre"),
        label=_("Nhóm dịch vụ"),
    )
    day = forms.DateField(label=_("Ngày"), widget=forms.DateInput(attrs={"type": "date"}))


class BookForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput)
    procedure_code = forms.CharField(
        label=_("Mã thủ tục cần giải quyết (nếu biết)"), max_length=32, required=False,
        help_text=_("Ví dụ 2.000894; giúp cán bộ chuẩn bị trước."),
    )  # fmt: skip
    phone = forms.CharField(
        label=_("Số điện thoại nhận tin nhắc lịch"), max_length=20, required=False
    )


class StatisticsForm(forms.Form):
    date_from = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and (end < start or (end - start).days > 92):
            raise forms.ValidationError(_("Khoảng ngày không hợp lệ (tối đa 92 ngày)."))
        return data


class KioskScanForm(forms.Form):
    """What the kiosk's QR reader types: the lookup link printed on the papers."""

    scan = forms.CharField(
        label=_("Quét mã QR trên Giấy tiếp nhận hồ sơ"), max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )  # fmt: skip


class KioskSignInForm(forms.Form):
    purpose = forms.ChoiceField(
        choices=[("submit", "submit"), ("pay", "pay"), ("results", "results")]
    )
