"""Builders for the §10 worked example: a commune, paper-result procedures and
ten dossiers inserted straight through the ORM."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from dossiers.models import (
    DocumentKind,
    Dossier,
    DossierComponent,
    DossierDocument,
    Payment,
    PaymentStatus,
    PersonalDocument,
    Status,
    StatusHistory,
    SupplementRequest,
    SupplementStage,
)
from feedback.models import Like, Rating, RatingRuleSet, RatingSource
from integrations.models import DossierSync
from tests.factories import AgencyFactory, UserFactory
from tests.indicators.catalogue_example import catalogue_example  # noqa: F401 (fixture)
from tests.procedures.factories import published_procedure
from tthc_portal.agencies.models import AgencyKind

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = date(2025, 3, 15), date(2025, 4, 14)


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2025, month, day, hour, tzinfo=TZ)


@pytest.fixture
def commune(db):
    province = AgencyFactory(name="UBND tỉnh Thử", kind=AgencyKind.PROVINCE)
    return AgencyFactory(name="UBND Xã A", kind=AgencyKind.COMMUNE, parent=province)


@pytest.fixture
def procedures(commune):
    common = {"implementing_agency": commune, "paper_result": True, "components": 1, "steps": 1}
    fee = published_procedure(fees=[{"name": "Lệ phí", "amount_vnd": 50_000}], **common)
    free = published_procedure(fees=0, **common)
    return {"fee": fee.current_version, "free": free.current_version}


class Builder:
    def __init__(self, commune, procedures):
        self.commune = commune
        self.procedures = procedures
        self.user = UserFactory()
        self.n = 0

    def dossier(
        self, *, fee=False, components=(), e_result=False, pushed=False, synced=True, **fields
    ):
        """``synced``: the hub acknowledged the dossier's header (a ``DossierSync``
        row mirroring what the sender records: reception date, e-result with code
        and link, store components; ``pay`` adds the fee list and payment flag)."""
        self.n += 1
        received = fields.pop("received_at")
        values = {
            "procedure_version": self.procedures["fee" if fee else "free"],
            "receiving_agency": self.commune,
            "applicant_name": f"Công dân {self.n}",
            "applicant_id_number": f"{self.n:012d}",
            "received_at": received,
            "submitted_at": received,
            **fields,
        }
        values.setdefault("original_due_at", values.get("due_at"))
        dossier = Dossier.objects.create(**values)
        for flags in components:
            DossierComponent.objects.create(
                dossier=dossier,
                name="Tờ khai",
                file=f"dossiers/{dossier.pk}/components/a",
                original_filename="to-khai.pdf",
                content_type="application/pdf",
                size=10,
                sha256="0" * 64,
                **flags,
            )
        if e_result:
            DossierDocument.objects.create(
                dossier=dossier, kind=DocumentKind.RESULT, file=f"dossiers/{dossier.pk}/kq.pdf"
            )
        if pushed:
            PersonalDocument.objects.create(
                owner=self.user,
                title="Kết quả",
                file="personal/kq.pdf",
                content_type="application/pdf",
                size=10,
                sha256="0" * 64,
                source_dossier=dossier,
                is_result=True,
            )
        if synced:
            DossierSync.objects.create(
                dossier=dossier,
                created_on_hub=True,
                received_synced=True,
                result_synced=e_result,
                store_component_synced=any(c.get("from_personal_store") for c in components),
            )
        return dossier

    def pay(self, dossier, amount, *, flag=None, gateway="cash", status=PaymentStatus.PAID):
        items = [{"name": "Lệ phí", "kind": "charge", "amount_vnd": amount}]
        # What the next acknowledged header carries (integrations.sync.sender._acked_header).
        synced = DossierSync.objects.filter(dossier=dossier, received_synced=True)
        if amount > 0 and status not in (PaymentStatus.CANCELLED, PaymentStatus.FAILED):
            synced.update(fee_list_synced=True)
        if status == PaymentStatus.PAID and flag in (1, 2):
            synced.update(payment_flag_synced=flag)
        return Payment.objects.create(
            dossier=dossier,
            fee_items=items,
            amount_vnd=amount,
            gateway=gateway,
            gateway_flag=flag,
            status=status,
        )

    def supplement(self, dossier, requested, completed=None):
        return SupplementRequest.objects.create(
            dossier=dossier,
            stage=SupplementStage.DURING_PROCESSING,
            items=[{"name": "Tờ khai", "reason": "thiếu chữ ký"}],
            requested_by=self.user,
            requested_at=requested,
            completed_at=completed,
        )

    def dislike(self, dossier, when):
        return Rating.objects.create(
            dossier=dossier,
            source=RatingSource.PORTAL,
            rule_set=RatingRuleSet.objects.order_by("valid_from").first()
            or RatingRuleSet.objects.create(name="Thử", valid_from=date(2020, 1, 1)),
            like=Like.DISLIKE,
            submitted_at=when,
        )


@pytest.fixture
def build(commune, procedures) -> Builder:
    return Builder(commune, procedures)


FULL = {"is_digitised": True}


# fmt: off
@pytest.fixture
def worked_example(build: Builder) -> dict[str, Dossier]:
    """D1–D10 of indicators-766.md §10."""
    b, online, desk, post = build, 2, 1, 3
    returned = {"status": Status.RETURNED}
    d = {}
    d["D1"] = b.dossier(
        channel=online, fee=True, received_at=at(3, 17), due_at=at(3, 24, 17),
        completed_at=at(3, 20), returned_at=at(3, 21), vneid_verified=True, e_result=True,
        components=[{**FULL, "is_reused": True, "from_personal_store": True}], **returned,
    )
    b.pay(d["D1"], 50_000, flag=1, gateway="payment_platform")
    # One supplement of four days: finished after the original date, within it + pause.
    d["D2"] = b.dossier(
        channel=online, fee=True, received_at=at(3, 18), original_due_at=at(3, 25, 17),
        due_at=at(3, 29, 17), completed_at=at(3, 27), returned_at=at(3, 27, 15),
        vneid_verified=True, e_result=True, pushed=True, components=[FULL], supplement_count=1,
        **returned,
    )
    b.supplement(d["D2"], at(3, 20), at(3, 24))
    b.pay(d["D2"], 0)
    d["D3"] = b.dossier(
        channel=online, fee=True, received_at=at(3, 18), due_at=at(3, 25, 17),
        completed_at=at(3, 28), returned_at=at(3, 28, 15), vneid_verified=True, e_result=True,
        pushed=True, components=[FULL], **returned,
    )
    b.pay(d["D3"], 50_000, flag=2, gateway="provincial")
    b.dislike(d["D3"], at(3, 29))
    # Two supplement requests: late by rule although finished early.
    d["D4"] = b.dossier(
        channel=online, received_at=at(3, 19), due_at=at(4, 10, 17), completed_at=at(3, 28),
        returned_at=at(3, 28, 15), vneid_verified=True, e_result=True, pushed=True,
        components=[FULL], supplement_count=2, **returned,
    )
    b.supplement(d["D4"], at(3, 20), at(3, 21))
    b.supplement(d["D4"], at(3, 24), at(3, 25))
    d["D5"] = b.dossier(
        channel=online, received_at=at(3, 20), due_at=at(3, 27, 17), vneid_verified=True,
        components=[FULL], status=Status.WITHDRAWN,
    )
    StatusHistory.objects.create(
        dossier=d["D5"], action="withdraw", from_status="in_processing",
        to_status=Status.WITHDRAWN, at=at(3, 22),
    )
    d["D6"] = b.dossier(
        channel=online, received_at=at(3, 20), due_at=at(3, 27, 17), completed_at=at(3, 26),
        vneid_verified=True, components=[FULL], status=Status.RESULT_READY,
    )
    d["D7"] = b.dossier(
        channel=desk, fee=True, received_at=at(3, 21), due_at=at(3, 28, 17),
        completed_at=at(3, 27), returned_at=at(3, 27, 15), population_db_used=True,
        e_result=True, pushed=True, components=[{**FULL, "is_reused": True}], **returned,
    )
    b.pay(d["D7"], 50_000)
    d["D8"] = b.dossier(
        channel=desk, fee=True, received_at=at(3, 24), due_at=at(3, 31, 17),
        completed_at=at(3, 28), returned_at=at(3, 28, 15), **returned,
    )
    b.pay(d["D8"], 50_000)
    d["D9"] = b.dossier(
        channel=desk, received_at=at(4, 10), due_at=at(4, 20, 17),
        components=[{**FULL, "is_reused": True}], status=Status.IN_PROCESSING,
    )
    d["D10"] = b.dossier(
        channel=post, fee=True, received_at=at(4, 1), due_at=at(4, 10, 17),
        components=[FULL], status=Status.IN_PROCESSING,
    )
    b.pay(d["D10"], 50_000, gateway="vnpost")
    return d
# fmt: on
