from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone

from .models import DossierCodeFormat
from .services.codes import (
    CODE_FORMAT_FIELDS,
    code_format_check,
    code_format_delete,
    code_format_save,
)


class DossierCodeFormatForm(forms.ModelForm):
    class Meta:
        model = DossierCodeFormat
        fields = CODE_FORMAT_FIELDS

    def clean(self) -> dict:
        cleaned = super().clean()
        editing = self.instance.valid_from if self.instance.pk else None
        errors = code_format_check(cleaned, today=timezone.localdate(), editing_valid_from=editing)
        for field, message in errors.items():
            self.add_error(field, message)
        return cleaned


@admin.register(DossierCodeFormat)
class DossierCodeFormatAdmin(admin.ModelAdmin):
    """Dated versions, as the Ministry re-issues them: a dossier's code comes from
    the version in force on its reception day, so versions already in force are
    read-only and a new one starts tomorrow at the earliest."""

    form = DossierCodeFormatForm
    list_display = ("valid_from", "template", "sequence_digits", "source")
    actions = None

    def _in_force(self, obj: DossierCodeFormat | None) -> bool:
        return obj is not None and obj.valid_from <= timezone.localdate()

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._in_force(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._in_force(obj)

    def save_model(self, request, obj, form, change) -> None:
        values = {field: form.cleaned_data[field] for field in CODE_FORMAT_FIELDS}
        saved = code_format_save(
            DossierCodeFormat.objects.get(pk=obj.pk) if change else None,
            actor=request.user,
            values=values,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        code_format_delete(obj, actor=request.user)


from . import admin_forms  # noqa: E402, F401  (dated paper templates, issue #19 item 0)
