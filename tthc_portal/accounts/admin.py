from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "kind", "personal_id_number", "tax_code", "is_active")
    list_filter = ("kind", "is_active", "is_staff")
    search_fields = ("username", "full_name", "personal_id_number", "tax_code", "email", "phone")
    # Rights come only from memberships (per-agency role groups, granted by
    # membership_grant): no direct group or per-user permission editing here.
    fieldsets = (
        *(
            (
                name,
                {
                    **options,
                    "fields": tuple(
                        f for f in options["fields"] if f not in ("groups", "user_permissions")
                    ),
                },
            )
            for name, options in BaseUserAdmin.fieldsets
        ),
        (
            _("Định danh"),
            {"fields": ("kind", "full_name", "personal_id_number", "tax_code", "phone", "address")},
        ),
    )
