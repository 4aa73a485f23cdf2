"""Demo publication tasks in every state, made through the services.

Dates are relative to today so the board always shows something on time,
due soon, overdue and done late. Idempotent: a decision number already on
file is skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.workdays.services import get_calendar

from .models import ChangeType, MinistryDecision, Procedure
from .services.publication import (
    ItemInput,
    item_start_draft,
    ministry_decision_record,
    publication_tasks_sweep,
    shift_working_days,
    task_chairman_decision_record,
    version_transition_in_task,
)
from .services.versions import version_update

HEALTH, JUSTICE = "000.00.11.H99", "000.00.10.H99"
STAFF = {
    HEALTH: ("chuyenvien.yte", "lanhdao.yte"),
    JUSTICE: ("chuyenvien.tuphap", "lanhdao.tuphap"),
}


# The published demo tasks also make their procedure complete enough to be
# submitted online in the demo (the sample decisions are list-type: their
# details live on the national database). Amounts are marked illustrative.
ONLINE_DEMO = {
    "2.000894": {
        "components": [
            "Văn bản đề nghị miễn nhiệm giám định viên tư pháp",
            "Văn bản, giấy tờ chứng minh thuộc trường hợp miễn nhiệm",
        ],
        "fee": (100_000, 50_000),
    },
    "1.014010": {
        "components": [
            "Đơn đề nghị cấp giấy phép hoạt động hỗ trợ nạn nhân",
            "Bản sao quyết định thành lập cơ sở",
        ],
        "fee": None,
    },
}


@dataclass(frozen=True)
class DemoTask:
    number: str
    ministry: str
    agency: str
    code: str
    change: str
    age_working_days: int  # how long ago the ministry decided
    stage: str  # open | drafting | submitted | approved | published
    decided_after: int = 0  # working days after the ministry decision the chairman signed


DEMO_TASKS = [
    DemoTask("1201/QĐ-BYT", "Bộ Y tế", HEALTH, "1.013814", ChangeType.AMENDED, 10, "open"),
    DemoTask("1245/QĐ-BYT", "Bộ Y tế", HEALTH, "1.013817", ChangeType.AMENDED, 3, "drafting"),
    DemoTask("88/QĐ-BTP", "Bộ Tư pháp", JUSTICE, "1.001216", ChangeType.AMENDED, 2, "submitted"),
    DemoTask("1260/QĐ-BYT", "Bộ Y tế", HEALTH, "2.000025", ChangeType.AMENDED, 4, "approved"),
    DemoTask("1102/QĐ-BYT", "Bộ Y tế", HEALTH, "1.014010", ChangeType.AMENDED, 12, "published", 3),
    DemoTask(
        "61/QĐ-BTP", "Bộ Tư pháp", JUSTICE, "2.000894", ChangeType.STANDARDISED, 20, "published", 9
    ),
]


def _complete(version, actor, code: str = ""):
    """Fill the parts list-type imports lack and a workflow that adds up."""
    online = ONLINE_DEMO.get(code)
    limit = version.time_limit or Decimal(5)
    steps = [
        ("Tiếp nhận, kiểm tra, chuyển hồ sơ", Role.DESK_OFFICER, Decimal("0.5"), True),
        ("Thẩm định, dự thảo kết quả", Role.SPECIALIST, limit - 2, True),
        ("Lãnh đạo xem xét, ký duyệt", Role.DEPARTMENT_HEAD, Decimal(1), True),
        ("Văn thư vào sổ, đóng dấu", Role.SPECIALIST, Decimal("0.5"), True),
        ("Trả kết quả", Role.DESK_OFFICER, Decimal(0), False),
    ]
    content = {
        "steps_text": version.steps_text or "Nộp hồ sơ; tiếp nhận; thẩm định; trả kết quả.",
        "applicant_types": version.applicant_types or ["citizen", "organisation"],
        "time_unit": "working_days",
        "time_text": f"{limit.normalize():f} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
    }
    components = ["Đơn đề nghị theo mẫu"]
    fees = []
    if online:
        content.update(online_level="full", channel_online=True, full_online_eligible=True)
        components = online["components"]
        if online["fee"]:
            amount, online_amount = online["fee"]
            fees = [
                {
                    "kind": "charge",
                    "name": "Lệ phí",
                    "amount_vnd": amount,
                    "online_amount_vnd": online_amount,
                    "note": "Mức thu minh họa của dữ liệu mẫu; nộp trực tuyến giảm 50%.",
                }
            ]
    return version_update(
        actor=actor,
        version=version,
        content=content,
        children={
            "fees": fees,
            "components": [
                {"order": i, "name": name, "count": 1}
                for i, name in enumerate(components, start=1)
            ],
            "steps": [
                {"order": i, "name": name, "actor_role": role, "budget": budget,
                 "citizen_status_text": name, "counted": counted}
                for i, (name, role, budget, counted) in enumerate(steps, start=1)
            ],
        },
    )  # fmt: skip


def seed_publication_tasks(today: date | None = None) -> int:
    users = get_user_model().objects.in_bulk(
        ["vanphong", *[u for pair in STAFF.values() for u in pair]], field_name="username"
    )
    if len(users) < 5:
        return 0
    today = today or timezone.localdate()
    calendar = get_calendar()
    created = 0
    for spec in DEMO_TASKS:
        if MinistryDecision.objects.filter(number=spec.number).exists():
            continue
        procedure = Procedure.objects.filter(code=spec.code).first()
        if procedure is None or procedure.current_version_id is None:
            continue
        agency = Agency.objects.get(code=spec.agency)
        specialist, head = (users[name] for name in STAFF[spec.agency])
        decided = shift_working_days(calendar, today, -spec.age_working_days)
        decision = ministry_decision_record(
            actor=users["vanphong"], number=spec.number, decision_date=decided,
            issuing_body=spec.ministry, legal_basis_effective_date=None,
            summary="Sửa đổi, bổ sung thủ tục hành chính (dữ liệu mẫu)",
            items=[ItemInput(spec.change, agency, spec.code)],
        )  # fmt: skip
        created += 1
        task = decision.tasks.get()
        if spec.stage == "open":
            continue
        version = item_start_draft(actor=specialist, item=task.items.get())
        version = _complete(version, specialist, spec.code)
        if spec.stage == "drafting":
            continue
        version_transition_in_task(actor=specialist, version=version, action="submit")
        if spec.stage == "submitted":
            continue
        version_transition_in_task(actor=head, version=version, action="approve")
        if spec.stage == "approved":
            continue
        signed = shift_working_days(calendar, decided, spec.decided_after)
        task_chairman_decision_record(
            actor=users["vanphong"], task=task, number=f"{700 + created}/QĐ-UBND",
            decision_date=signed, effective_date=signed, today=today,
        )  # fmt: skip
    publication_tasks_sweep(today=today)
    return created
