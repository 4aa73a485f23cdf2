"""The admin is not a second way to manage integrations: the pages at
/ket-noi/quan-tri/ go through the services (audit, tokens, memberships).
Clients are shown read-only; django-oauth-toolkit's own models are hidden."""

from __future__ import annotations

from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from .models import ApiClient

for model in (
    get_application_model(),
    get_access_token_model(),
    get_refresh_token_model(),
    get_grant_model(),
    get_id_token_model(),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "client_id", "last_used_at", "revoked_at")
    list_filter = ("agency",)
    search_fields = ("name", "application__client_id")
    list_select_related = ("application", "agency")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
