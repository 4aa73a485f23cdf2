from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PaymentMethod

DESK_METHODS = [c for c in PaymentMethod.choices if c[0] != PaymentMethod.ONLINE]


class CollectForm(forms.Form):
    method = forms.ChoiceField(label=_("Hình thức thu"), choices=DESK_METHODS)
    point = forms.ChoiceField(label=_("Điểm thu"), required=False)

    def __init__(self, *args, points=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = [(p.point_code, p.point_name) for p in points]
        if len(self.fields["point"].choices) <= 1:
            self.fields["point"].widget = forms.HiddenInput()


class CorrectionForm(forms.Form):
    ACTIONS = [
        ("notice", _("Thông báo sai sót (sai tên, địa chỉ, số tiền bằng chữ)")),
        ("replace", _("Lập biên lai thay thế (sai số tiền, khoản thu hoặc nội dung khác)")),
        ("void", _("Hủy kỹ thuật (chưa gửi cơ quan thuế)")),
    ]
    NOTICE_FIELDS = [
        ("payer_name", _("Tên người nộp")),
        ("payer_address", _("Địa chỉ người nộp")),
        ("amount_words", _("Số tiền bằng chữ")),
    ]
    action = forms.ChoiceField(label=_("Cách điều chỉnh"), choices=ACTIONS)
    reason = forms.CharField(label=_("Lý do"), max_length=500)
    field = forms.ChoiceField(label=_("Nội dung sai"), choices=NOTICE_FIELDS, required=False)
    new_value = forms.CharField(label=_("Nội dung đúng"), max_length=500, required=False)
    refund = forms.BooleanField(label=_("Đã hoàn trả tiền cho người nộp"), required=False)

    def __init__(self, *args, fee_items=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fee_items = list(fee_items)
        for index, item in enumerate(self.fee_items):
            label = _("Số tiền đúng: %(name)s (đồng; 0 để bỏ khoản này)") % {"name": item["name"]}
            self.fields[f"amount_{index}"] = forms.IntegerField(
                label=label, min_value=0, initial=item["amount_vnd"], required=False
            )

    def clean(self):
        data = super().clean()
        if data.get("action") == "notice" and not (data.get("new_value") or "").strip():
            self.add_error("new_value", _("Nhập nội dung đúng."))
        return data

    def replacement_items(self) -> list[dict]:
        items = []
        for index, item in enumerate(self.fee_items):
            amount = self.cleaned_data.get(f"amount_{index}")
            amount = item["amount_vnd"] if amount is None else amount
            if amount > 0:
                items.append({**item, "amount_vnd": amount})
        return items
