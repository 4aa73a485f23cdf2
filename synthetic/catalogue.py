"""A province-sized catalogue: published procedures with internal workflows.

The procedures carry the national-looking codes ``9.NNNNNN`` that
``benchmarks/catalogue.py`` also uses: when that benchmark already created
its plain 2,000 procedures, the first ``PROCEDURES`` of them are given the
profile below in place (level, field, time limit, online level, fees,
components and an internal workflow whose budgets sum to the legal time) as
long as no dossier uses them yet, instead of building a second catalogue.
The rank in code order sets each procedure's share of the dossiers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from procedures.models import (
    ComponentRequirement,
    FeeItem,
    Field,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    WorkflowStep,
)
from tthc_portal.accounts.roles import Role
from tthc_portal.text import fold

from . import profile

CODE_PREFIX = "9."
COMMUNE_LEVELS = ("commune", "province_and_commune")
COMPONENT_NAMES = [
    "Tờ khai, đơn đề nghị (theo mẫu)", "Bản sao giấy tờ tùy thân của người đề nghị",
    "Giấy tờ chứng minh nơi cư trú", "Giấy chứng nhận quyền sử dụng đất",
    "Bản vẽ thiết kế, sơ đồ vị trí", "Giấy chứng nhận đăng ký doanh nghiệp",
    "Báo cáo, thuyết minh kèm theo", "Giấy khám sức khỏe", "Văn bằng, chứng chỉ chuyên môn",
    "Hợp đồng, giao dịch cần chứng thực", "Bản chính giấy tờ để đối chiếu",
]  # fmt: skip
GENERIC_NAMES = {
    "land": ["Đăng ký đất đai, tài sản gắn liền với đất", "Cấp giấy phép khai thác nước dưới đất",
             "Thẩm định báo cáo đánh giá tác động môi trường"],
    "construction": ["Cấp giấy phép xây dựng công trình", "Thẩm định thiết kế xây dựng",
                     "Cấp phép thi công nút giao đấu nối"],
    "industry": ["Cấp giấy chứng nhận đăng ký đầu tư", "Cấp giấy phép kinh doanh",
                 "Đăng ký thay đổi nội dung đăng ký doanh nghiệp"],
    "health": ["Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
               "Công bố đủ điều kiện mua bán thiết bị y tế",
               "Cấp giấy phép hoạt động cơ sở khám bệnh"],
    "education": ["Cho phép thành lập trung tâm ngoại ngữ", "Công nhận trường đạt chuẩn quốc gia",
                  "Chuyển trường cho học sinh"],
    "labour": ["Giải quyết chế độ trợ cấp", "Cấp giấy phép lao động", "Đăng ký nội quy lao động"],
    "justice": ["Cấp phiếu lý lịch tư pháp", "Bổ nhiệm công chứng viên",
                "Đăng ký hành nghề luật sư"],
    "culture": ["Cấp giấy phép tổ chức lễ hội", "Cấp phép kinh doanh dịch vụ karaoke",
                "Công nhận điểm du lịch"],
    "agriculture": ["Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
                    "Cấp giấy phép vận chuyển thuốc thú y", "Công nhận làng nghề"],
    "home": ["Thủ tục công nhận ban đại diện tổ chức tôn giáo", "Thi đua, khen thưởng",
             "Thành lập hội cấp tỉnh"],
}  # fmt: skip
STEP_NAMES = {
    "reception": "Tiếp nhận, kiểm tra, số hóa hồ sơ và chuyển xử lý",
    "assign": "Lãnh đạo đơn vị phân công chuyên viên thụ lý",
    "appraise": "Thẩm định hồ sơ, dự thảo kết quả giải quyết",
    "approve": "Lãnh đạo xem xét, phê duyệt và ký kết quả",
    "return": "Trả kết quả cho tổ chức, cá nhân",
}


@dataclass
class Design:
    name: str
    group: str
    level: str
    unit: str
    limit: Decimal | None
    mode: str = "working_hours"
    cutoff: time | None = None
    online: str = "none"
    eligible: bool = False
    postal: bool = False
    paper: bool = True
    department: int | None = None
    fees: list[dict] = field(default_factory=list)
    components: list[tuple[str, bool]] = field(default_factory=list)


def volume_weights(levels: list[str]) -> list[float]:
    """Each procedure's share of the dossiers: Zipf within the commune-level and the
    provincial group (78% / 22%), exponent chosen so the top 50 take about 70%."""
    groups = [lvl in COMMUNE_LEVELS for lvl in levels]

    def weights(s: float) -> list[float]:
        result, ranks, totals = [], [0, 0], [0.0, 0.0]
        for commune in groups:
            ranks[commune] += 1
            totals[commune] += 1 / ranks[commune] ** s
        ranks = [0, 0]
        for commune in groups:
            ranks[commune] += 1
            share = profile.COMMUNE_VOLUME_SHARE if commune else 1 - profile.COMMUNE_VOLUME_SHARE
            result.append(share * (1 / ranks[commune] ** s) / totals[commune])
        return result

    low, high = 0.3, 3.0
    for _ in range(40):
        middle = (low + high) / 2
        top = sum(sorted(weights(middle), reverse=True)[: profile.TOP_PROCEDURES])
        low, high = (middle, high) if top < profile.TOP_SHARE else (low, middle)
    found = weights((low + high) / 2)
    total = sum(found)
    return [w / total for w in found]


def legal_hours(unit: str, limit: Decimal | None) -> Decimal:
    if unit == "same_day":
        return Decimal(8)
    if unit == "immediate" or limit is None:
        return Decimal(0)
    return limit if unit == "working_hours" else limit * 8


def workflow(level: str, unit: str, limit: Decimal | None) -> list[tuple[str, str, Decimal, bool]]:
    """(name, role, budget hours, counted): counted budgets sum to the legal time."""
    total = legal_hours(unit, limit)
    if level == "province" and total >= 16:
        approve = Decimal(8) if total >= 40 else Decimal(4)
        plan = [("reception", Role.DESK_OFFICER, Decimal(4)),
                ("assign", Role.DEPARTMENT_HEAD, Decimal(4)),
                ("appraise", Role.SPECIALIST, total - 8 - approve),
                ("approve", Role.DEPARTMENT_HEAD, approve)]  # fmt: skip
    else:
        edge = Decimal(0) if total == 0 else Decimal(2) if total <= 8 else Decimal(4)
        if total < 8:
            edge = total / 4
        plan = [("reception", Role.DESK_OFFICER, edge),
                ("appraise", Role.SPECIALIST, total - 2 * edge),
                ("approve", Role.DEPARTMENT_HEAD, edge)]  # fmt: skip
    steps = [(STEP_NAMES[key], role, hours, True) for key, role, hours in plan]
    return [*steps, (STEP_NAMES["return"], Role.DESK_OFFICER, Decimal(0), False)]


def _time_design(rng: random.Random, design: Design) -> None:
    share, unit, limits = rng.choices(profile.TIME_LIMITS,
                                      weights=[t[0] for t in profile.TIME_LIMITS])[0]  # fmt: skip
    limit = rng.choice(limits)
    design.unit, design.limit = unit, None if limit is None else Decimal(limit)
    if unit == "working_days":
        roll = rng.random()
        if roll < profile.CALENDAR_DAYS_SHARE:
            design.unit = "days"
        elif roll < profile.CALENDAR_DAYS_SHARE + profile.WORKING_HOURS_SHARE:
            design.unit, design.limit = "working_hours", Decimal(rng.choice([4, 8, 16, 24]))
        elif rng.random() < profile.WHOLE_DAY_SHARE:
            design.mode = "whole_day"
    if unit == "same_day" and rng.random() < profile.CUTOFF_SHARE / share:
        design.cutoff = time(15, 0)


def _fee(rng: random.Random, amount: int) -> list[dict]:
    roll = rng.random()
    if roll < profile.FEE_TIERED:
        return [{"kind": "fee", "name": f"Phí thẩm định – trường hợp {n + 1}",
                 "amount": amount * (n + 1), "online": None, "unit": "hồ sơ",
                 "alternative": True} for n in range(rng.choice([2, 3]))]  # fmt: skip
    unit = rng.choice(["bản", "trang"]) if roll < profile.FEE_TIERED + profile.FEE_PER_UNIT else ""
    online = None
    if rng.random() < profile.FEE_ONLINE_DISCOUNT:
        online = amount // 2
    kind = rng.choice(["fee", "charge"])
    name = "Lệ phí" if kind == "charge" else "Phí thẩm định"
    return [{"kind": kind, "name": name, "amount": amount, "online": online, "unit": unit,
             "alternative": False}]  # fmt: skip


def design_catalogue(total: int) -> list[Design]:
    """The designed content of procedures 0…total-1 (deterministic)."""
    rng = random.Random(1900)
    scale = total / profile.PROCEDURES
    curated = [
        Design(name=n, group=g, level=lvl, unit=u, limit=None if lim is None else Decimal(lim),
               cutoff=time(15, 0) if cut else None, online=on,
               fees=[{"kind": "charge", "name": "Lệ phí", "amount": fee, "online": None,
                      "unit": "", "alternative": False}] if fee else [])
        for n, g, lvl, u, lim, cut, fee, on in profile.TOP_NAMES[: max(1, total // 3)]
    ]  # fmt: skip
    levels: list[str] = []
    for level, count in profile.LEVEL_COUNTS.items():
        levels += [level] * round(count * scale)
    for design in curated:
        if design.level in levels:
            levels.remove(design.level)
    rng.shuffle(levels)
    levels = levels[: total - len(curated)]
    designs = list(curated)
    group_weights = [g[2] for g in profile.FIELD_GROUPS]
    for index, level in enumerate(levels, start=len(curated)):
        group = rng.choices(profile.FIELD_GROUPS, weights=group_weights)[0][0]
        base = rng.choice(GENERIC_NAMES[group])
        design = Design(name=f"{base} (mẫu {index + 1})", group=group, level=level,
                        unit="working_days", limit=None)  # fmt: skip
        _time_design(rng, design)
        design.online = rng.choices([o for o, _ in profile.ONLINE_LEVELS],
                                    weights=[w for _, w in profile.ONLINE_LEVELS])[0]  # fmt: skip
        designs.append(design)
    groups = {g[0]: g for g in profile.FIELD_GROUPS}
    for design in designs:
        design.eligible = design.online == "full" or (
            design.online == "partial" and rng.random() < profile.PARTIAL_BUT_ELIGIBLE / 0.35
        )
        design.postal = rng.random() < 0.6
        design.paper = rng.random() < profile.PAPER_RESULT_SHARE
        if design.level == "province":
            design.department = rng.choice(groups[design.group][3])
        required = rng.choices([1, 2, 3, 4, 5], weights=[15, 30, 30, 15, 10])[0]
        names = rng.sample(COMPONENT_NAMES, required)
        design.components = [(name, True) for name in names]
        if rng.random() < 0.3:
            design.components.append(("Giấy ủy quyền (nếu nộp thay)", False))
    # Fees: 40% of procedures, chosen so that about 35% of the dossiers carry one.
    weights = volume_weights([d.level for d in designs])
    fee_volume, fee_count = 0.0, 0
    for design, weight in zip(curated, weights, strict=False):
        # The real fees of the busiest procedures count first, up to the dossier share.
        if design.fees and fee_volume + weight <= profile.FEE_DOSSIER_SHARE:
            fee_volume += weight
            fee_count += 1
        else:
            design.fees = []
    order = list(range(len(curated), len(designs)))
    rng.shuffle(order)
    for index in order:
        if fee_count >= profile.FEE_PROCEDURE_SHARE * total:
            break
        weight = weights[index]
        if fee_volume + weight <= profile.FEE_DOSSIER_SHARE or weight < 0.2 / total:
            designs[index].fees = _fee(rng, rng.choice(profile.FEE_AMOUNTS))
            fee_volume += weight
            fee_count += 1
    return designs


# --- the rows ------------------------------------------------------------------------------


@dataclass
class StepSpec:
    workflow_step_id: int
    order: int
    name: str
    role: str
    budget_hours: Decimal
    minutes: int
    counted: bool


@dataclass
class ProcedureInfo:
    """What the dossier generator needs of one procedure's version in force."""

    procedure_id: int
    version_id: int
    name: str
    level: str
    group: str
    agency_id: int | None
    time_limit: Decimal | None
    time_unit: str
    deadline_mode: str
    cutoff: time | None
    accepts_online: bool
    postal: bool
    paper_result: bool
    applicant_types: list[str]
    fees: list[tuple[int, str, str, int | None, int | None, bool]]
    requirements: list[tuple[int, str, bool]]
    steps: list[StepSpec]
    weight: float = 0.0


def _fields() -> dict[str, Field]:
    result = {}
    for key, name, _share, _departments in profile.FIELD_GROUPS:
        result[key], _ = Field.objects.get_or_create(code=f"NHOM-{key}", defaults={"name": name})
    return result


def _version_values(design: Design, fields: dict, departments: dict, procedure_code: str):
    agency = departments.get(design.department) if design.department else None
    field_obj = fields[design.group]
    time_text = {
        "same_day": "Trong ngày làm việc" + (" (sau 15 giờ: ngày làm việc tiếp theo)"
                                             if design.cutoff else ""),
        "immediate": "Ngay sau khi nhận đủ hồ sơ hợp lệ",
        "days": f"{design.limit} ngày",
        "working_hours": f"{design.limit} giờ làm việc",
    }.get(design.unit, f"{design.limit} ngày làm việc")  # fmt: skip
    agency_text = agency.name if agency else "UBND cấp xã"
    search = " ".join([design.name, procedure_code, field_obj.name, agency_text])
    return {
        "name": design.name, "name_folded": fold(design.name), "search_text": fold(search),
        "field_id": field_obj.pk, "level": design.level,
        "implementing_agency_id": agency.pk if agency else None,
        "implementing_agency_text": agency_text, "deciding_authority": agency_text,
        "time_limit": design.limit, "time_unit": design.unit, "deadline_mode": design.mode,
        "cutoff_time": design.cutoff, "time_text": time_text,
        "channel_in_person": True, "channel_online": design.online != "none",
        "channel_postal": design.postal,
        "channels_text": "Trực tiếp, trực tuyến hoặc qua bưu chính công ích",
        "online_level": design.online, "full_online_eligible": design.eligible,
        "paper_result": design.paper,
        "applicant_types": ["business", "organisation"] if design.group == "industry"
        else ["citizen"],
        "steps_text": "Bước 1: nộp hồ sơ. Bước 2: thẩm định. Bước 3: nhận kết quả.",
        "result_text": "Văn bản chấp thuận hoặc giấy chứng nhận",
    }  # fmt: skip


def _children(version_id: int, design: Design) -> tuple[list, list, list]:
    fees = [FeeItem(version_id=version_id, kind=f["kind"], name=f["name"], amount_vnd=f["amount"],
                    online_amount_vnd=f["online"], unit=f["unit"], is_alternative=f["alternative"])
            for f in design.fees]  # fmt: skip
    components = [ComponentRequirement(version_id=version_id, order=n, name=name,
                                       required=required)
                  for n, (name, required) in enumerate(design.components, start=1)]  # fmt: skip
    steps = []
    for order, (name, role, hours, counted) in enumerate(
        workflow(design.level, design.unit, design.limit), start=1
    ):
        in_days = hours % 2 == 0
        steps.append(WorkflowStep(
            version_id=version_id, order=order, name=name, actor_role=role,
            budget=hours / 8 if in_days else hours,
            budget_unit="working_days" if in_days else "working_hours", counted=counted,
        ))  # fmt: skip
    return fees, components, steps


@transaction.atomic
def ensure_catalogue(total: int, departments: list, log) -> int:
    """Give ``total`` procedures the profile; returns how many were created or profiled."""
    from dossiers.models import Dossier

    designs = design_catalogue(total)
    fields = _fields()
    by_index = {n: agency for n, agency in enumerate(departments, start=1)}
    existing = list(Procedure.objects.filter(code__startswith=CODE_PREFIX).order_by("code")[:total])
    profiled = set(
        WorkflowStep.objects.filter(
            version__procedure__in=existing, version_id__in=[p.current_version_id for p in existing]
        ).values_list("version_id", flat=True)
    )
    used = set(
        Dossier.objects.filter(procedure_version__procedure__in=existing).values_list(
            "procedure_version_id", flat=True
        )
    )
    fees, components, steps, touched = [], [], [], 0
    for index, procedure in enumerate(existing):
        version_id = procedure.current_version_id
        if version_id is None or version_id in profiled or version_id in used:
            continue
        values = _version_values(designs[index], fields, by_index, procedure.code)
        ProcedureVersion.objects.filter(pk=version_id).update(**values)
        FeeItem.objects.filter(version_id=version_id).delete()
        ComponentRequirement.objects.filter(version_id=version_id).delete()
        children = _children(version_id, designs[index])
        fees += children[0]
        components += children[1]
        steps += children[2]
        touched += 1
    now = timezone.now()
    last = existing[-1].code if existing else None
    start = int(last.split(".")[1]) + 1 if last else 0
    missing = designs[len(existing) :]
    new_procedures = Procedure.objects.bulk_create(
        [Procedure(code=f"{CODE_PREFIX}{start + n:06d}") for n in range(len(missing))]
    )
    versions = ProcedureVersion.objects.bulk_create(
        [ProcedureVersion(
            procedure=procedure, number=1, status=VersionStatus.PUBLISHED,
            valid_from=date(2020, 1, 1), published_at=now, change_type="new",
            decision_number="1234/QĐ-UBND", decision_date=date(2019, 12, 20),
            **_version_values(design, fields, by_index, procedure.code),
        ) for procedure, design in zip(new_procedures, missing, strict=True)],
        batch_size=500,
    )  # fmt: skip
    for procedure, version, design in zip(new_procedures, versions, missing, strict=True):
        procedure.current_version = version
        children = _children(version.pk, design)
        fees += children[0]
        components += children[1]
        steps += children[2]
    Procedure.objects.bulk_update(new_procedures, ["current_version"], batch_size=500)
    FeeItem.objects.bulk_create(fees, batch_size=1000)
    ComponentRequirement.objects.bulk_create(components, batch_size=1000)
    WorkflowStep.objects.bulk_create(steps, batch_size=1000)
    if touched or missing:
        log(f"  catalogue: {len(missing):,} procedures created, {touched:,} given the profile")
    return touched + len(missing)


def load_catalogue(total: int) -> list[ProcedureInfo]:
    """The profiled procedures (code order = volume rank) with everything a dossier needs."""
    procedures = list(
        Procedure.objects.filter(code__startswith=CODE_PREFIX, current_version__isnull=False)
        .select_related("current_version__field")
        .order_by("code")[:total]
    )
    version_ids = [p.current_version_id for p in procedures]
    steps: dict[int, list[StepSpec]] = {}
    for ws in WorkflowStep.objects.filter(version_id__in=version_ids).order_by("version", "order"):
        hours = ws.budget_hours()
        steps.setdefault(ws.version_id, []).append(StepSpec(
            ws.pk, ws.order, ws.name, ws.actor_role, hours, int(hours * 60), ws.counted
        ))  # fmt: skip
    fees: dict[int, list] = {}
    for fee in FeeItem.objects.filter(version_id__in=version_ids).order_by("pk"):
        fees.setdefault(fee.version_id, []).append(
            (fee.pk, fee.name, fee.kind, fee.amount_vnd, fee.online_amount_vnd, fee.is_alternative)
        )
    requirements: dict[int, list] = {}
    for req in ComponentRequirement.objects.filter(version_id__in=version_ids).order_by("order"):
        requirements.setdefault(req.version_id, []).append((req.pk, req.name[:500], req.required))
    result = []
    for procedure in procedures:
        version = procedure.current_version
        if version.pk not in steps or version.status != VersionStatus.PUBLISHED:
            continue
        result.append(ProcedureInfo(
            procedure_id=procedure.pk, version_id=version.pk, name=version.name,
            level=version.level, group=version.field.code.removeprefix("NHOM-"),
            agency_id=version.implementing_agency_id, time_limit=version.time_limit,
            time_unit=version.time_unit, deadline_mode=version.deadline_mode,
            cutoff=version.cutoff_time, accepts_online=version.accepts_online,
            postal=version.channel_postal, paper_result=version.paper_result,
            applicant_types=list(version.applicant_types or []),
            fees=fees.get(version.pk, []), requirements=requirements.get(version.pk, []),
            steps=steps[version.pk],
        ))  # fmt: skip
    for info, weight in zip(result, volume_weights([i.level for i in result]), strict=True):
        info.weight = weight
    return result
