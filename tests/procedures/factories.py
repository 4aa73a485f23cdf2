"""Factories for the procedure catalogue.

``published_procedure(**overrides)`` builds a procedure whose current version
is published and carries every part the public pages show. ``bulk_catalogue``
inserts many such procedures with a handful of bulk queries, folded search
columns included, for size and query-count tests.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal
from typing import Any

import factory
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from procedures.models import (
    ComponentRequirement,
    CopyKind,
    FeeItem,
    FeeKind,
    Field,
    LegalBasis,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureVersion,
    VersionStatus,
    WorkflowStep,
)
from procedures.services.versions import _refresh_derived
from tests.factories import AgencyFactory
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.models import Agency
from tthc_portal.text import fold

VALID_FROM = date(2025, 7, 1)


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV-THU{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử nghiệm {n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    code_suffix = ""


class ProcedureVersionFactory(factory.django.DjangoModelFactory):
    """A published version (not yet made current: see ``published_procedure``)."""

    class Meta:
        model = ProcedureVersion

    procedure = factory.SubFactory(ProcedureFactory)
    number = 1
    status = VersionStatus.PUBLISHED
    valid_from = VALID_FROM
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    steps_text = "Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả."
    channel_in_person = True
    channel_online = True
    channel_postal = True
    channels_text = "Trung tâm Phục vụ hành chính công tỉnh"
    applicant_types = factory.LazyFunction(lambda: ["citizen", "business"])
    implementing_agency = factory.SubFactory(AgencyFactory)
    implementing_agency_text = factory.LazyAttribute(
        lambda o: o.implementing_agency.name if o.implementing_agency else ""
    )
    field = factory.SubFactory(FieldFactory)
    level = Level.PROVINCE
    deciding_authority = "Chủ tịch UBND tỉnh"
    time_limit = Decimal(15)
    time_unit = "working_days"
    time_text = "kể từ ngày nhận đủ hồ sơ hợp lệ"
    result_text = "Giấy phép"
    online_level = OnlineLevel.PARTIAL
    conditions = "Có đủ năng lực hành vi dân sự."
    decision_number = "1949/QĐ-UBND"
    decision_date = date(2025, 6, 20)
    published_at = factory.LazyFunction(timezone.now)


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComponentRequirement

    version = factory.SubFactory(ProcedureVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Tờ khai số {n}")
    copy_kind = CopyKind.ORIGINAL
    count = 1
    required = True


class FeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeeItem

    version = factory.SubFactory(ProcedureVersionFactory)
    kind = FeeKind.FEE
    name = "Phí thẩm định"
    amount_vnd = 1_400_000
    online_amount_vnd = 700_000
    unit = "hồ sơ"


class LegalBasisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalBasis

    version = factory.SubFactory(ProcedureVersionFactory)
    title = factory.Sequence(lambda n: f"Nghị định số {n}/2025/NĐ-CP")
    effective_date = date(2025, 7, 1)


class WorkflowStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowStep

    version = factory.SubFactory(ProcedureVersionFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Xử lý bước {n}")
    actor_role = Role.SPECIALIST
    budget = Decimal("0.5")


PROCEDURE_KEYS = frozenset({"code", "code_suffix", "abolished_on", "reception_locked"})


def _rows(spec: int | Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{} for _ in range(spec)] if isinstance(spec, int) else [dict(row) for row in spec]


def published_procedure(
    *,
    components: int | Iterable[dict[str, Any]] = 2,
    fees: int | Iterable[dict[str, Any]] = 1,
    legal_bases: int | Iterable[dict[str, Any]] = 2,
    steps: int | Iterable[dict[str, Any]] = 3,
    coordinating_agencies: Iterable[Agency] = (),
    **overrides: Any,
) -> Procedure:
    """A procedure whose current version is published, with its child rows.

    ``overrides`` go to the version, except ``code``, ``code_suffix``,
    ``abolished_on`` and ``reception_locked`` which go to the procedure.
    Children are a count (factory defaults) or a list of field dicts.
    The folded search columns are computed by the catalogue service.
    """
    procedure_kwargs = {key: overrides.pop(key) for key in PROCEDURE_KEYS & overrides.keys()}
    procedure = ProcedureFactory(**procedure_kwargs)
    version = ProcedureVersionFactory(procedure=procedure, **overrides)
    for order, row in enumerate(_rows(components), start=1):
        ComponentFactory(version=version, **{"order": order, **row})
    for row in _rows(fees):
        FeeFactory(version=version, **row)
    for row in _rows(legal_bases):
        LegalBasisFactory(version=version, **row)
    for order, row in enumerate(_rows(steps), start=1):
        WorkflowStepFactory(version=version, **{"order": order, **row})
    version.coordinating_agencies.set(list(coordinating_agencies))
    _refresh_derived(version)
    Procedure.objects.filter(pk=procedure.pk).update(current_version=version)
    procedure.refresh_from_db()
    return procedure


def rich_procedure(**overrides: Any) -> Procedure:
    """A procedure with every part filled in: stages, outcomes, cutoff, several fees."""
    extra = AgencyFactory(name="Văn phòng UBND tỉnh (phối hợp)")
    defaults: dict[str, Any] = {
        "name": "Cấp giấy phép khai thác nước dưới đất",
        "components": [
            {"name": "Đơn đề nghị cấp giấy phép", "copy_kind": CopyKind.ORIGINAL},
            {"name": "Bản đồ khu vực", "copy_kind": CopyKind.CERTIFIED_COPY, "count": 2},
            {"name": "Báo cáo kết quả thăm dò", "required": False},
        ],
        "fees": [
            {"name": "Phí thẩm định", "amount_vnd": 1_400_000, "online_amount_vnd": 700_000},
            {"name": "Lệ phí cấp phép", "kind": FeeKind.CHARGE, "amount_vnd": 200_000},
        ],
        "steps": [
            {"name": "Tiếp nhận hồ sơ", "citizen_status_text": "Đã tiếp nhận"},
            {"name": "Thẩm định", "budget": Decimal(7)},
            {"name": "Trả kết quả", "budget": Decimal(0), "counted": False},
        ],
        "coordinating_agencies": [extra],
        "time_kind": "multi_stage",
        "time_stages": [
            {"step": "Thẩm định hồ sơ", "value": 10, "unit": "working_days"},
            {"step": "Lấy ý kiến (optional)", "value": 5, "unit": "working_days"},
        ],
        "time_limit": Decimal(10),
        "cutoff_time": time(15, 0),
        "channels_text": "Trung tâm Phục vụ hành chính công tỉnh; Bưu điện tỉnh",
    }
    defaults.update(overrides)
    return published_procedure(**defaults)


_bulk_numbers = itertools.count(1)


def bulk_catalogue(
    count: int,
    *,
    field: Field | None = None,
    agency: Agency | None = None,
    name_prefix: str = "Thủ tục hàng loạt",
    level: str = Level.PROVINCE,
    online_level: str = OnlineLevel.FULL,
    with_children: bool = True,
) -> list[Procedure]:
    """``count`` published current procedures, inserted in bulk (folded columns set)."""
    field = field or FieldFactory()
    agency = agency or AgencyFactory()
    numbers = [next(_bulk_numbers) for _ in range(count)]
    procedures = Procedure.objects.bulk_create(
        [Procedure(code=f"8.{number:06d}") for number in numbers]
    )
    versions = []
    for procedure, number in zip(procedures, numbers, strict=True):
        name = f"{name_prefix} {number:05d}"
        versions.append(
            ProcedureVersion(
                procedure=procedure,
                number=1,
                status=VersionStatus.PUBLISHED,
                valid_from=VALID_FROM,
                name=name,
                name_folded=fold(name),
                search_text=fold(f"{name} {procedure.code} {field.name} {agency.name}"),
                field=field,
                level=level,
                implementing_agency=agency,
                implementing_agency_text=agency.name,
                time_limit=Decimal(10),
                online_level=online_level,
                channel_online=online_level != OnlineLevel.NONE,
                published_at=timezone.now(),
            )
        )
    versions = ProcedureVersion.objects.bulk_create(versions)
    if with_children:
        FeeItem.objects.bulk_create(
            [FeeItem(version=v, name="Lệ phí", amount_vnd=50_000) for v in versions]
        )
        ComponentRequirement.objects.bulk_create(
            [ComponentRequirement(version=v, name="Tờ khai") for v in versions]
        )
        WorkflowStep.objects.bulk_create(
            [
                WorkflowStep(version=v, order=1, name="Xử lý", actor_role=Role.SPECIALIST)
                for v in versions
            ]
        )
    Procedure.objects.filter(pk__in=[p.pk for p in procedures]).update(
        current_version=Subquery(
            ProcedureVersion.objects.filter(procedure=OuterRef("pk"))
            .order_by("-number")
            .values("pk")[:1]
        )
    )
    return procedures
