"""Configuration is edited here (targets, code maps, credentials); everything the
sync writes is read-only — it changes only through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tthc_portal.admin_readonly import ReadOnlyModelAdmin

from .models import (
    CodeMap,
    Difference,
    DossierSync,
    InboundMessage,
    NationalFigure,
    PaymentMessage,
    ReconciliationRun,
    StoreLookup,
    SyncAttempt,
    SyncEvent,
    SyncTask,
    Target,
    UnitCredential,
    UnmappedItem,
)
from .secrets import secret_encrypt


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "name", "base_url", "transport", "is_active")
    list_filter = ("kind", "transport", "is_active")
    readonly_fields = ("consecutive_failures", "circuit_open_until")


class CredentialForm(forms.ModelForm):
    secret = forms.CharField(
        label=_("Mật khẩu / client secret"), widget=forms.PasswordInput(render_value=False),
        required=False, help_text=_("Để trống khi sửa: giữ mật khẩu đang lưu."),
    )  # fmt: skip

    class Meta:
        model = UnitCredential
        fields = ("target", "agency", "unit_code", "username")

    def save(self, commit: bool = True):
        row = super().save(commit=False)
        if self.cleaned_data.get("secret"):
            row.secret_encrypted = secret_encrypt(self.cleaned_data["secret"])
        if commit:
            row.save()
        return row


@admin.register(UnitCredential)
class UnitCredentialAdmin(admin.ModelAdmin):
    form = CredentialForm
    list_display = ("target", "agency", "unit_code", "username")
    list_filter = ("target",)


@admin.register(CodeMap)
class CodeMapAdmin(admin.ModelAdmin):
    list_display = ("target", "kind", "local", "remote", "label")
    list_filter = ("target", "kind")
    search_fields = ("local", "remote", "label")


@admin.register(UnmappedItem)
class UnmappedItemAdmin(ReadOnlyModelAdmin):
    list_display = ("kind", "value", "direction", "count", "last_seen", "resolved_at")
    list_filter = ("target", "kind", "direction")
    search_fields = ("value",)


@admin.register(SyncEvent)
class SyncEventAdmin(ReadOnlyModelAdmin):
    list_display = ("dossier", "seq", "kind", "national_status", "status", "attempts",
                    "error_class", "occurred_at", "acked_at")  # fmt: skip
    list_filter = ("status", "kind", "error_class")
    raw_id_fields = ("dossier",)


@admin.register(SyncAttempt)
class SyncAttemptAdmin(ReadOnlyModelAdmin):
    list_display = ("at", "operation", "dossier", "status_code", "reply_class", "latency_ms")
    list_filter = ("target", "operation", "reply_class")
    raw_id_fields = ("dossier",)


for model, columns in (
    (DossierSync, ("dossier", "last_acked_seq", "last_national_status", "blocked")),
    (SyncTask, ("dossier", "agency", "operation", "created_at", "resolved_at")),
    (InboundMessage, ("received_at", "kind", "national_code", "via", "status", "dossier")),
    (ReconciliationRun, ("started_at", "finished_at", "checked", "differences")),
    (Difference, ("code", "kind", "field", "local_value", "national_value", "resynced_at")),
    (NationalFigure, ("fetched_at", "unit_code", "period", "key", "value")),
    (PaymentMessage, ("at", "reference", "direction", "kind", "verified")),
    (StoreLookup, ("at", "dossier", "channel", "signature_valid")),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyModelAdmin,), {
        "list_display": columns, "raw_id_fields": ()}))  # fmt: skip
