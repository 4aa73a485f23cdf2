"""Admin of the dated paper templates (issue 19 item 0).

Imported by ``dossiers/admin.py`` (one line, see the lead's note). Every save
and delete goes through ``services.form_templates`` (validated in the sandbox,
audited); versions in force are read-only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models.documents import FormTemplate
from .services.form_templates import (
    FORM_TEMPLATE_FIELDS,
    form_template_check_values,
    form_template_delete,
    form_template_save,
)


class FormTemplateForm(forms.ModelForm):
    class Meta:
        model = FormTemplate
        fields = FORM_TEMPLATE_FIELDS
        widgets = {"source": forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField"})}
        help_texts = {
            "source": _(
                "Mẫu Django, kế thừa dossiers/forms/circular_03_2025/_base.html. "
                "Không dùng được thẻ load và debug; chỉ kế thừa hoặc chèn các mẫu "
                "giấy tờ có sẵn. Mẫu được thử tạo PDF trước khi lưu."
            )
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        editing = self.instance.valid_from if self.instance.pk else None
        errors = form_template_check_values(
            cleaned, today=timezone.localdate(), editing_valid_from=editing
        )
        for field, message in errors.items():
            if field in self.fields:
                self.add_error(field, message)
            else:
                self.add_error(None, message)
        return cleaned


@admin.register(FormTemplate)
class FormTemplateAdmin(admin.ModelAdmin):
    """Dated versions, as the Ministry re-issues the forms: a paper is printed
    with the version in force on its dossier's reception day."""

    admin_write_paths = {"through_services": {"dossiers.FormTemplate"}}
    form = FormTemplateForm
    list_display = ("kind", "valid_from", "legal_basis", "template_path")
    list_filter = ("kind",)
    actions = None

    def _in_force(self, obj: FormTemplate | None) -> bool:
        return obj is not None and obj.valid_from <= timezone.localdate()

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._in_force(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._in_force(obj)

    def save_model(self, request, obj, form, change) -> None:
        values = {field: form.cleaned_data[field] for field in FORM_TEMPLATE_FIELDS}
        saved = form_template_save(
            FormTemplate.objects.get(pk=obj.pk) if change else None,
            actor=request.user,
            values=values,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        form_template_delete(obj, actor=request.user)
