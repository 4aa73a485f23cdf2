"""Staff roles as data.

Each role is a global Django group carrying model permissions, and for every
agency a per-agency group (``<agency code>/<role>``) that holds the guardian
object permissions on that agency. A staff member's rights over an agency's
records therefore come from group membership, never from per-user grants.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ Bộ phận Một cửa")
    SPECIALIST = "specialist", _("Chuyên viên thụ lý")
    DEPARTMENT_HEAD = "department_head", _("Lãnh đạo đơn vị")
    PROVINCIAL_STAFF = "provincial_staff", _("Cán bộ Văn phòng UBND tỉnh")
    ADMINISTRATOR = "administrator", _("Quản trị hệ thống")


@dataclass(frozen=True)
class RoleSpec:
    # Global model permissions ("app_label.codename").
    model_perms: tuple[str, ...]
    # Object permissions on the member's agency (codenames on agencies.Agency).
    agency_perms: tuple[str, ...]


ROLE_SPECS: dict[str, RoleSpec] = {
    Role.DESK_OFFICER: RoleSpec(
        model_perms=("agencies.view_agency",),
        agency_perms=("view_agency_records", "receive_dossiers", "return_results"),
    ),
    Role.SPECIALIST: RoleSpec(
        model_perms=("agencies.view_agency",),
        agency_perms=("view_agency_records", "process_dossiers", "draft_procedures"),
    ),
    Role.DEPARTMENT_HEAD: RoleSpec(
        model_perms=("agencies.view_agency",),
        agency_perms=(
            "view_agency_records",
            "process_dossiers",
            "assign_dossiers",
            "approve_dossiers",
            "draft_procedures",
            "approve_procedures",
            "view_indicators",
        ),
    ),
    Role.PROVINCIAL_STAFF: RoleSpec(
        model_perms=(
            "agencies.view_agency",
            "workdays.view_calendarexception",
            "workdays.add_calendarexception",
            "workdays.change_calendarexception",
            "workdays.delete_calendarexception",
        ),
        agency_perms=(
            "view_agency_records",
            "control_publication",
            "view_indicators",
            "publish_indicators",
        ),
    ),
    Role.ADMINISTRATOR: RoleSpec(
        model_perms=(
            "agencies.view_agency",
            "agencies.add_agency",
            "agencies.change_agency",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "audit.view_auditevent",
            "workdays.view_calendarexception",
            "workdays.add_calendarexception",
            "workdays.change_calendarexception",
            "workdays.delete_calendarexception",
            "notifications.view_outboxmessage",
        ),
        agency_perms=("view_agency_records",),
    ),
}

# Roles whose object permissions on an agency reach its whole subtree
# (the provincial office oversees every department and commune).
SUBTREE_ROLES = {Role.PROVINCIAL_STAFF, Role.ADMINISTRATOR}
