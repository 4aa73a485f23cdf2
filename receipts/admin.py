from django.contrib import admin

from tthc_portal.admin_readonly import ReadOnlyModelAdmin

from .models import Receipt, ReceiptNotice, ReceiptSeries


@admin.register(ReceiptSeries)
class ReceiptSeriesAdmin(admin.ModelAdmin):
    list_display = ("receipt_symbol", "template_symbol", "point_code", "point_name", "agency",
                    "range_start", "range_end", "next_number", "is_active")  # fmt: skip
    list_filter = ("year", "is_active", "for_online")
    readonly_fields = ("next_number",)

    def get_readonly_fields(self, request, obj=None):
        # Numbers already handed out are fixed: only a new range may be configured.
        if obj is None:
            return ()
        return ("tax_code", "template_symbol", "receipt_symbol", "range_start", "next_number")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.next_number = obj.range_start
        super().save_model(request, obj, form, change)


@admin.register(Receipt)
class ReceiptAdmin(admin.ModelAdmin):
    list_display = ("__str__", "dossier", "amount_vnd", "status", "issued_at")
    list_filter = ("status",)
    search_fields = ("key", "dossier__code", "provider_ref")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReceiptNotice)
class ReceiptNoticeAdmin(ReadOnlyModelAdmin):
    """Notices are written by the correction service (with its audit reason)."""

    list_display = ("receipt", "field", "created_at")
