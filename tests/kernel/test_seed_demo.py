"""`manage.py seed_demo`: the demo province, idempotent, every role signs in."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from guardian.models import GroupObjectPermission, UserObjectPermission

from portal_site import demo
from tthc_portal.accounts.models import UserKind
from tthc_portal.agencies.models import Agency, OneStopDesk, StaffMembership
from tthc_portal.agencies.selectors import agencies_for_user, user_roles
from tthc_portal.audit.models import AuditEvent
from tthc_portal.workdays.models import CalendarException

STAFF = [spec for spec in demo.ACCOUNTS if spec.role]
APPLICANTS = [spec for spec in demo.ACCOUNTS if not spec.role]


@pytest.fixture(scope="module")
def seed_output(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Seed once for the module inside a transaction rolled back at the end.

    Each test still runs in its own savepoint (pytest-django's ``db``), so the
    tests cannot see each other's changes, and later modules see none of this.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("seed_demo", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(seed_output: str, db) -> str:
    return seed_output


def snapshot() -> dict[str, int]:
    return {
        "users": get_user_model().objects.count(),
        "agencies": Agency.objects.count(),
        "desks": OneStopDesk.objects.count(),
        "memberships": StaffMembership.objects.count(),
        "calendar exceptions": CalendarException.objects.count(),
        "groups": Group.objects.count(),
        "group object perms": GroupObjectPermission.objects.count(),
        "user object perms": UserObjectPermission.objects.count(),
        "membership audit events": AuditEvent.objects.filter(action="membership.grant").count(),
        "merger links": sum(agency.replaced.count() for agency in Agency.objects.all()),
    }


def test_second_run_creates_nothing(seeded: str) -> None:
    first = snapshot()
    assert first["users"] >= len(demo.ACCOUNTS)
    assert first["agencies"] >= 1 + len(demo.DEPARTMENTS) + len(demo.COMMUNES)
    assert first["memberships"] >= len(STAFF)
    assert first["calendar exceptions"] > 0
    assert first["membership audit events"] == first["memberships"]

    call_command("seed_demo", stdout=StringIO())

    assert snapshot() == first


def test_output_lists_every_demo_account_and_the_password(seeded: str) -> None:
    assert demo.DEMO_PASSWORD == "Demo@2026"
    assert demo.DEMO_PASSWORD in seeded
    for spec in demo.ACCOUNTS:
        assert spec.username in seeded

    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert demo.DEMO_PASSWORD in again.getvalue()
    assert all(spec.username in again.getvalue() for spec in demo.ACCOUNTS)


def test_demo_accounts_sign_in_with_the_demo_password(seeded: str) -> None:
    for spec in demo.ACCOUNTS:
        identifier = spec.personal_id_number or spec.tax_code or spec.username
        user = authenticate(username=identifier, password=demo.DEMO_PASSWORD)
        assert user is not None, spec.username
        assert user.username == spec.username


def test_rerun_keeps_a_changed_password(seeded: str) -> None:
    user = get_user_model().objects.get(username="001085012345")
    user.set_password("Mat-khau-moi-2026")
    user.save()

    call_command("seed_demo", stdout=StringIO())

    user.refresh_from_db()
    assert user.check_password("Mat-khau-moi-2026")


@pytest.mark.parametrize("spec", STAFF, ids=lambda spec: spec.username)
def test_each_staff_account_holds_its_role(seeded: str, spec: demo.DemoAccount) -> None:
    user = get_user_model().objects.get(username=spec.username)

    assert user.kind == UserKind.STAFF
    assert user_roles(user) == {spec.role}
    membership = StaffMembership.objects.get(user=user)
    assert membership.agency.code == spec.agency_code
    assert membership.role == spec.role
    assert membership.title == spec.title
    assert spec.agency_code in set(agencies_for_user(user).values_list("code", flat=True))


@pytest.mark.parametrize("spec", APPLICANTS, ids=lambda spec: spec.username)
def test_applicants_hold_no_role(seeded: str, spec: demo.DemoAccount) -> None:
    user = get_user_model().objects.get(username=spec.username)

    assert user.is_applicant
    assert user.kind == (UserKind.ORGANISATION if spec.tax_code else UserKind.CITIZEN)
    assert user.identifier == (spec.personal_id_number or spec.tax_code)
    assert user_roles(user) == set()
    assert not agencies_for_user(user).exists()
    assert not user.is_staff
    assert not user.is_superuser


def test_department_staff_see_only_their_department(seeded: str) -> None:
    for username, code in (
        ("motcua.tuphap", "000.00.10.H99"),
        ("chuyenvien.yte", "000.00.11.H99"),
        ("lanhdao.phohien", "000.21.00.H99"),
    ):
        user = get_user_model().objects.get(username=username)
        assert list(agencies_for_user(user).values_list("code", flat=True)) == [code]


def test_provincial_office_sees_every_active_agency(seeded: str) -> None:
    vanphong = get_user_model().objects.get(username="vanphong")
    visible = set(agencies_for_user(vanphong))

    assert set(Agency.objects.filter(is_active=True)) <= visible
    # Units merged away stay visible for their old records.
    province = Agency.objects.get(code=demo.PROVINCE_CODE)
    assert visible == set(province.subtree())
    assert visible == set(Agency.objects.all())
    for perm in ("control_publication", "view_indicators", "publish_indicators"):
        assert set(agencies_for_user(vanphong, perm)) == visible


def test_administrator_is_a_superuser_over_everything(seeded: str) -> None:
    quantri = get_user_model().objects.get(username="quantri")

    assert quantri.is_superuser
    assert quantri.is_staff
    assert set(agencies_for_user(quantri, "approve_dossiers")) == set(Agency.objects.all())


def test_agency_tree_and_mergers(seeded: str) -> None:
    province = Agency.objects.get(code=demo.PROVINCE_CODE)
    assert province.parent is None
    for code, *_ in demo.DEPARTMENTS + demo.COMMUNES:
        agency = Agency.objects.get(code=code)
        assert agency.parent == province
        assert agency.path == f"{province.path}{agency.pk}/"
        assert agency.is_active
        assert agency.one_stop_desk is not None

    for successor_code, olds in demo.MERGED_INTO.items():
        successor = Agency.objects.get(code=successor_code)
        for code, _name in olds:
            old = Agency.objects.get(code=code)
            assert not old.is_active
            assert old.current() == successor


def test_guardian_permissions_go_to_groups_only(seeded: str) -> None:
    assert UserObjectPermission.objects.count() == 0
    assert GroupObjectPermission.objects.exists()
