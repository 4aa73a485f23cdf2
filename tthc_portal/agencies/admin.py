from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import URLPattern, re_path

from .models import Agency, OneStopDesk, StaffMembership
from .services import (
    agency_groups_sync,
    membership_grant,
    membership_revoke,
)

# The fields whose change moves a staff member's rights from one group to another.
_RIGHTS_FIELDS = {"user", "agency", "role"}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    """Plain ModelAdmin on purpose: rights on an agency come only from its role
    groups (staff memberships), so guardian's per-user and per-group object
    permission pages must not exist."""

    list_display = ("name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "short_name")
    autocomplete_fields = ("parent", "replaced")
    list_select_related = ("parent",)

    def get_urls(self) -> list[URLPattern]:
        # Without this, guardian's old addresses (<id>/permissions/…) fall into the
        # admin's legacy "<id>/ → change" redirect and land on the index with a
        # "does not exist" notice; answer plainly that the page is gone.
        return [re_path(r"^[^/]+/permissions/", self._object_permissions_gone), *super().get_urls()]

    @staticmethod
    def _object_permissions_gone(request: HttpRequest, *args, **kwargs):
        raise Http404

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A unit is merged or closed (``replaced``, ``is_active``), never deleted:
        # its dossiers, groups and 766 history stay attached to it.
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new or moved unit gets its role groups and its ancestors' oversight.
        agency_groups_sync(obj)


@admin.register(OneStopDesk)
class OneStopDeskAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "phone")
    search_fields = ("name",)


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    """Every add, change and delete goes through ``membership_grant`` and
    ``membership_revoke``: a bare row without its group membership grants
    nothing, and a deleted row would leave the rights in place."""

    list_display = ("user", "agency", "role", "title")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "agency")

    @transaction.atomic
    def save_model(self, request, obj: StaffMembership, form, change: bool) -> None:
        if change and not _RIGHTS_FIELDS.intersection(form.changed_data):
            # Only the title changed: it carries no rights.
            super().save_model(request, obj, form, change)
            return
        if change:
            # ``obj`` already holds the new values; revoke what the row held before.
            previous = StaffMembership.objects.select_related("user", "agency").get(pk=obj.pk)
            membership_revoke(actor=request.user, membership=previous)
        granted = membership_grant(
            actor=request.user, user=obj.user, agency=obj.agency, role=obj.role, title=obj.title
        )
        # The admin logs and redirects to ``obj``: point it at the row the service wrote.
        obj.pk = granted.pk
        obj._state.adding = False

    @transaction.atomic
    def delete_model(self, request, obj: StaffMembership) -> None:
        membership_revoke(actor=request.user, membership=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset: QuerySet[StaffMembership]) -> None:
        # One revoke per row, so each leaves its group and writes its audit event.
        for membership in queryset.select_related("user", "agency"):
            membership_revoke(actor=request.user, membership=membership)
