"""Dossiers in processing for the page tests: a real internal workflow on the
test procedure and dossiers moved through the services (never faked)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from dossiers.models import Dossier, DossierStep
from dossiers.services.processing import dossier_transfer, step_assign, step_complete
from dossiers.services.reception import dossier_receive
from dossiers.services.results import result_draft_upload
from procedures.models import Procedure, WorkflowStep
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.test_desk_queue import submit_online
from tthc_portal.accounts.roles import Role

DESK, SPECIALIST, HEAD = "motcua.tuphap", "chuyenvien.tuphap", "lanhdao.tuphap"
CITIZEN = "001085012345"

# The demo catalogue's workflow shape (procedures/demo.py), 30 working days in all.
WORKFLOW = (
    ("Tiếp nhận, kiểm tra, chuyển hồ sơ", Role.DESK_OFFICER, Decimal("0.5"), True),
    ("Thẩm định, dự thảo kết quả", Role.SPECIALIST, Decimal(27), True),
    ("Lãnh đạo xem xét, ký duyệt", Role.DEPARTMENT_HEAD, Decimal(2), True),
    ("Văn thư vào sổ, đóng dấu", Role.SPECIALIST, Decimal("0.5"), True),
    ("Trả kết quả", Role.DESK_OFFICER, Decimal(0), False),
)


def add_workflow(procedure: Procedure) -> None:
    version = procedure.current_version
    WorkflowStep.objects.filter(version=version).delete()
    WorkflowStep.objects.bulk_create(
        WorkflowStep(
            version=version, order=order, name=name, actor_role=role, budget=budget,
            counted=counted, citizen_status_text=name,
        )
        for order, (name, role, budget, counted) in enumerate(WORKFLOW, start=1)
    )  # fmt: skip


@pytest.fixture(name="workflow_procedure")
def workflow_procedure_fixture(online_procedure) -> Procedure:
    """Import it as ``workflow_procedure_fixture``; tests ask for ``workflow_procedure``."""
    add_workflow(online_procedure)
    return online_procedure


def received(users, procedure: Procedure, **kwargs) -> Dossier:
    return dossier_receive(actor=users[DESK], dossier=submit_online(users, procedure, **kwargs))


def transferred(users, procedure: Procedure, **kwargs) -> Dossier:
    """At the specialist's appraisal step, not assigned yet."""
    return dossier_transfer(actor=users[DESK], dossier=received(users, procedure, **kwargs))


def assigned(users, procedure: Procedure, **kwargs) -> Dossier:
    dossier = transferred(users, procedure, **kwargs)
    step_assign(actor=users[HEAD], step=dossier.current_step, assignee=users[SPECIALIST])
    dossier.refresh_from_db()
    return dossier


def at_approval(users, procedure: Procedure, **kwargs) -> Dossier:
    """Appraised, result drafted (uploaded PDF), waiting for the head."""
    dossier = assigned(users, procedure, **kwargs)
    result_draft_upload(
        actor=users[SPECIALIST], dossier=dossier, upload=upload("ket-qua.pdf", make_pdf())
    )
    step_complete(actor=users[SPECIALIST], step=dossier.current_step)
    dossier.refresh_from_db()
    return dossier


def open_step(dossier: Dossier) -> DossierStep:
    return dossier.steps.get(completed_at__isnull=True, kind__in=["workflow", "return"])


def local(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
