"""Forms of the public lookup and of the payment callback."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

CODE_MAX_LENGTH = 64


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=CODE_MAX_LENGTH,
        help_text=_(
            "In trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả, ví dụ 000.00.10.H99-250124-0001."
        ),
        error_messages={"required": _("Vui lòng nhập mã hồ sơ.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )
    last4 = forms.CharField(
        label=_("4 số cuối điện thoại hoặc số định danh"),
        min_length=4,
        max_length=4,
        help_text=_(
            "4 chữ số cuối của số điện thoại hoặc của số định danh cá nhân / mã số thuế "
            "đã khai khi nộp hồ sơ."
        ),
        validators=[RegexValidator(r"^\d{4}$", _("Vui lòng nhập đúng 4 chữ số."))],
        error_messages={
            "required": _("Vui lòng nhập 4 chữ số cuối."),
            "min_length": _("Vui lòng nhập đúng 4 chữ số."),
            "max_length": _("Vui lòng nhập đúng 4 chữ số."),
        },
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "pattern": "[0-9]{4}",
                "autocomplete": "off",
                "maxlength": "4",
            }
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split()).upper()


class PaymentCallbackForm(forms.Form):
    """What the gateway posts back; the signature is checked by the service."""

    reference = forms.UUIDField()
    amount_vnd = forms.IntegerField(min_value=0)
    status = forms.ChoiceField(choices=[("paid", "paid"), ("failed", "failed")])
    transaction_ref = forms.CharField(max_length=64)
    signature = forms.CharField(max_length=128)
