"""The demo province: agencies, one account per role per sample agency, calendar.

Idempotent: running it again updates in place and creates nothing twice.
Domain apps add their own demo data through ``DEMO_STEPS`` in the
``seed_demo`` command, always through their services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from tthc_portal.accounts.models import UserKind
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency, AgencyKind, OneStopDesk
from tthc_portal.agencies.services import agency_groups_sync, membership_grant, roles_sync
from tthc_portal.workdays import services as workdays

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - printed for the demo; never used in production
# Nguyễn Văn An's phone, used by the README and the tests; before each applicant
# had a number of their own, every demo applicant was seeded with it.
CITIZEN_PHONE = "0912345678"
PROVINCE_CODE = "000.00.00.H99"

# (code, name, short name, kind); the parent of all is the province.
DEPARTMENTS = [
    ("000.00.01.H99", "Văn phòng UBND tỉnh", "VP", AgencyKind.PROVINCIAL_OFFICE),
    ("000.00.10.H99", "Sở Tư pháp", "STP", AgencyKind.DEPARTMENT),
    ("000.00.11.H99", "Sở Y tế", "SYT", AgencyKind.DEPARTMENT),
    ("000.00.12.H99", "Sở Nông nghiệp và Môi trường", "SNNMT", AgencyKind.DEPARTMENT),
    ("000.00.13.H99", "Sở Khoa học và Công nghệ", "SKHCN", AgencyKind.DEPARTMENT),
    ("000.00.14.H99", "Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", AgencyKind.DEPARTMENT),
    ("000.00.15.H99", "Sở Xây dựng", "SXD", AgencyKind.DEPARTMENT),
    ("000.00.16.H99", "Sở Nội vụ", "SNV", AgencyKind.DEPARTMENT),
    ("000.00.17.H99", "Sở Dân tộc và Tôn giáo", "SDTTG", AgencyKind.DEPARTMENT),
    ("000.00.18.H99", "Ban Quản lý các Khu công nghiệp tỉnh", "BQLKCN", AgencyKind.AUTHORITY),
]
COMMUNES = [
    ("000.21.00.H99", "UBND phường Phố Hiến", "PH"),
    ("000.22.00.H99", "UBND xã Tân Lập", "TL"),
    ("000.23.00.H99", "UBND xã Hòa Bình", "HB"),
]
# Communes merged on 1 July 2025: the old units stay for old records.
MERGED_INTO = {
    "000.22.00.H99": [
        ("000.31.00.H99", "UBND xã Tân Lập (cũ)"),
        ("000.32.00.H99", "UBND xã Tân Tiến (cũ)"),
    ]
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str | None  # None = applicant
    agency_code: str | None
    title: str = ""
    personal_id_number: str | None = None
    tax_code: str | None = None
    # Applicants only, one number each: the kiosk and the public lookup tell
    # dossiers apart by code and phone, so a shared number lets one demo
    # citizen rate or look up another's dossier.
    phone: str = ""


ACCOUNTS = [
    DemoAccount(
        "quantri", "Nguyễn Quản Trị", Role.ADMINISTRATOR, PROVINCE_CODE, "Quản trị hệ thống"
    ),
    DemoAccount(
        "vanphong",
        "Trần Thị Kiểm Soát",
        Role.PROVINCIAL_STAFF,
        PROVINCE_CODE,
        "Chuyên viên Phòng Kiểm soát TTHC",
    ),
    DemoAccount(
        "motcua.tuphap",
        "Lê Văn Tiếp Nhận",
        Role.DESK_OFFICER,
        "000.00.10.H99",
        "Công chức Bộ phận Một cửa",
    ),
    DemoAccount(
        "chuyenvien.tuphap", "Phạm Thị Thụ Lý", Role.SPECIALIST, "000.00.10.H99", "Chuyên viên"
    ),
    DemoAccount(
        "lanhdao.tuphap", "Hoàng Văn Giám Đốc", Role.DEPARTMENT_HEAD, "000.00.10.H99", "Giám đốc Sở"
    ),
    DemoAccount(
        "motcua.yte",
        "Vũ Thị Một Cửa",
        Role.DESK_OFFICER,
        "000.00.11.H99",
        "Công chức Bộ phận Một cửa",
    ),
    DemoAccount("chuyenvien.yte", "Đỗ Văn Chuyên", Role.SPECIALIST, "000.00.11.H99", "Chuyên viên"),
    DemoAccount(
        "lanhdao.yte", "Bùi Thị Lãnh Đạo", Role.DEPARTMENT_HEAD, "000.00.11.H99", "Phó Giám đốc Sở"
    ),
    DemoAccount(
        "motcua.phohien",
        "Ngô Văn Phường",
        Role.DESK_OFFICER,
        "000.21.00.H99",
        "Công chức Một cửa phường",
    ),
    DemoAccount(
        "chuyenvien.phohien",
        "Đặng Thị Tư Pháp",
        Role.SPECIALIST,
        "000.21.00.H99",
        "Công chức Tư pháp - Hộ tịch",
    ),
    DemoAccount(
        "lanhdao.phohien",
        "Lý Văn Chủ Tịch",
        Role.DEPARTMENT_HEAD,
        "000.21.00.H99",
        "Chủ tịch UBND phường",
    ),
    DemoAccount(
        "001085012345",
        "Nguyễn Văn An",
        None,
        None,
        personal_id_number="001085012345",
        phone=CITIZEN_PHONE,
    ),
    DemoAccount(
        "036190004567",
        "Trần Thị Bình",
        None,
        None,
        personal_id_number="036190004567",
        phone="0978190456",
    ),
    # The same number as this tax code's identity at the demo national sign-on.
    DemoAccount(
        "0101234567", "Công ty TNHH Demo", None, None, tax_code="0101234567", phone="02213555777"
    ),
]


@transaction.atomic
def seed_agencies() -> dict[str, Agency]:
    desk_province, _ = OneStopDesk.objects.update_or_create(
        name="Trung tâm Phục vụ hành chính công tỉnh",
        defaults={
            "address": "Số 2 đường Chùa Chuông, phường Phố Hiến",
            "phone": "0221 3 555 666",
            "opening_hours": "Sáng 08:00–12:00, chiều 13:00–17:00, thứ Hai đến thứ Sáu",
        },
    )
    province, _ = Agency.objects.update_or_create(
        code=PROVINCE_CODE,
        defaults={
            "name": "UBND tỉnh Demo",
            "short_name": "UBND tỉnh",
            "kind": AgencyKind.PROVINCE,
            "one_stop_desk": desk_province,
        },
    )
    agencies = {PROVINCE_CODE: province}
    for code, name, short, kind in DEPARTMENTS:
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "parent": province,
                "one_stop_desk": desk_province,
            },
        )
    for code, name, short in COMMUNES:
        desk, _ = OneStopDesk.objects.update_or_create(
            name=f"Bộ phận Một cửa {name.removeprefix('UBND ')}",
            defaults={"address": name.removeprefix("UBND "), "opening_hours": "08:00–17:00"},
        )
        agencies[code], _ = Agency.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "kind": AgencyKind.COMMUNE,
                "parent": province,
                "one_stop_desk": desk,
            },
        )
    for successor_code, olds in MERGED_INTO.items():
        for code, name in olds:
            old, _ = Agency.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "kind": AgencyKind.COMMUNE,
                    "parent": province,
                    "is_active": False,
                },
            )
            agencies[successor_code].replaced.add(old)
    roles_sync()
    for agency in Agency.objects.order_by("path"):
        agency_groups_sync(agency)
    return agencies


@transaction.atomic
def seed_accounts(agencies: dict[str, Agency]) -> list[DemoAccount]:
    user_model = get_user_model()
    staff = []
    for spec in ACCOUNTS:
        kind = (
            UserKind.STAFF
            if spec.role
            else UserKind.ORGANISATION
            if spec.tax_code
            else UserKind.CITIZEN
        )
        user, created = user_model.objects.get_or_create(
            username=spec.username,
            defaults={
                "full_name": spec.full_name,
                "kind": kind,
                "personal_id_number": spec.personal_id_number,
                "tax_code": spec.tax_code,
                "email": f"{spec.username}@demo.tthc.local",
                "phone": spec.phone,
                "address": "Phường Phố Hiến, tỉnh Demo" if kind != UserKind.STAFF else "",
                "is_superuser": spec.role == Role.ADMINISTRATOR,
                "is_staff": spec.role == Role.ADMINISTRATOR,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        elif spec.phone and user.phone == CITIZEN_PHONE and user.phone != spec.phone:
            # A database seeded when all applicants shared one number; a number
            # the user has changed since is theirs and stays.
            user.phone = spec.phone
            user.save(update_fields=["phone"])
        if spec.role:
            membership_grant(
                actor=None,
                user=user,
                agency=agencies[spec.agency_code],
                role=spec.role,
                title=spec.title,
            )
            staff.append(user)
    # Staff sign in with a second factor: an authenticator app with a known demo secret.
    from tthc_portal.accounts.second_factor.demo import demo_second_factor_seed

    demo_second_factor_seed(staff)
    return ACCOUNTS


def seed_reference_data() -> None:
    """Configuration rows the data migrations create; restored after a flush."""
    from dossiers.defaults import ensure_defaults as dossier_defaults
    from feedback.defaults import ensure_all as feedback_defaults
    from procedures.defaults import ensure_defaults as procedure_defaults

    procedure_defaults()
    dossier_defaults()
    feedback_defaults()


def seed_calendar() -> int:
    """The official file is installed by ``migrate``; the demo adds 2027.

    2027 is not in the official file yet: the demo fills it from the
    ``holidays`` package so deadlines around Tết 2027 look right.
    """
    from tthc_portal.workdays.models import CalendarException
    from tthc_portal.workdays.official import calendar_install_official

    calendar_install_official()
    workdays.calendar_fill_from_package([2027])
    return CalendarException.objects.count()


def seed_procedures() -> dict:
    """The 63 real procedures of the sample file, published in the demo catalogue."""
    import json

    from django.conf import settings

    from procedures.services.importing import procedures_import

    with open(settings.TTHC["PROCEDURES_SAMPLE_FILE"], encoding="utf-8") as handle:
        rows = json.load(handle)["procedures"]
    return procedures_import(rows, actor=None, publish_new=True).as_dict()
