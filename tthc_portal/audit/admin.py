from django.contrib import admin

from tthc_portal.agencies.selectors import staff_administered_by

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, even for superusers."""

    list_display = (
        "at",
        "actor_repr",
        "action",
        "target_type",
        "target_repr",
        "request_id",
        "via_client",
    )
    list_filter = ("action", "target_type")
    search_fields = ("actor_repr", "target_repr", "target_id", "request_id", "via_client")
    date_hierarchy = "at"
    list_select_related = ("target_type",)

    def get_queryset(self, request):
        # An agency administrator audits what its own staff did, not the province.
        events = super().get_queryset(request)
        if request.user.is_superuser:
            return events
        return events.filter(actor__in=staff_administered_by(request.user).values("pk"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
