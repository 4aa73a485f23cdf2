from __future__ import annotations

from django import forms
from django.contrib import admin

from tthc_portal.admin_readonly import ReadOnlyAdminMixin

from .models import MessageTemplate, OutboxMessage
from .template_changes import EDITABLE_FIELDS, message_template_check, message_template_update


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "channel",
        "recipient",
        "subject",
        "status",
        "attempts",
        "sent_at",
    )
    list_filter = ("channel", "status")
    search_fields = ("recipient", "subject", "topic")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


class MessageTemplateForm(forms.ModelForm):
    class Meta:
        model = MessageTemplate
        fields = EDITABLE_FIELDS

    def clean(self) -> dict:
        cleaned = super().clean()
        for field, message in message_template_check(cleaned).items():
            self.add_error(field, message)
        return cleaned


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Wording only: the keys are fixed by the code that sends, so templates are
    neither added nor deleted here (switch one off with "đang dùng"). Every
    change goes through ``message_template_update``, which records it."""

    form = MessageTemplateForm
    list_display = ("key", "description", "subject", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("key", "description", "subject")
    readonly_fields = ("key", "updated_at")
    fields = ("key", *EDITABLE_FIELDS, "updated_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        values = {field: form.cleaned_data[field] for field in EDITABLE_FIELDS}
        saved = message_template_update(obj, actor=request.user, values=values)
        obj.updated_at = saved.updated_at
