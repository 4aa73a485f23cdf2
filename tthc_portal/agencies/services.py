"""Roles, per-agency groups and guardian object permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from guardian.shortcuts import assign_perm

from tthc_portal.accounts.roles import ROLE_SPECS, SUBTREE_ROLES, Role
from tthc_portal.audit.services import audit_record

from .models import Agency, StaffMembership


def role_group_name(role: str) -> str:
    return f"role:{role}"


def agency_group_name(agency: Agency, role: str) -> str:
    return f"agency:{agency.code}:{role}"


def roles_sync() -> None:
    """Create the global role groups with their model permissions (idempotent)."""
    for role, spec in ROLE_SPECS.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        perms = []
        for dotted in spec.model_perms:
            app_label, codename = dotted.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def agency_groups_sync(agency: Agency) -> dict[str, Group]:
    """Create the agency's role groups and grant them object permissions.

    Subtree roles (provincial office, administrators) get their rights on
    the agency and on every unit under it.
    """
    groups = {}
    targets = list(agency.subtree())
    for role, spec in ROLE_SPECS.items():
        group, _ = Group.objects.get_or_create(name=agency_group_name(agency, role))
        scope = targets if role in SUBTREE_ROLES else [agency]
        for codename in spec.agency_perms:
            assign_perm(f"agencies.{codename}", group, scope)
        groups[role] = group
    # A new unit also becomes visible to the subtree roles of its ancestors.
    for ancestor in Agency.objects.filter(pk__in=_ancestor_ids(agency)):
        for role in SUBTREE_ROLES:
            group, _ = Group.objects.get_or_create(name=agency_group_name(ancestor, role))
            for codename in ROLE_SPECS[role].agency_perms:
                assign_perm(f"agencies.{codename}", group, agency)
    return groups


def _ancestor_ids(agency: Agency) -> list[int]:
    return [int(part) for part in agency.path.strip("/").split("/")[:-1] if part]


def _groups_synced(agency: Agency, role: str) -> bool:
    """Whether the agency's own group for ``role`` holds its rights on the agency.

    The group may already exist without them: syncing a unit creates its
    ancestors' subtree-role groups with rights on that unit only.
    """
    from guardian.models import GroupObjectPermission

    return GroupObjectPermission.objects.filter(
        group__name=agency_group_name(agency, role), object_pk=str(agency.pk)
    ).exists()


@transaction.atomic
def membership_grant(*, actor, user, agency: Agency, role: str, title: str = "") -> StaffMembership:
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    membership, created = StaffMembership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"title": title}
    )
    if not Group.objects.filter(name=role_group_name(role)).exists():
        # An install that never ran the role set-up (only the demo seed does).
        roles_sync()
    if not _groups_synced(agency, role):
        agency_groups_sync(agency)
    user.groups.add(
        Group.objects.get(name=role_group_name(role)),
        Group.objects.get(name=agency_group_name(agency, role)),
    )
    if not user.is_staff and role == Role.ADMINISTRATOR:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if created:
        audit_record(
            actor=actor,
            action="membership.grant",
            target=membership,
            after={"user": user.username, "agency": agency.code, "role": role},
        )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: StaffMembership) -> None:
    user, agency, role = membership.user, membership.agency, membership.role
    audit_record(
        actor=actor,
        action="membership.revoke",
        target=membership,
        before={"user": user.username, "agency": agency.code, "role": role},
    )
    membership.delete()
    # filter(), not get(): a group that was never created has nothing to remove.
    user.groups.remove(*Group.objects.filter(name=agency_group_name(agency, role)))
    if not StaffMembership.objects.filter(user=user, role=role).exists():
        user.groups.remove(*Group.objects.filter(name=role_group_name(role)))
        if role == Role.ADMINISTRATOR and user.is_staff and not user.is_superuser:
            # Admin-site access came with the role: it goes with it.
            user.is_staff = False
            user.save(update_fields=["is_staff"])
