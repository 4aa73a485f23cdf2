from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from .models import Agency, OneStopDesk, StaffMembership
from .services import agency_groups_sync


@admin.register(Agency)
class AgencyAdmin(GuardedModelAdmin):
    list_display = ("name", "code", "kind", "parent", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "short_name")
    autocomplete_fields = ("parent", "replaced")
    list_select_related = ("parent",)

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
    list_display = ("user", "agency", "role", "title")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "agency__name")
    autocomplete_fields = ("agency",)
    raw_id_fields = ("user",)
    list_select_related = ("user", "agency")
