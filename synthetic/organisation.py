"""The province's units and people: departments, communes, officers, citizens.

Units are created only when missing (by code) and get their per-agency role
groups through ``agency_groups_sync``; officers are inserted in bulk and made
members through ``membership_grant``, so guardian's per-agency groups hold
their permissions exactly as for a real account and the worklists' scoping
is the real one.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from tthc_portal.accounts.models import UserKind
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency, AgencyKind, StaffMembership
from tthc_portal.agencies.selectors import province_root
from tthc_portal.agencies.services import agency_groups_sync, membership_grant, roles_sync

from . import names, profile

# Printed for the demo, like portal_site.demo; never used in production.
PASSWORD = "Demo@2026"  # noqa: S105
CITIZEN_PREFIX = "099"  # 12-digit usernames 099xxxxxxxxx: clear of real-looking IDs
BENCH_PROVINCE = "000.00.00.B99"
ROLE_PREFIX = {Role.DESK_OFFICER: "motcua", Role.SPECIALIST: "chuyenvien",
               Role.DEPARTMENT_HEAD: "lanhdao", Role.PROVINCIAL_STAFF: "vanphong"}  # fmt: skip


@dataclass
class Unit:
    id: int
    code: str
    name: str
    kind: str  # "department" | "commune"
    weight: float = 1.0
    desks: list[int] = field(default_factory=list)
    specialists: list[int] = field(default_factory=list)
    heads: list[int] = field(default_factory=list)
    # Cumulative weights so a few specialists carry more of the load (Zipf-like).
    specialist_cum: list[float] = field(default_factory=list)


@dataclass
class Citizen:
    id: int
    name: str
    id_number: str
    phone: str
    email: str


@dataclass
class Organisation:
    province: Agency
    departments: list[Unit]
    communes: list[Unit]
    names: dict[int, str]  # officer id → full name
    citizens: list[Citizen] = field(default_factory=list)

    def unit(self, agency_id: int) -> Unit:
        return self._by_id[agency_id]

    def __post_init__(self) -> None:
        self._by_id = {u.id: u for u in (*self.departments, *self.communes)}


def _department_kind(index: int) -> str:
    if index == 1:
        return AgencyKind.PROVINCIAL_OFFICE
    return (
        AgencyKind.AUTHORITY
        if "Ban Quản lý" in profile.DEPARTMENT_NAMES[index - 1]
        else (AgencyKind.DEPARTMENT)
    )


def _commune_names(count: int) -> list[str]:
    pairs = [(a, b) for a in profile.COMMUNE_FIRST for b in profile.COMMUNE_SECOND if a != b]
    random.Random(130).shuffle(pairs)
    result = []
    for n in range(count):
        a, b = pairs[n % len(pairs)]
        place = f"{a} {b}" + (f" {n // len(pairs) + 1}" if n >= len(pairs) else "")
        result.append(f"UBND {'phường' if n % 5 == 0 else 'xã'} {place}")
    return result


def _ensure_unit(code: str, name: str, kind: str, parent: Agency, created: list) -> Agency | None:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        agency = Agency(code=code, name=name, kind=kind, parent=parent)
        agency.save()  # computes the materialised path
        created.append(agency)
    return agency if agency.is_active else None


@transaction.atomic
def ensure_agencies(departments: int, communes: int) -> tuple[Agency, list[Agency], list[Agency]]:
    roles_sync()
    created: list[Agency] = []
    province = province_root()
    if province is None:
        province = Agency(code=BENCH_PROVINCE, name="UBND tỉnh Benchmark",
                          short_name="UBND tỉnh", kind=AgencyKind.PROVINCE)  # fmt: skip
        province.save()
        created.append(province)
    suffix = province.code.rsplit(".", 1)[-1]
    units = []
    for i in range(1, departments + 1):
        name = profile.DEPARTMENT_NAMES[(i - 1) % len(profile.DEPARTMENT_NAMES)]
        units.append(_ensure_unit(f"000.00.{i:02d}.{suffix}", name, _department_kind(i),
                                  province, created))  # fmt: skip
    commune_units = []
    for n, name in enumerate(_commune_names(communes)):
        code = f"000.{40 + n // 100}.{n % 100:02d}.{suffix}"
        commune_units.append(_ensure_unit(code, name, AgencyKind.COMMUNE, province, created))
    for agency in sorted(created, key=lambda a: a.path):
        agency_groups_sync(agency)
    return (
        province,
        [u for u in units if u is not None],
        [u for u in commune_units if u is not None],
    )


def _staff_spec(agency: Agency, kind: str) -> list[tuple[str, str, str]]:
    desk, specialists, heads = (
        profile.DEPARTMENT_STAFF if kind == "department" else profile.COMMUNE_STAFF
    )
    spec = []
    for role, count in ((Role.DESK_OFFICER, desk), (Role.SPECIALIST, specialists),
                        (Role.DEPARTMENT_HEAD, heads)):  # fmt: skip
        for n in range(1, count + 1):
            spec.append((f"{ROLE_PREFIX[role]}{n:02d}.{agency.code.lower()}", role, agency.code))
    return spec


@transaction.atomic
def ensure_officers(
    province: Agency, departments: list[Agency], communes: list[Agency], rng: random.Random,
    log: Callable[[str], None],
) -> Organisation:  # fmt: skip
    user_model = get_user_model()
    wanted: list[tuple[str, str, Agency]] = []
    for agency, kind in [*((d, "department") for d in departments),
                         *((c, "commune") for c in communes)]:  # fmt: skip
        wanted += [(username, role, agency) for username, role, _ in _staff_spec(agency, kind)]
    for n in range(1, profile.PROVINCIAL_STAFF + 1):
        username = f"{ROLE_PREFIX[Role.PROVINCIAL_STAFF]}{n:02d}.{province.code.lower()}"
        wanted.append((username, Role.PROVINCIAL_STAFF, province))
    existing = dict(
        user_model.objects.filter(username__in=[w[0] for w in wanted]).values_list("username", "pk")
    )
    password = make_password(PASSWORD)
    new_users = [
        user_model(username=username, full_name=names.person(rng), kind=UserKind.STAFF,
                   email=f"{username}@bench.tthc.local", password=password)
        for username, _role, _agency in wanted if username not in existing
    ]  # fmt: skip
    for start in range(0, len(new_users), 2000):
        user_model.objects.bulk_create(new_users[start : start + 2000])
    users = user_model.objects.in_bulk([w[0] for w in wanted], field_name="username")
    held = set(
        StaffMembership.objects.filter(user__in=users.values()).values_list(
            "user_id", "agency_id", "role"
        )
    )
    granted = 0
    for username, role, agency in wanted:
        user = users[username]
        if (user.pk, agency.pk, role) not in held:
            membership_grant(actor=None, user=user, agency=agency, role=role)
            granted += 1
    if new_users or granted:
        log(f"  officers: {len(new_users):,} accounts created, {granted:,} memberships granted")
    by_agency: dict[int, Unit] = {}
    for agency, kind in [*((d, "department") for d in departments),
                         *((c, "commune") for c in communes)]:  # fmt: skip
        by_agency[agency.pk] = Unit(agency.pk, agency.code, agency.name, kind)
    for username, role, agency in wanted:
        unit = by_agency.get(agency.pk)
        if unit is None:
            continue
        pk = users[username].pk
        {Role.DESK_OFFICER: unit.desks, Role.SPECIALIST: unit.specialists,
         Role.DEPARTMENT_HEAD: unit.heads}[role].append(pk)  # fmt: skip
    weights_rng = random.Random(3100)
    for unit in by_agency.values():
        total = 0.0
        for rank in range(1, len(unit.specialists) + 1):
            total += 1 / rank**0.6
            unit.specialist_cum.append(total)
        # Communes differ in population: a log-normal spread of volume.
        unit.weight = weights_rng.lognormvariate(0, 0.6) if unit.kind == "commune" else 1.0
    return Organisation(
        province=province,
        departments=[by_agency[d.pk] for d in departments],
        communes=[by_agency[c.pk] for c in communes],
        names={u.pk: u.full_name for u in users.values()},
    )


def ensure_citizens(organisation: Organisation, wanted: int, rng: random.Random, log) -> None:
    """Accounts for online applicants (they get the e-result in their data store)."""
    user_model = get_user_model()
    mine = user_model.objects.filter(
        kind=UserKind.CITIZEN, username__startswith=CITIZEN_PREFIX
    ).order_by("username")
    have = mine.count()
    if have < wanted:
        last = mine.values_list("username", flat=True).last()
        first = int(last[len(CITIZEN_PREFIX) :]) + 1 if last else 1
        password = make_password(PASSWORD)
        batch = []
        for n in range(first, first + wanted - have):
            username = f"{CITIZEN_PREFIX}{n:09d}"
            batch.append(user_model(
                username=username, personal_id_number=username, kind=UserKind.CITIZEN,
                full_name=names.person(rng), email=f"{username}@bench.tthc.local",
                phone=names.phone(rng), password=password,
            ))  # fmt: skip
            if len(batch) == 5000:
                user_model.objects.bulk_create(batch)
                batch = []
        user_model.objects.bulk_create(batch)
        log(f"  citizens: {wanted - have:,} accounts created")
    organisation.citizens = [
        Citizen(*row)
        for row in mine.values_list("pk", "full_name", "personal_id_number", "phone", "email")[
            :wanted
        ]
    ]
