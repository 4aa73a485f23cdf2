"""Permission scoping: who may act on which agency, decided at the queryset."""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from guardian.models import GroupObjectPermission, UserObjectPermission

from tests.factories import AgencyFactory, StaffFactory, UserFactory, make_staff
from tthc_portal.accounts.models import UserKind
from tthc_portal.accounts.roles import ROLE_SPECS, Role
from tthc_portal.agencies.models import Agency, AgencyKind, StaffMembership
from tthc_portal.agencies.selectors import agencies_for_user, user_roles
from tthc_portal.agencies.services import (
    agency_group_name,
    agency_groups_sync,
    membership_grant,
    membership_revoke,
    role_group_name,
    roles_sync,
)
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

ALL_AGENCY_PERMS = sorted({perm for spec in ROLE_SPECS.values() for perm in spec.agency_perms})


@dataclass
class Tree:
    province: Agency
    a: Agency
    b: Agency
    commune: Agency
    other_province: Agency


@pytest.fixture
def tree() -> Tree:
    """A province with two departments and a commune, plus an unrelated root."""
    roles_sync()
    province = AgencyFactory(name="UBND tỉnh Thử", kind=AgencyKind.PROVINCE)
    a = AgencyFactory(name="Sở A", parent=province)
    b = AgencyFactory(name="Sở B", parent=province)
    commune = AgencyFactory(name="UBND xã C", kind=AgencyKind.COMMUNE, parent=province)
    other = AgencyFactory(name="UBND tỉnh Khác", kind=AgencyKind.PROVINCE)
    for agency in Agency.objects.order_by("path"):
        agency_groups_sync(agency)
    return Tree(province=province, a=a, b=b, commune=commune, other_province=other)


def fresh(user):
    """Reload the user: Django caches permissions on the instance."""
    return get_user_model().objects.get(pk=user.pk)


def test_desk_officer_receives_only_for_own_agency(tree: Tree) -> None:
    officer = make_staff(Role.DESK_OFFICER, tree.a)

    assert list(agencies_for_user(officer, "receive_dossiers")) == [tree.a]
    assert list(agencies_for_user(officer, "view_agency_records")) == [tree.a]
    assert list(agencies_for_user(officer, "return_results")) == [tree.a]
    # Rights the role does not carry are not granted anywhere.
    assert not agencies_for_user(officer, "process_dossiers").exists()
    assert not agencies_for_user(officer, "approve_dossiers").exists()


def test_department_head_approves_procedures_of_own_agency_only(tree: Tree) -> None:
    head_a = make_staff(Role.DEPARTMENT_HEAD, tree.a)
    head_b = make_staff(Role.DEPARTMENT_HEAD, tree.b)
    specialist_a = make_staff(Role.SPECIALIST, tree.a)
    officer_a = make_staff(Role.DESK_OFFICER, tree.a)

    assert list(agencies_for_user(head_a, "approve_procedures")) == [tree.a]
    assert list(agencies_for_user(head_b, "approve_procedures")) == [tree.b]
    assert list(agencies_for_user(head_a, "assign_dossiers")) == [tree.a]
    assert not agencies_for_user(specialist_a, "approve_procedures").exists()
    assert not agencies_for_user(officer_a, "approve_procedures").exists()
    assert list(agencies_for_user(specialist_a, "process_dossiers")) == [tree.a]
    assert list(agencies_for_user(specialist_a, "draft_procedures")) == [tree.a]


def test_provincial_staff_at_the_root_sees_every_descendant(tree: Tree) -> None:
    staff = make_staff(Role.PROVINCIAL_STAFF, tree.province)
    subtree = {tree.province, tree.a, tree.b, tree.commune}

    for perm in ROLE_SPECS[Role.PROVINCIAL_STAFF].agency_perms:
        assert set(agencies_for_user(staff, perm)) == subtree, perm
    assert tree.other_province not in agencies_for_user(staff)
    # The provincial office oversees; it does not receive dossiers itself.
    assert not agencies_for_user(staff, "receive_dossiers").exists()


def test_agencies_created_after_the_grant_reach_the_ancestors_subtree_roles(tree: Tree) -> None:
    staff = make_staff(Role.PROVINCIAL_STAFF, tree.province)
    officer_a = make_staff(Role.DESK_OFFICER, tree.a)

    division = AgencyFactory(name="Phòng Hộ tịch", kind=AgencyKind.DIVISION, parent=tree.a)
    new_commune = AgencyFactory(name="UBND xã Mới", kind=AgencyKind.COMMUNE, parent=tree.province)
    agency_groups_sync(division)
    agency_groups_sync(new_commune)

    visible = set(agencies_for_user(staff, "control_publication"))
    assert {division, new_commune} <= visible
    assert visible == set(tree.province.subtree())
    # A department-level role does not extend to units below its agency.
    assert list(agencies_for_user(officer_a, "receive_dossiers")) == [tree.a]
    assert division not in agencies_for_user(officer_a)


def test_subtree_role_below_the_root_does_not_reach_siblings(tree: Tree) -> None:
    division = AgencyFactory(name="Phòng thuộc Sở A", kind=AgencyKind.DIVISION, parent=tree.a)
    agency_groups_sync(division)
    admin_a = make_staff(Role.ADMINISTRATOR, tree.a)

    assert set(agencies_for_user(admin_a)) == {tree.a, division}


def test_object_permissions_are_granted_to_groups_only() -> None:
    call_command("seed_demo", stdout=StringIO())
    justice = Agency.objects.get(code="000.00.10.H99")
    division = AgencyFactory(name="Phòng Hành chính tư pháp", kind=AgencyKind.DIVISION)
    division.parent = justice
    division.save()
    agency_groups_sync(division)
    make_staff(Role.DESK_OFFICER, division)

    assert UserObjectPermission.objects.count() == 0
    assert GroupObjectPermission.objects.exists()
    group_names = set(
        GroupObjectPermission.objects.values_list("group__name", flat=True).distinct()
    )
    assert all(name.startswith("agency:") for name in group_names)
    assert agency_group_name(division, Role.DESK_OFFICER) in group_names
    assert agency_group_name(justice, Role.DEPARTMENT_HEAD) in group_names


def test_has_perm_checks_the_object(tree: Tree) -> None:
    officer = fresh(make_staff(Role.DESK_OFFICER, tree.a))

    assert officer.has_perm("agencies.receive_dossiers", tree.a)
    assert not officer.has_perm("agencies.receive_dossiers", tree.b)
    assert not officer.has_perm("agencies.receive_dossiers", tree.province)
    # Never granted as a global (every-agency) permission.
    assert not officer.has_perm("agencies.receive_dossiers")
    # The role group carries the model permission to list agencies.
    assert officer.has_perm("agencies.view_agency")


def test_membership_revoke_removes_access_and_is_audited(tree: Tree) -> None:
    actor = StaffFactory(username="nguoiquantri")
    officer = make_staff(Role.DESK_OFFICER, tree.a)
    membership_grant(actor=actor, user=officer, agency=tree.b, role=Role.DESK_OFFICER)
    membership = StaffMembership.objects.get(user=officer, agency=tree.a)
    membership_pk = membership.pk

    membership_revoke(actor=actor, membership=membership)

    officer = fresh(officer)
    assert list(agencies_for_user(officer, "receive_dossiers")) == [tree.b]
    assert not officer.has_perm("agencies.receive_dossiers", tree.a)
    assert officer.has_perm("agencies.receive_dossiers", tree.b)
    assert not StaffMembership.objects.filter(pk=membership_pk).exists()
    groups = set(officer.groups.values_list("name", flat=True))
    assert agency_group_name(tree.a, Role.DESK_OFFICER) not in groups
    # Still a desk officer elsewhere: the global role group stays.
    assert role_group_name(Role.DESK_OFFICER) in groups

    event = AuditEvent.objects.get(action="membership.revoke")
    assert event.actor == actor
    assert event.target_id == str(membership_pk)
    assert event.before == {
        "user": officer.username,
        "agency": tree.a.code,
        "role": Role.DESK_OFFICER,
    }

    last = StaffMembership.objects.get(user=officer, agency=tree.b)
    membership_revoke(actor=actor, membership=last)
    officer = fresh(officer)
    assert not agencies_for_user(officer, "view_agency_records").exists()
    assert user_roles(officer) == set()
    assert not officer.groups.filter(name=role_group_name(Role.DESK_OFFICER)).exists()
    assert AuditEvent.objects.filter(action="membership.revoke").count() == 2


def test_membership_grant_is_audited_once(tree: Tree) -> None:
    actor = StaffFactory(username="nguoicap")
    user = StaffFactory()

    membership_grant(actor=actor, user=user, agency=tree.a, role=Role.SPECIALIST)
    membership_grant(actor=actor, user=user, agency=tree.a, role=Role.SPECIALIST)

    event = AuditEvent.objects.get(action="membership.grant")
    assert event.actor == actor
    assert event.after == {"user": user.username, "agency": tree.a.code, "role": Role.SPECIALIST}
    assert StaffMembership.objects.filter(user=user).count() == 1


def test_membership_grant_rejects_unknown_roles(tree: Tree) -> None:
    with pytest.raises(ValueError, match="Unknown role"):
        membership_grant(actor=None, user=StaffFactory(), agency=tree.a, role="chu_tich")
    assert not StaffMembership.objects.exists()


def test_citizens_and_organisations_have_no_agencies(tree: Tree) -> None:
    citizen = UserFactory()
    organisation = UserFactory(
        username="0101234567",
        personal_id_number=None,
        tax_code="0101234567",
        kind=UserKind.ORGANISATION,
    )

    for applicant in (citizen, organisation, AnonymousUser()):
        assert user_roles(applicant) == set()
        for perm in ALL_AGENCY_PERMS:
            assert not agencies_for_user(applicant, perm).exists(), (applicant, perm)
    assert not any(fresh(citizen).has_perm(f"agencies.{perm}", tree.a) for perm in ALL_AGENCY_PERMS)


def test_superuser_sees_every_agency(tree: Tree) -> None:
    superuser = StaffFactory(is_superuser=True)

    assert set(agencies_for_user(superuser, "approve_dossiers")) == set(Agency.objects.all())
    assert Role.ADMINISTRATOR in user_roles(superuser)


def test_per_agency_groups_hold_exactly_their_role_permissions(tree: Tree) -> None:
    for role, spec in ROLE_SPECS.items():
        group = Group.objects.get(name=agency_group_name(tree.a, role))
        granted = set(
            GroupObjectPermission.objects.filter(group=group, object_pk=str(tree.a.pk)).values_list(
                "permission__codename", flat=True
            )
        )
        assert granted == set(spec.agency_perms), role


def test_subtree_rights_do_not_depend_on_the_order_of_grants() -> None:
    """A unit's staff granted first must not leave the province's office with
    rights on that unit only (its ancestor groups were created by that sync)."""
    roles_sync()
    province = AgencyFactory(name="UBND tỉnh Thứ Tự", kind=AgencyKind.PROVINCE)
    unit = AgencyFactory(name="Sở D", parent=province)
    sibling = AgencyFactory(name="Sở E", parent=province)
    membership_grant(actor=None, user=UserFactory(), agency=unit, role=Role.DEPARTMENT_HEAD)
    staff = UserFactory()
    membership_grant(actor=None, user=staff, agency=province, role=Role.PROVINCIAL_STAFF)
    visible = set(agencies_for_user(fresh(staff), "view_agency_records"))
    assert {province, unit, sibling} <= visible
