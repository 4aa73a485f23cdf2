"""The data set of the permission matrix: two sides of the province with every
object kind on each.

``seed_demo`` builds the Department of Justice side (dossiers in every state
owned mostly by citizen A, ratings, PAKN, publication tasks, indicator periods).
This module adds the Department of Health side, owned by citizen B: dossiers
submitted, in processing, signed and returned (documents, steps, payments,
result, rating), a consultation of a third agency on a Justice dossier, an
agency administrator, the integration rows the sync dashboard acts on, and a
personal-store document per citizen. Everything goes through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from dossiers.models import Dossier
from tthc_portal.accounts.roles import Role

JUSTICE, HEALTH, COMMUNE = "000.00.10.H99", "000.00.11.H99", "000.21.00.H99"
CONSULTED = "000.00.12.H99"  # Sở Nông nghiệp và Môi trường
PROVINCE = "000.00.00.H99"
CITIZEN_A, CITIZEN_B, BUSINESS = "001085012345", "036190004567", "0101234567"
HEALTH_PROCEDURE = "1.001122"
HEALTH_MARK = "ma-tran-quyen"  # form_data key of the Health dossiers

# (name, role, budget, counted): the demo workflow shape.
WORKFLOW = (
    ("Tiếp nhận, chuyển hồ sơ", Role.DESK_OFFICER, Decimal("0.5"), True),
    ("Thẩm định, dự thảo kết quả", Role.SPECIALIST, Decimal(5), True),
    ("Lãnh đạo ký duyệt", Role.DEPARTMENT_HEAD, Decimal(1), True),
    ("Trả kết quả", Role.DESK_OFFICER, Decimal(0), False),
)


@dataclass
class World:
    users: dict  # username -> User
    agencies: dict  # code -> Agency
    consulted_dossier: Dossier
    extra: dict = field(default_factory=dict)


def _pdf(title: str) -> bytes:
    from dossiers.demo import _sample_pdf

    return _sample_pdf(title)


def _health_procedure(agencies):
    from procedures.models import (
        ComponentRequirement,
        FeeItem,
        Procedure,
        ProcedureVersion,
        WorkflowStep,
    )

    procedure = Procedure.objects.get(code=HEALTH_PROCEDURE)
    version = procedure.current_version
    ProcedureVersion.objects.filter(pk=version.pk).update(
        online_level="full", channel_online=True, implementing_agency=agencies[HEALTH],
        level="province",
    )  # fmt: skip
    ComponentRequirement.objects.filter(version=version).delete()
    ComponentRequirement.objects.create(version=version, order=1, name="Đơn đề nghị", required=True)
    FeeItem.objects.filter(version=version).delete()
    FeeItem.objects.create(version=version, name="Lệ phí", kind="charge", amount_vnd=100000,
                           online_amount_vnd=50000)  # fmt: skip
    WorkflowStep.objects.filter(version=version).delete()
    WorkflowStep.objects.bulk_create(
        WorkflowStep(
            version=version, order=order, name=name, actor_role=role, budget=budget,
            counted=counted, citizen_status_text=name,
        )
        for order, (name, role, budget, counted) in enumerate(WORKFLOW, start=1)
    )  # fmt: skip
    procedure.refresh_from_db()
    return procedure


def _health_dossiers(users, procedure) -> dict[str, Dossier]:
    """Citizen B's dossiers at the Department of Health, one per stage."""
    from dossiers.demo import _pay
    from dossiers.services.closing import dossier_return
    from dossiers.services.decisions import dossier_approve
    from dossiers.services.processing import dossier_transfer, step_assign, step_complete
    from dossiers.services.reception import dossier_receive
    from dossiers.services.results import result_draft_upload
    from dossiers.services.submission import (
        component_attach,
        dossier_create_draft,
        dossier_submit,
        dossier_update_draft,
    )
    from feedback.demo import SCORES_GOOD
    from feedback.models import RatingSource
    from feedback.services.ratings import rating_submit

    citizen = users[CITIZEN_B]
    desk, specialist, head = users["motcua.yte"], users["chuyenvien.yte"], users["lanhdao.yte"]

    def new(key: str) -> Dossier:
        dossier = dossier_create_draft(actor=citizen, procedure=procedure)
        dossier_update_draft(actor=citizen, dossier=dossier, data={"form_data": {HEALTH_MARK: key}})
        for requirement in procedure.current_version.components.all():
            component_attach(
                actor=citizen, dossier=dossier, requirement_id=requirement.pk,
                upload=SimpleUploadedFile("don.pdf", _pdf(requirement.name), "application/pdf"),
            )  # fmt: skip
        return dossier

    def assigned(key: str) -> Dossier:
        dossier = dossier_submit(actor=citizen, dossier=new(key))
        _pay(dossier)
        dossier = dossier_transfer(actor=desk, dossier=dossier_receive(actor=desk, dossier=dossier))
        step_assign(actor=head, step=dossier.current_step, assignee=specialist)
        dossier.refresh_from_db()
        return dossier

    def signed(key: str) -> Dossier:
        dossier = assigned(key)
        result_draft_upload(
            actor=specialist, dossier=dossier,
            upload=SimpleUploadedFile("ket-qua.pdf", _pdf("Kết quả"), "application/pdf"),
        )  # fmt: skip
        step_complete(actor=specialist, step=dossier.current_step)
        return dossier_approve(actor=head, dossier=dossier)

    out = {
        "draft": new("draft"),
        "submitted": dossier_submit(actor=citizen, dossier=new("submitted")),
        "assigned": assigned("assigned"),
        "signed": signed("signed"),
    }
    returned = signed("returned")
    out["returned"] = dossier_return(
        actor=desk, dossier=returned, method="desk", returned_to=returned.applicant_name
    )
    rating_submit(dossier=out["returned"], source=RatingSource.PAPER, scores=SCORES_GOOD,
                  like="like", comment="", actor=desk)  # fmt: skip
    return out


def _consultation(users, agencies) -> Dossier:
    """A Justice dossier whose appraisal step asks the consulted agency."""
    from dossiers.services.processing import step_consult

    dossier = Dossier.objects.get(form_data__demo="assigned")
    step_consult(
        actor=users["chuyenvien.tuphap"], step=dossier.current_step,
        agency=agencies[CONSULTED], question="Đề nghị cho ý kiến về hồ sơ.",
    )  # fmt: skip
    dossier.refresh_from_db()
    return dossier


def _sync_rows(agencies) -> None:
    """One dead letter task and one reconciliation difference per side, so the
    dashboard's action URLs have objects to act on."""
    from django.utils import timezone

    from integrations.models import Difference, ReconciliationRun, SyncTask, Target

    target = Target.objects.order_by("pk").first() or Target.objects.create(
        code="dvcqg-ma-tran", kind="dvcqg", name="Cổng DVCQG (thử)", base_url="http://127.0.0.1:9/"
    )
    run = ReconciliationRun.objects.create(target=target, started_at=timezone.now())
    for dossier in (
        Dossier.objects.filter(form_data__demo="processing").first(),
        Dossier.objects.filter(**{f"form_data__{HEALTH_MARK}": "assigned"}).first(),
    ):
        SyncTask.objects.create(
            dossier=dossier, agency=dossier.receiving_agency, operation="CapNhatHoSo",
            message="Lỗi kiểm tra dữ liệu",
        )  # fmt: skip
        Difference.objects.create(run=run, dossier=dossier, code=dossier.code, kind="status")


def _api_client(users, agencies) -> None:
    """An integration client of the Department of Health (``/ket-noi/quan-tri/<pk>/…``)."""
    from tthc_portal.api_clients.scopes import all_scopes
    from tthc_portal.api_clients.services import api_client_create

    scopes = sorted(all_scopes())[:1]
    api_client_create(actor=users["quantri"], name="Hệ thống thử", agency=agencies[HEALTH],
                      scopes=scopes)  # fmt: skip


def _signin_sessions(users) -> None:
    """Open sign-in sessions of a citizen and of a Health officer (``session_end``)."""
    from tthc_portal.accounts.models import SignInSession

    for username in (CITIZEN_A, "motcua.yte"):
        SignInSession.objects.create(user=users[username], session_key=f"ma-tran-{username}")


def _floor_rows(users) -> None:
    """A booking (owned by citizen A) and an e-receipt per agency that took a payment."""
    from django.utils import timezone

    from dossiers.models import Payment, PaymentStatus
    from queueing.models import AppointmentSlot
    from queueing.services.appointments import appointment_book
    from receipts.demo import demo_receipts_setup
    from receipts.models import PaymentMethod
    from receipts.services.issue import receipt_request

    slot = AppointmentSlot.objects.filter(day__gte=timezone.localdate()).order_by("day", "start")
    if slot.exists():
        appointment_book(person=users[CITIZEN_A], slot=slot.first())
    # Nothing listens on port 9: the rows exist, the provider call just fails.
    demo_receipts_setup("http://127.0.0.1:9")
    seen: set[int] = set()
    for payment in Payment.objects.filter(status=PaymentStatus.PAID).select_related("dossier"):
        agency = payment.dossier.receiving_agency_id
        if agency not in seen:
            seen.add(agency)
            receipt_request(payment=payment, method=PaymentMethod.CASH)


def world_build() -> World:
    from tests.factories import make_staff
    from tthc_portal.agencies.models import Agency

    call_command("seed_demo", stdout=StringIO())
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    users = get_user_model().objects.in_bulk(field_name="username")
    users["quantri.yte"] = make_staff(Role.ADMINISTRATOR, agencies[HEALTH], username="quantri.yte")
    users["chuyenvien.nnmt"] = make_staff(
        Role.SPECIALIST, agencies[CONSULTED], username="chuyenvien.nnmt"
    )
    procedure = _health_procedure(agencies)
    health = _health_dossiers(users, procedure)
    consulted = _consultation(users, agencies)
    _sync_rows(agencies)
    _api_client(users, agencies)
    _signin_sessions(users)
    _floor_rows(users)
    from django.contrib.auth.models import Group

    from records.demo import demo_disposal_rows

    demo_disposal_rows(users["quantri"])
    # The records roles are groups outside the role table: no matrix role holds
    # them (the demo gives them to two accounts), so everyone must get a 404.
    for group in Group.objects.filter(name__startswith="records/"):
        group.user_set.clear()
    return World(users=users, agencies=agencies, consulted_dossier=consulted, extra=health)
