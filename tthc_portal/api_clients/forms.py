from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings


class ApiClientCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên hệ thống"),
        max_length=255,
        help_text=_("Ví dụ: Hệ thống quản lý văn bản của Sở."),
    )
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=None)
    scopes = forms.MultipleChoiceField(
        label=_("Phạm vi được cấp"),
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args, agencies: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies.filter(is_active=True).order_by("name")
        self.fields["scopes"].choices = [
            (scope, f"{scope} — {label}") for scope, label in oauth2_settings.SCOPES.items()
        ]
