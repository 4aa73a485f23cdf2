"""The agency tree: materialised paths, subtrees, mergers, memberships."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tests.factories import AgencyFactory, StaffFactory
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency, AgencyKind, StaffMembership

pytestmark = pytest.mark.django_db


def reload(agency: Agency) -> Agency:
    return Agency.objects.get(pk=agency.pk)


def test_path_is_materialised_on_create() -> None:
    province = AgencyFactory(kind=AgencyKind.PROVINCE)
    department = AgencyFactory(parent=province)
    division = AgencyFactory(kind=AgencyKind.DIVISION, parent=department)

    assert province.path == f"/{province.pk}/"
    assert department.path == f"/{province.pk}/{department.pk}/"
    assert division.path == f"/{province.pk}/{department.pk}/{division.pk}/"
    # Stored, not only set on the instance.
    assert reload(division).path == division.path


def test_saving_again_keeps_the_path() -> None:
    province = AgencyFactory(kind=AgencyKind.PROVINCE)
    department = AgencyFactory(parent=province)

    department.name = "Sở Tư pháp (đổi tên)"
    department.save()

    assert reload(department).path == f"/{province.pk}/{department.pk}/"


def test_subtree_is_re_rooted_when_the_parent_changes() -> None:
    old_root = AgencyFactory(kind=AgencyKind.PROVINCE)
    new_root = AgencyFactory(kind=AgencyKind.PROVINCE)
    department = AgencyFactory(parent=old_root)
    division = AgencyFactory(kind=AgencyKind.DIVISION, parent=department)
    team = AgencyFactory(kind=AgencyKind.DIVISION, parent=division)
    sibling = AgencyFactory(parent=old_root)

    department.parent = new_root
    department.save()

    assert reload(department).path == f"/{new_root.pk}/{department.pk}/"
    assert reload(division).path == f"/{new_root.pk}/{department.pk}/{division.pk}/"
    assert reload(team).path == f"/{new_root.pk}/{department.pk}/{division.pk}/{team.pk}/"
    assert reload(sibling).path == f"/{old_root.pk}/{sibling.pk}/"
    assert set(old_root.subtree()) == {old_root, sibling}
    assert set(new_root.subtree()) == {new_root, department, division, team}


def test_a_unit_moved_to_the_top_becomes_a_root() -> None:
    province = AgencyFactory(kind=AgencyKind.PROVINCE)
    department = AgencyFactory(parent=province)
    division = AgencyFactory(kind=AgencyKind.DIVISION, parent=department)

    department.parent = None
    department.save()

    assert reload(department).path == f"/{department.pk}/"
    assert reload(division).path == f"/{department.pk}/{division.pk}/"


def test_province_subtree_includes_departments_and_communes() -> None:
    province = AgencyFactory(kind=AgencyKind.PROVINCE)
    office = AgencyFactory(kind=AgencyKind.PROVINCIAL_OFFICE, parent=province)
    department = AgencyFactory(parent=province)
    division = AgencyFactory(kind=AgencyKind.DIVISION, parent=department)
    commune = AgencyFactory(kind=AgencyKind.COMMUNE, parent=province)
    other_province = AgencyFactory(kind=AgencyKind.PROVINCE)
    other_commune = AgencyFactory(kind=AgencyKind.COMMUNE, parent=other_province)

    subtree = set(province.subtree())

    assert subtree == {province, office, department, division, commune}
    assert other_commune not in subtree
    assert set(department.subtree()) == {department, division}
    assert set(commune.subtree()) == {commune}
    # Ordered by path: a parent always precedes its units.
    ordered = list(province.subtree())
    assert ordered[0] == province
    assert ordered.index(department) < ordered.index(division)


def test_subtree_does_not_match_ids_sharing_a_prefix() -> None:
    # "/7001/" must not match "/70012/": the trailing slash in the path matters.
    root = Agency.objects.create(pk=7001, name="Gốc 7001", code="T.7001", kind=AgencyKind.PROVINCE)
    lookalike = Agency.objects.create(
        pk=70012, name="Gốc 70012", code="T.70012", kind=AgencyKind.PROVINCE
    )
    child = AgencyFactory(parent=lookalike)

    assert root.path == "/7001/"
    assert set(root.subtree()) == {root}
    assert set(lookalike.subtree()) == {lookalike, child}


def test_current_follows_a_merger() -> None:
    province = AgencyFactory(kind=AgencyKind.PROVINCE)
    old_a = AgencyFactory(kind=AgencyKind.COMMUNE, parent=province, is_active=False)
    old_b = AgencyFactory(kind=AgencyKind.COMMUNE, parent=province, is_active=False)
    merged = AgencyFactory(kind=AgencyKind.COMMUNE, parent=province, valid_from=dt.date(2025, 7, 1))
    merged.replaced.add(old_a, old_b)

    assert old_a.current() == merged
    assert old_b.current() == merged
    assert merged.current() == merged
    assert set(merged.replaced.all()) == {old_a, old_b}
    assert list(old_a.successors.all()) == [merged]


def test_current_follows_a_chain_of_mergers() -> None:
    first = AgencyFactory(kind=AgencyKind.DISTRICT, is_active=False)
    second = AgencyFactory(kind=AgencyKind.COMMUNE, is_active=False)
    third = AgencyFactory(kind=AgencyKind.COMMUNE)
    second.replaced.add(first)
    third.replaced.add(second)

    assert first.current() == third
    assert second.current() == third


def test_current_prefers_the_most_recent_successor() -> None:
    old = AgencyFactory(kind=AgencyKind.COMMUNE, is_active=False)
    earlier = AgencyFactory(kind=AgencyKind.COMMUNE, valid_from=dt.date(2020, 1, 1))
    later = AgencyFactory(kind=AgencyKind.COMMUNE, valid_from=dt.date(2025, 7, 1))
    earlier.replaced.add(old)
    later.replaced.add(old)

    assert old.current() == later


def test_current_stops_on_cycles() -> None:
    a = AgencyFactory(kind=AgencyKind.COMMUNE)
    b = AgencyFactory(kind=AgencyKind.COMMUNE)
    c = AgencyFactory(kind=AgencyKind.COMMUNE)
    # a → b → c → a: bad data must not hang a report.
    b.replaced.add(a)
    c.replaced.add(b)
    a.replaced.add(c)

    assert a.current() == c
    assert b.current() == a
    assert c.current() == b


def test_current_of_a_self_replacing_unit_is_itself() -> None:
    a = AgencyFactory(kind=AgencyKind.COMMUNE)
    a.replaced.add(a)

    assert a.current() == a


def test_replaced_is_not_symmetrical() -> None:
    old = AgencyFactory(kind=AgencyKind.COMMUNE, is_active=False)
    new = AgencyFactory(kind=AgencyKind.COMMUNE)
    new.replaced.add(old)

    assert not old.replaced.exists()
    assert not new.successors.exists()


def test_membership_is_unique_per_user_agency_and_role() -> None:
    agency = AgencyFactory()
    other = AgencyFactory()
    user = StaffFactory()
    StaffMembership.objects.create(user=user, agency=agency, role=Role.SPECIALIST)

    with pytest.raises(IntegrityError), transaction.atomic():
        StaffMembership.objects.create(user=user, agency=agency, role=Role.SPECIALIST)

    # Another role in the same agency, or the same role elsewhere, is fine.
    StaffMembership.objects.create(user=user, agency=agency, role=Role.DEPARTMENT_HEAD)
    StaffMembership.objects.create(user=user, agency=other, role=Role.SPECIALIST)
    assert StaffMembership.objects.filter(user=user).count() == 3


def test_an_agency_with_members_cannot_be_deleted() -> None:
    agency = AgencyFactory()
    StaffMembership.objects.create(user=StaffFactory(), agency=agency, role=Role.DESK_OFFICER)

    with pytest.raises(ProtectedError):
        agency.delete()


def test_a_parent_with_units_cannot_be_deleted() -> None:
    province = AgencyFactory(kind=AgencyKind.PROVINCE)
    AgencyFactory(parent=province)

    with pytest.raises(ProtectedError):
        province.delete()
