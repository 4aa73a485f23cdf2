from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Số định danh cá nhân, mã số thuế hoặc tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "Thông tin đăng nhập không đúng. Vui lòng kiểm tra số định danh "
            "(hoặc mã số thuế, tên đăng nhập) và mật khẩu."
        ),
        "inactive": _("Tài khoản này đã bị khóa."),
        "national_sso_only": _(
            "Công dân, tổ chức, doanh nghiệp đăng nhập bằng tài khoản VNeID / Cổng Dịch vụ công "
            'quốc gia. Vui lòng chọn nút "Đăng nhập bằng VNeID / Cổng DVCQG".'
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        # The local password form is for staff; citizens only where enabled.
        if user.is_applicant and not settings.IDENTITY["CITIZEN_PASSWORD_LOGIN"]:
            raise forms.ValidationError(
                self.error_messages["national_sso_only"], code="national_sso_only"
            )
