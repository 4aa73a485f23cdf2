from django import forms
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
    }
