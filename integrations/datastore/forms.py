"""The desk's choice of a found document and the component it fills."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from procedures.models import ComponentRequirement


class StoreFillForm(forms.Form):
    lookup = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    index = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    requirement = forms.TypedChoiceField(
        label=_("Dùng cho thành phần hồ sơ"), coerce=int,
        error_messages={"required": _("Vui lòng chọn thành phần hồ sơ."),
                        "invalid_choice": _("Thành phần hồ sơ không thuộc thủ tục này.")},
    )  # fmt: skip

    def __init__(self, *args, requirements: list[ComponentRequirement], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.requirements = {requirement.pk: requirement for requirement in requirements}
        self.fields["requirement"].choices = [
            (requirement.pk, f"{requirement.order}. {requirement.name[:120]}")
            for requirement in requirements
        ]

    def chosen_requirement(self) -> ComponentRequirement:
        return self.requirements[self.cleaned_data["requirement"]]
