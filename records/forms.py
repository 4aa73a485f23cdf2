from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class RemoveItemForm(forms.Form):
    reason = forms.CharField(label=_("Lý do loại khỏi danh mục"), max_length=1000)


class ReviewForm(forms.Form):
    council_minutes = forms.CharField(
        label=_("Ý kiến của Hội đồng xác định giá trị tài liệu"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=1000)


class ApprovalForm(forms.Form):
    ACTIONS = [
        ("approve", _("Phê duyệt hủy")),
        ("send_back", _("Trả lại để rà soát")),
        ("cancel", _("Hủy bỏ đề xuất")),
    ]
    action = forms.ChoiceField(label=_("Quyết định"), choices=ACTIONS, widget=forms.RadioSelect)
    decision_number = forms.CharField(label=_("Số quyết định hủy"), max_length=64, required=False)
    note = forms.CharField(label=_("Ý kiến, lý do"), required=False, max_length=1000)


class HoldForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=64)
    reason = forms.CharField(label=_("Lý do giữ hồ sơ"), max_length=1000)


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Lý do gỡ lệnh giữ"), max_length=1000)
