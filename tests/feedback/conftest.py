"""A light demo province (agencies and accounts, no 63-procedure catalogue),
one Justice procedure, and helpers that drive dossiers and PAKN through the
real services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from dossiers.models import Dossier, SupplementRequest, SupplementStage
from dossiers.services.lifecycle import dossier_transition
from dossiers.services.reception import dossier_receive, dossier_request_completion
from dossiers.services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_resubmit,
    dossier_submit,
)
from feedback.models import Category, Feedback
from feedback.services import pakn
from portal_site.demo import seed_accounts, seed_agencies
from procedures.models import OnlineLevel, Procedure
from tests.dossiers.files import make_pdf, upload
from tests.procedures.factories import published_procedure
from tests.support.module_data import seeded_for_module, wants_transaction
from tthc_portal.agencies.models import Agency

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PROVINCE = "000.00.00.H99"
JUSTICE = "000.00.10.H99"
HEALTH = "000.00.11.H99"
CITIZEN = "001085012345"


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


def _seed_tinh() -> dict[str, Agency]:
    # Transactional tests flush the rows the data migration seeded: put them back.
    from feedback.defaults import ensure_all

    ensure_all()
    agencies = seed_agencies()
    seed_accounts(agencies)
    return agencies


@pytest.fixture(scope="module")
def _tinh_for_module(request, django_db_setup, django_db_blocker) -> Iterator[list[str] | None]:
    """The light province once per module (see tests/support/module_data.py)."""
    yield from seeded_for_module(request, django_db_blocker, lambda: list(_seed_tinh()))


@pytest.fixture
def tinh(request: pytest.FixtureRequest, _tinh_for_module) -> dict[str, Agency]:
    if _tinh_for_module is None:
        # Threads and commits need real transactions: seed for this test alone.
        request.getfixturevalue("transactional_db" if wants_transaction(request.node) else "db")
        codes = list(_seed_tinh())
    else:
        request.getfixturevalue("db")
        codes = _tinh_for_module
    # Fresh instances per test: a test that changes one must not leak the change.
    return Agency.objects.in_bulk(codes, field_name="code")


@pytest.fixture
def catalogue(tinh):
    """The demo's 63 published procedures (slower: only for the demo seed)."""
    from portal_site.demo import seed_procedures

    seed_procedures()
    return tinh


@pytest.fixture
def users(tinh):
    return get_user_model().objects.in_bulk(field_name="username")


@pytest.fixture
def procedure(tinh) -> Procedure:
    return published_procedure(
        name="Cấp phiếu lý lịch tư pháp",
        implementing_agency=tinh[JUSTICE],
        online_level=OnlineLevel.FULL,
        channel_online=True,
        time_limit=Decimal(5),
        components=[{"name": "Tờ khai", "required": True}],
        fees=0,
        steps=1,
    )


def returned_dossier(
    users,
    procedure: Procedure,
    *,
    received_at: datetime,
    completed_at: datetime,
    apology: bool = False,
    completion_requests: int = 0,
    phone: str = "0912345678",
) -> Dossier:
    """Submit online, (ask for completion N times), receive, transfer,
    approve, return — all through the dossier services."""
    citizen, desk, head = users[CITIZEN], users["motcua.tuphap"], users["lanhdao.tuphap"]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone=phone)
    requirement = procedure.current_version.components.get()
    component_attach(
        actor=citizen,
        dossier=dossier,
        requirement_id=requirement.pk,
        upload=upload("to-khai.pdf", make_pdf()),
    )
    dossier = dossier_submit(actor=citizen, dossier=dossier)
    if completion_requests:
        # The desk asks once before reception (dossier-lifecycle §4) ...
        dossier = dossier_request_completion(
            actor=desk, dossier=dossier, items=[{"name": "Tờ khai", "reason": "Thiếu chữ ký"}]
        )
        dossier = dossier_resubmit(actor=citizen, dossier=dossier)
    dossier = dossier_receive(actor=desk, dossier=dossier, at=received_at)
    dossier = dossier_transition(actor=desk, dossier=dossier, action="transfer")
    for _ in range(completion_requests - 1):
        # ... and later contacts are requests made during processing (their
        # clock pauses do not matter to the rating, only their number).
        SupplementRequest.objects.create(
            dossier=dossier, stage=SupplementStage.DURING_PROCESSING,
            items=[{"name": "Tờ khai", "reason": "Sai thông tin"}], requested_by=head,
            requested_at=received_at, completed_at=received_at,
        )  # fmt: skip
    if apology:

        def extend(locked: Dossier):
            locked.apology_issued = True
            locked.due_at = locked.due_at + timedelta(days=3)
            return ["apology_issued", "due_at"]

        dossier = dossier_transition(
            actor=head, dossier=dossier, action="issue_apology", apply=extend
        )

    def finish(locked: Dossier):
        locked.completed_at = completed_at
        return ["completed_at"]

    dossier = dossier_transition(actor=head, dossier=dossier, action="approve", apply=finish)

    def hand_over(locked: Dossier):
        locked.returned_at = completed_at + timedelta(hours=1)
        return ["returned_at"]

    return dossier_transition(actor=desk, dossier=dossier, action="return_result", apply=hand_over)


@pytest.fixture
def make_returned(users, procedure) -> Callable[..., Dossier]:
    def make(**kwargs: Any) -> Dossier:
        kwargs.setdefault("received_at", at(2025, 3, 3, 9))
        kwargs.setdefault("completed_at", at(2025, 3, 5, 9))
        return returned_dossier(users, procedure, **kwargs)

    return make


SUBMITTER = {
    "submitter_name": "Nguyễn Văn An",
    "submitter_address": "Số 5 đường Lê Lợi, phường Phố Hiến",
    "submitter_phone": "0912345678",
    "submitter_email": "an@example.vn",
}


def pakn_data(**overrides: Any) -> dict[str, Any]:
    return {
        **SUBMITTER,
        "title": "Thủ tục cấp phiếu lý lịch tư pháp yêu cầu giấy tờ không cần thiết",
        "content": "Tờ khai yêu cầu nộp bản sao sổ hộ khẩu dù sổ đã bị bãi bỏ từ năm 2023.",
        **overrides,
    }


def submit_pakn(received_at: datetime | None = None, **overrides: Any) -> Feedback:
    """A public submission, received at ``received_at`` (now when None)."""
    return pakn.feedback_submit(data=pakn_data(**overrides), received_at=received_at)


def classified_and_forwarded(users, tinh, received_at: datetime, forwarded_at: datetime):
    office = users["vanphong"]
    item = submit_pakn(received_at)
    pakn.feedback_classify(
        actor=office, item=item, category=Category.REGULATION_IN_SCOPE, at=received_at
    )
    return pakn.feedback_forward(actor=office, item=item, agency=tinh[JUSTICE], at=forwarded_at)
