from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TotpCodeForm(forms.Form):
    """The 6-digit code shown by the authenticator app."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        help_text=_("6 chữ số đang hiển thị trên ứng dụng xác thực của bạn."),
        max_length=16,
        error_messages={"required": _("Vui lòng nhập mã xác thực gồm 6 chữ số.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
                "size": 8,
            }
        ),
    )

    def clean_code(self) -> str:
        # Apps often show the code as "123 456"; people copy it with the space.
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("Mã xác thực gồm đúng 6 chữ số."))
        return code


class RecoveryCodeForm(forms.Form):
    """One of the single-use recovery codes printed at enrolment."""

    recovery_code = forms.CharField(
        label=_("Mã dự phòng"),
        help_text=_("Một trong các mã dự phòng bạn đã lưu, ví dụ abcd-efgh. Mỗi mã dùng một lần."),
        max_length=32,
        error_messages={"required": _("Vui lòng nhập một mã dự phòng.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
