"""Pick the load test's users and data and write them to a JSON file for Locust.

    DJANGO_SETTINGS_MODULE=tthc_portal.settings.loadtest \
        python -m benchmarks.loadtest.prepare plan.json

Sessions are created the way a sign-in leaves them (staff: second factor
verified; citizens: VNeID level 2), so the load is the work itself, not a
login storm through the national sign-on that a simulator would answer.
Desk officers get disjoint lists of waiting online dossiers of their own unit,
so two virtual officers never race for one dossier.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import django

CITIZENS = 60
SPECIALISTS = 12
HEADS = 6
DESK_UNITS = 6
DASHBOARD_USERS = 2
SEARCH_TERMS = [
    "khai sinh",
    "ho kinh doanh",
    "đăng ký kết hôn",
    "cấp phép xây dựng",
    "lý lịch tư pháp",
    "đất đai",
    "giấy phép lái xe",
    "thành lập doanh nghiệp",
]


def _session(user, *, staff: bool) -> str:
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tthc_portal.accounts.oidc.assurance import SESSION_KEY as ASSURANCE_KEY
    from tthc_portal.accounts.second_factor import services as second_factor

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    # The backend a password or national sign-in records (axes only guards).
    store[BACKEND_SESSION_KEY] = "tthc_portal.accounts.backends.IdentifierBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if staff:
        device = second_factor.totp_device_for(user) or TOTPDevice.objects.create(
            user=user, name="loadtest", confirmed=True
        )
        second_factor.second_factor_session_mark(store, device)
    else:
        store[ASSURANCE_KEY] = {
            "vneid_verified": True,
            "assurance_level": "2",
            "subject": user.username,
            "national_account_id": "",
            "id_token": "",
        }
    store.create()
    return store.session_key


def _citizens() -> list:
    from django.contrib.auth import get_user_model

    users = []
    model = get_user_model()
    for n in range(CITIZENS):
        number = f"0{n + 1:02d}19{n:07d}"[:12]
        user, _created = model.objects.get_or_create(
            username=number,
            defaults={
                "kind": "citizen",
                "personal_id_number": number,
                "full_name": f"Công dân thử tải {n + 1}",
                "phone": f"09{n:08d}",
                "address": "Số 1 đường Thử Tải, phường Phố Hiến",
            },
        )
        users.append(user)
    return users


def _online_procedures() -> list[int]:
    from procedures.models import ComponentRequirement, Procedure

    with_slots = ComponentRequirement.objects.filter(required=True).values("version_id")
    rows = Procedure.objects.filter(
        current_version__online_level="full",
        current_version__channel_online=True,
        current_version__in=with_slots,
    ).values_list("pk", flat=True)
    return list(rows[:40])


def _desk_queues() -> list[tuple[Any, list[int]]]:
    from django.db.models import Count

    from dossiers.models import Dossier, Status
    from tthc_portal.accounts.roles import Role
    from tthc_portal.agencies.models import Agency
    from tthc_portal.agencies.selectors import staff_with_role

    busiest = (
        Dossier.objects.filter(status=Status.SUBMITTED)
        .values("receiving_agency")
        .annotate(n=Count("pk"))
        .order_by("-n")[:DESK_UNITS]
    )
    queues = []
    for row in busiest:
        agency = Agency.objects.get(pk=row["receiving_agency"])
        officers = list(staff_with_role(agency, Role.DESK_OFFICER).order_by("pk")[:2])
        waiting = list(
            Dossier.objects.filter(status=Status.SUBMITTED, receiving_agency=agency)
            .order_by("pk")
            .values_list("pk", flat=True)[:2000]
        )
        for index, officer in enumerate(officers):
            queues.append((officer, waiting[index :: len(officers)]))
    return queues


def main(out: str) -> None:
    django.setup()
    from django.db.models import Count

    from dossiers.models import Dossier, DossierStep
    from procedures.models import Procedure
    from tthc_portal.accounts.roles import Role
    from tthc_portal.agencies.models import Agency
    from tthc_portal.agencies.selectors import staff_with_role

    open_steps = DossierStep.objects.filter(completed_at__isnull=True)
    specialists = [
        row["assignee"]
        for row in open_steps.filter(role=Role.SPECIALIST)
        .values("assignee")
        .annotate(n=Count("pk"))
        .order_by("-n")[:SPECIALISTS]
    ]
    units = [
        row["agency"]
        for row in open_steps.values("agency").annotate(n=Count("pk")).order_by("-n")[:HEADS]
    ]
    heads = [
        staff_with_role(Agency.objects.get(pk=unit), Role.DEPARTMENT_HEAD).first() for unit in units
    ]
    from django.contrib.auth import get_user_model

    model = get_user_model()
    dashboard = (
        list(
            model.objects.filter(kind="staff", memberships__role=Role.PROVINCIAL_STAFF).distinct()[
                :DASHBOARD_USERS
            ]
        )
        or [h for h in heads if h][:DASHBOARD_USERS]
    )
    plan = {
        "specialists": [_session(u, staff=True) for u in model.objects.filter(pk__in=specialists)],
        "heads": [_session(u, staff=True) for u in heads if u is not None],
        "dashboard": [_session(u, staff=True) for u in dashboard],
        "desk": [
            {"session": _session(officer, staff=True), "dossiers": waiting}
            for officer, waiting in _desk_queues()
            if waiting
        ],
        "citizens": [_session(u, staff=False) for u in _citizens()],
        "online_procedures": _online_procedures(),
        "procedures": list(
            Procedure.objects.filter(current_version__isnull=False)
            .order_by("?")
            .values_list("pk", flat=True)[:500]
        ),
        "lookup_tokens": list(
            Dossier.objects.order_by("?").values_list("lookup_token", flat=True)[:500]
        ),
        "search_terms": SEARCH_TERMS,
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(plan, handle)
    waiting = sum(len(desk["dossiers"]) for desk in plan["desk"])
    print(
        f"plan: {len(plan['specialists'])} specialists, {len(plan['heads'])} heads, "
        f"{len(plan['desk'])} desk officers ({waiting} waiting dossiers), "
        f"{len(plan['citizens'])} citizens, {len(plan['online_procedures'])} online "
        f"procedures, {len(plan['dashboard'])} dashboard users"
    )


if __name__ == "__main__":
    main(sys.argv[1])
