"""Staff memberships edited in the admin change rights through the services (issue 18, item 8).

Before the fix the admin wrote bare rows: a deleted membership left the user in
the agency's role group (they kept their rights), an added one granted nothing,
and the Agency admin offered guardian's per-user object permission pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from guardian.models import UserObjectPermission

from tests.factories import AgencyFactory, StaffFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency, AgencyKind, StaffMembership
from tthc_portal.agencies.selectors import agencies_for_user
from tthc_portal.agencies.services import (
    agency_group_name,
    agency_groups_sync,
    role_group_name,
    roles_sync,
)
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@dataclass
class Setup:
    client: Client
    admin: object
    a: Agency
    b: Agency


@pytest.fixture
def setup(client: Client) -> Setup:
    roles_sync()
    province = AgencyFactory(kind=AgencyKind.PROVINCE)
    a = AgencyFactory(name="Sở A", parent=province)
    b = AgencyFactory(name="Sở B", parent=province)
    for agency in Agency.objects.order_by("path"):
        agency_groups_sync(agency)
    admin = StaffFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    return Setup(client=client, admin=admin, a=a, b=b)


def fresh(user):
    """Reload the user: Django caches permissions on the instance."""
    return get_user_model().objects.get(pk=user.pk)


def group_names(user) -> set[str]:
    return set(fresh(user).groups.values_list("name", flat=True))


def membership_events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def form_data(membership_user, agency: Agency, role: str, title: str = "") -> dict:
    return {"user": membership_user.pk, "agency": agency.pk, "role": role, "title": title}


def test_deleting_a_membership_removes_the_rights(setup: Setup) -> None:
    user = make_staff(Role.SPECIALIST, setup.a)
    membership = StaffMembership.objects.get(user=user)
    assert setup.a in agencies_for_user(fresh(user))

    response = setup.client.post(
        reverse("admin:agencies_staffmembership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not StaffMembership.objects.filter(user=user).exists()
    assert agency_group_name(setup.a, Role.SPECIALIST) not in group_names(user)
    assert role_group_name(Role.SPECIALIST) not in group_names(user)
    assert not agencies_for_user(fresh(user)).exists()
    assert not fresh(user).has_perm("agencies.process_dossiers", setup.a)
    [event] = membership_events("membership.revoke")
    assert event.actor == setup.admin
    assert event.target_id == str(membership.pk)
    assert event.before == {"user": user.username, "agency": setup.a.code, "role": "specialist"}


def test_bulk_delete_removes_every_members_rights(setup: Setup) -> None:
    first = make_staff(Role.DESK_OFFICER, setup.a)
    second = make_staff(Role.DEPARTMENT_HEAD, setup.b)
    kept = make_staff(Role.DESK_OFFICER, setup.b)
    selected = StaffMembership.objects.filter(user__in=[first, second])

    response = setup.client.post(
        reverse("admin:agencies_staffmembership_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [m.pk for m in selected],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not StaffMembership.objects.filter(user__in=[first, second]).exists()
    for user in (first, second):
        assert not agencies_for_user(fresh(user)).exists()
        assert not any(name.startswith("agency:") for name in group_names(user))
    assert not fresh(second).has_perm("agencies.approve_dossiers", setup.b)
    # The member who was not selected keeps everything.
    assert list(agencies_for_user(fresh(kept))) == [setup.b]
    events = membership_events("membership.revoke")
    assert {e.before["user"] for e in events} == {first.username, second.username}
    assert all(e.actor == setup.admin for e in events)


def test_adding_a_membership_grants_the_rights(setup: Setup) -> None:
    user = StaffFactory()
    assert not agencies_for_user(fresh(user)).exists()

    response = setup.client.post(
        reverse("admin:agencies_staffmembership_add"),
        form_data(user, setup.a, Role.DESK_OFFICER, "Chuyên viên"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    membership = StaffMembership.objects.get(user=user)
    assert (membership.agency, membership.role, membership.title) == (
        setup.a,
        Role.DESK_OFFICER,
        "Chuyên viên",
    )
    assert {agency_group_name(setup.a, Role.DESK_OFFICER), role_group_name(Role.DESK_OFFICER)} <= (
        group_names(user)
    )
    assert list(agencies_for_user(fresh(user))) == [setup.a]
    assert fresh(user).has_perm("agencies.receive_dossiers", setup.a)
    assert not fresh(user).has_perm("agencies.receive_dossiers", setup.b)
    [event] = membership_events("membership.grant")
    assert event.actor == setup.admin
    assert event.target_id == str(membership.pk)
    assert event.after == {"user": user.username, "agency": setup.a.code, "role": "desk_officer"}


def test_changing_the_role_moves_the_rights(setup: Setup) -> None:
    user = make_staff(Role.SPECIALIST, setup.a)
    membership = StaffMembership.objects.get(user=user)

    response = setup.client.post(
        reverse("admin:agencies_staffmembership_change", args=[membership.pk]),
        form_data(user, setup.a, Role.DESK_OFFICER),
    )

    assert response.status_code == 302
    [current] = StaffMembership.objects.filter(user=user)
    assert current.role == Role.DESK_OFFICER
    names = group_names(user)
    assert agency_group_name(setup.a, Role.SPECIALIST) not in names
    assert role_group_name(Role.SPECIALIST) not in names
    assert agency_group_name(setup.a, Role.DESK_OFFICER) in names
    assert not fresh(user).has_perm("agencies.process_dossiers", setup.a)
    assert fresh(user).has_perm("agencies.receive_dossiers", setup.a)
    [revoked] = membership_events("membership.revoke")
    granted = membership_events("membership.grant")[-1]
    assert revoked.actor == granted.actor == setup.admin
    assert revoked.before["role"] == "specialist"
    assert granted.after == {"user": user.username, "agency": setup.a.code, "role": "desk_officer"}


def test_changing_the_agency_moves_the_rights(setup: Setup) -> None:
    user = make_staff(Role.DEPARTMENT_HEAD, setup.a)
    membership = StaffMembership.objects.get(user=user)

    response = setup.client.post(
        reverse("admin:agencies_staffmembership_change", args=[membership.pk]),
        form_data(user, setup.b, Role.DEPARTMENT_HEAD),
    )

    assert response.status_code == 302
    assert list(agencies_for_user(fresh(user))) == [setup.b]
    assert not fresh(user).has_perm("agencies.approve_dossiers", setup.a)
    assert fresh(user).has_perm("agencies.approve_dossiers", setup.b)
    assert membership_events("membership.revoke")[0].before["agency"] == setup.a.code
    assert membership_events("membership.grant")[-1].after["agency"] == setup.b.code


def test_changing_only_the_title_keeps_the_rights_and_the_row(setup: Setup) -> None:
    user = make_staff(Role.SPECIALIST, setup.a)
    membership = StaffMembership.objects.get(user=user)
    grants_before = len(membership_events("membership.grant"))

    response = setup.client.post(
        reverse("admin:agencies_staffmembership_change", args=[membership.pk]),
        form_data(user, setup.a, Role.SPECIALIST, "Phó trưởng phòng"),
    )

    assert response.status_code == 302
    assert StaffMembership.objects.get(pk=membership.pk).title == "Phó trưởng phòng"
    assert fresh(user).has_perm("agencies.process_dossiers", setup.a)
    assert not membership_events("membership.revoke")
    assert len(membership_events("membership.grant")) == grants_before


def test_adding_works_on_an_install_that_never_synced_the_roles(setup: Setup) -> None:
    # Only the demo seed runs roles_sync; a production install may lack the groups.
    Group.objects.all().delete()
    user = StaffFactory()

    response = setup.client.post(
        reverse("admin:agencies_staffmembership_add"), form_data(user, setup.a, Role.SPECIALIST)
    )

    assert response.status_code == 302
    assert fresh(user).has_perm("agencies.process_dossiers", setup.a)


def test_agency_admin_has_no_object_permission_pages(setup: Setup) -> None:
    base = reverse("admin:agencies_agency_change", args=[setup.a.pk]).removesuffix("change/")
    target = StaffFactory()

    assert setup.client.get(f"{base}permissions/").status_code == 404
    assert setup.client.get(f"{base}permissions/user-manage/{target.pk}/").status_code == 404
    posted = setup.client.post(
        f"{base}permissions/user-manage/{target.pk}/",
        {"permissions": ["process_dossiers"]},
    )
    assert posted.status_code == 404
    assert not UserObjectPermission.objects.exists()
    # The change page itself still works and links to no permission page.
    change = setup.client.get(reverse("admin:agencies_agency_change", args=[setup.a.pk]))
    assert change.status_code == 200
    assert "permissions/" not in change.content.decode()


def test_agency_saved_in_the_admin_gets_its_role_groups(setup: Setup) -> None:
    response = setup.client.post(
        reverse("admin:agencies_agency_add"),
        {
            "name": "Sở Mới",
            "code": "000.00.77.H48",
            "kind": AgencyKind.DEPARTMENT,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    created = Agency.objects.get(code="000.00.77.H48")
    assert Group.objects.filter(name=agency_group_name(created, Role.SPECIALIST)).exists()


def test_revoking_the_last_administrator_role_removes_admin_site_access(setup: Setup) -> None:
    from tthc_portal.agencies.services import membership_grant, membership_revoke

    user = StaffFactory()
    membership = membership_grant(actor=setup.admin, user=user, agency=setup.a,
                                  role=Role.ADMINISTRATOR)  # fmt: skip
    assert fresh(user).is_staff

    membership_revoke(actor=setup.admin, membership=membership)

    assert not fresh(user).is_staff


def test_the_services_work_on_an_install_that_never_set_up_roles(client: Client) -> None:
    from tthc_portal.agencies.services import membership_grant, membership_revoke

    agency = AgencyFactory()
    user = StaffFactory()
    Group.objects.all().delete()

    membership = membership_grant(actor=None, user=user, agency=agency, role=Role.DESK_OFFICER)
    assert list(agencies_for_user(fresh(user), "receive_dossiers")) == [agency]
    membership_revoke(actor=None, membership=membership)
    assert not group_names(fresh(user))


def test_the_user_admin_offers_no_direct_groups_or_permissions(setup: Setup) -> None:
    page = setup.client.get(reverse("admin:accounts_user_change", args=[setup.admin.pk]))
    assert page.status_code == 200
    fields = page.context["adminform"].form.fields
    assert "groups" not in fields and "user_permissions" not in fields
