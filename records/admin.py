"""Retention periods are configuration (editable); holds, lists and the disposal
marks are written only by the services and are read-only here."""

from __future__ import annotations

from django.contrib import admin

from .models import DisposalList, DisposedDossier, LegalHold, RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("procedure_version", "valid_from", "dossier_years", "result_years", "source")
    list_filter = ("valid_from",)
    search_fields = ("procedure_version__procedure__code", "procedure_version__name")
    autocomplete_fields = ("procedure_version",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "placed_at", "placed_by", "lifted_at")
    list_select_related = ("dossier", "placed_by")


@admin.register(DisposalList)
class DisposalListAdmin(ReadOnlyAdmin):
    list_display = ("agency", "period", "status", "approved_at", "destroyed_at")
    list_filter = ("status",)
    list_select_related = ("agency",)


@admin.register(DisposedDossier)
class DisposedDossierAdmin(ReadOnlyAdmin):
    list_display = ("dossier", "disposed_at", "files_destroyed", "result_kept")
    list_select_related = ("dossier",)
