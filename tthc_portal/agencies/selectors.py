"""Permission-scoped reads: which agencies may this user act on?"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q, QuerySet
from guardian.models import GroupObjectPermission
from guardian.shortcuts import get_objects_for_user

from tthc_portal.accounts.roles import Role

from .models import Agency, StaffMembership


def agencies_for_user(user, perm: str = "view_agency_records") -> QuerySet[Agency]:
    """Agencies on which the user holds ``perm`` through an agency group."""
    if not user.is_authenticated:
        return Agency.objects.none()
    return get_objects_for_user(
        user,
        f"agencies.{perm}",
        klass=Agency,
        use_groups=True,
        with_superuser=True,
        accept_global_perms=False,
    )


def agency_perms_held(user, agency_ids: Iterable[int]) -> set[str]:
    """The agency permissions (codenames) ``user`` holds on any of
    ``agency_ids`` through an agency group — guardian's own tables in one
    statement. Permissions are granted to agency groups only (staff
    memberships; the admin offers no per-user grant, ``accounts.roles``).
    A desk receives dozens of dossiers an hour: guardian's checker spent two
    queries and most of a millisecond of Python on each, the ORM's three-join
    query another millisecond compiling; this statement's text is built once."""
    if not user.is_active:
        return set()
    if user.is_superuser:
        return {codename for codename, _label in Agency._meta.permissions}
    pks = [str(pk) for pk in agency_ids]
    if not pks:
        return set()
    content_type = ContentType.objects.get_for_model(Agency)  # cached by Django
    sql = _perms_held_sql().replace("%(pks)s", ", ".join(["%s"] * len(pks)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, content_type.pk, *pks])
        return {codename for (codename,) in cursor.fetchall()}


@lru_cache(maxsize=1)
def _perms_held_sql() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    memberships = get_user_model().groups.through._meta.db_table
    grants = GroupObjectPermission._meta.db_table
    return (
        f'SELECT DISTINCT p.codename FROM "{grants}" g '  # noqa: S608 (names from the models)
        f'JOIN "{memberships}" m ON m.group_id = g.group_id '
        f'JOIN "{Permission._meta.db_table}" p ON p.id = g.permission_id '
        "WHERE m.user_id = %s AND g.content_type_id = %s AND g.object_pk IN (%(pks)s)"
    )


def agency_ids_by_perm(user, perms: Iterable[str]) -> dict[str, list[int]]:
    """For each of ``perms`` (codenames), the agencies on which ``user`` holds
    it through an agency group — one query on guardian's tables for
    all of them (the worklist asked guardian once per permission: three
    queries and about 4 ms of Python each at every page view)."""
    wanted = list(perms)
    held: dict[str, list[int]] = {perm: [] for perm in wanted}
    if not user.is_authenticated or not user.is_active:
        return held
    if user.is_superuser:
        every = list(Agency.objects.values_list("pk", flat=True))
        return {perm: list(every) for perm in wanted}
    content_type = ContentType.objects.get_for_model(Agency)
    by_group = GroupObjectPermission.objects.filter(
        group__user=user, content_type=content_type, permission__codename__in=wanted
    ).values_list("permission__codename", "object_pk")
    for codename, object_pk in by_group.distinct():
        held[codename].append(int(object_pk))
    return held


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    roles = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


def primary_membership(user) -> StaffMembership | None:
    return StaffMembership.objects.filter(user=user).select_related("agency").order_by("pk").first()


def staff_with_role(agency: Agency, role: str):
    """Users holding ``role`` for ``agency``: members of the agency itself, and
    for subtree roles also members at any ancestor (the provincial office)."""
    from django.contrib.auth import get_user_model

    from tthc_portal.accounts.roles import SUBTREE_ROLES

    ancestor_ids = [int(p) for p in agency.path.strip("/").split("/") if p]
    agency_ids = ancestor_ids if role in SUBTREE_ROLES else [agency.pk]
    return (
        get_user_model()
        .objects.filter(
            memberships__agency_id__in=agency_ids, memberships__role=role, is_active=True
        )
        # Integration clients' service accounts hold roles for their rights only:
        # nobody notifies, assigns or asks them to sign.
        .filter(api_client__isnull=True)
        .distinct()
    )


def province_root() -> Agency | None:
    """The province at the top of the tree (the publication control's scope)."""
    from .models import AgencyKind

    return (
        Agency.objects.filter(kind=AgencyKind.PROVINCE, parent__isnull=True).order_by("pk").first()
    )


def staff_administered_by(user):
    """The accounts an administrator manages: everyone for a superuser; for an
    agency administrator, the staff who hold a membership in the agencies under
    its administrator memberships (their subtrees) — never a superuser and never
    a citizen. Used by every account-management page, the admin included."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if not getattr(user, "is_authenticated", False):
        return users.none()
    if user.is_superuser:
        return users
    paths = list(
        Agency.objects.filter(
            memberships__user=user, memberships__role=Role.ADMINISTRATOR
        ).values_list("path", flat=True)
    )
    if not paths:
        return users.none()
    under = Q()
    for path in paths:
        under |= Q(memberships__agency__path__startswith=path)
    administered = users.filter(under, is_superuser=False).values("pk").distinct()
    return users.filter(pk__in=administered)
