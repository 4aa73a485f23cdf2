from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "personal_id_number", "tax_code", "is_active")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "personal_id_number", "tax_code", "email", "phone")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Định danh"),
            {"fields": ("kind", "full_name", "personal_id_number", "tax_code", "phone", "address")},
        ),
    )
