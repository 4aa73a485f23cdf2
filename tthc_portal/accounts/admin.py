from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tthc_portal.admin_readonly import ReadOnlyAdminMixin
from tthc_portal.agencies.selectors import staff_administered_by

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

    def get_queryset(self, request):
        # An agency administrator sees and edits only the staff of its agencies
        # (never a citizen's account, never a superuser).
        return (
            super()
            .get_queryset(request)
            .filter(pk__in=staff_administered_by(request.user).values("pk"))
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Only a superuser makes superusers or admin-site users: otherwise an
            # agency administrator could raise itself above its agencies.
            readonly += ["is_superuser", "is_staff", "last_login", "date_joined"]
        return readonly


# Second factors are managed on the portal's own page (scoped to the
# administrator's staff, audited): django-otp's admin pages would be a second,
# unscoped write path (and its "config" page answers 500 for a missing device).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


# Groups are the per-agency role groups written by ``agency_groups_sync`` and
# ``membership_grant``: editing one here would hand out rights no service records.
class GroupAdmin(ReadOnlyAdminMixin, BaseGroupAdmin):
    pass


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)
