"""The two records roles as global groups carrying the model permissions.

Kept out of the kernel's role table (``tthc_portal.accounts.roles``), which
imports no domain app: the groups hold only ``records`` permissions, and the
lists a member sees are scoped by their agency memberships (``selectors``)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

RECORDS_OFFICER = "records_officer"
ARCHIVE_HEAD = "archive_head"

GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {
    RECORDS_OFFICER: (
        _("Cán bộ văn thư, lưu trữ"),
        ("view_disposallist", "review_disposallist", "manage_legalhold"),
    ),
    ARCHIVE_HEAD: (
        _("Lãnh đạo đơn vị lưu trữ"),
        ("view_disposallist", "approve_disposallist", "manage_legalhold"),
    ),
}


def records_groups_sync() -> dict[str, Group]:
    """Idempotent: the groups and exactly their permissions."""
    groups = {}
    for name, (_label, codenames) in GROUPS.items():
        group, _created = Group.objects.get_or_create(name=f"records/{name}")
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="records", codename__in=codenames)
        )
        groups[name] = group
    return groups


def records_groups_permissions_set(using: str = "default") -> None:
    """The existing records groups get exactly their permissions (no group is created)."""
    for name, (_label, codenames) in GROUPS.items():
        group = Group.objects.using(using).filter(name=f"records/{name}").first()
        if group is not None:
            group.permissions.set(
                Permission.objects.using(using).filter(
                    content_type__app_label="records", codename__in=codenames
                )
            )
