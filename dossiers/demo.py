"""Demo dossiers in every state, made through the services (idempotent).

Each demo dossier carries ``form_data["demo"]`` with its key, so a second run
finds it and creates nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from procedures.models import Procedure
from tthc_portal.workdays.services import get_calendar

from .models import Channel, Dossier
from .services.closing import dossier_return, dossier_withdraw
from .services.deadlines import dossier_rule, snapshot_rule
from .services.decisions import dossier_approve, dossier_reject, supplement_draft, supplement_issue
from .services.payments import CallbackData, get_gateway, payment_callback
from .services.processing import dossier_transfer, step_assign, step_complete
from .services.reception import dossier_receive, dossier_refuse, dossier_request_completion
from .services.results import result_draft_upload
from .services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_submit,
    dossier_update_draft,
)

DEMO_CODE = "2.000894"  # made full-online with two components and a fee by procedures.demo


def _sample_pdf(title: str) -> bytes:
    from weasyprint import HTML

    html = f"<h1 style='font-family: DejaVu Sans'>{title}</h1><p>Tài liệu mẫu của cổng demo.</p>"
    return HTML(string=html).write_pdf()


def _users() -> dict:
    names = ["001085012345", "036190004567", "0101234567", "motcua.tuphap", "lanhdao.tuphap",
             "chuyenvien.tuphap"]  # fmt: skip
    return get_user_model().objects.in_bulk(names, field_name="username")


def _new(users, procedure, key: str, applicant: str = "001085012345") -> Dossier:
    dossier = dossier_create_draft(actor=users[applicant], procedure=procedure)
    dossier_update_draft(actor=users[applicant], dossier=dossier, data={"form_data": {"demo": key}})
    for requirement in procedure.current_version.components.all():
        component_attach(
            actor=users[applicant],
            dossier=dossier,
            requirement_id=requirement.pk,
            upload=SimpleUploadedFile(
                f"giay-to-{requirement.order}.pdf", _sample_pdf(requirement.name), "application/pdf"
            ),
        )
    return dossier


def _pay(dossier: Dossier) -> None:
    payment = dossier.payments.filter(status="requested").first()
    if payment is None:
        return
    gateway = get_gateway()
    txn = f"DEMO{payment.pk:06d}"
    payment_callback(
        CallbackData(
            reference=str(payment.reference),
            amount_vnd=payment.amount_vnd,
            status="paid",
            transaction_ref=txn,
            signature=gateway.sign(str(payment.reference), payment.amount_vnd, "paid", txn),
        )
    )


def _received_for_remaining(procedure, *, hours: float):
    """A reception time (office hours, in the past) after which about ``hours``
    working hours of the procedure's limit remain now (negative: already late)."""
    calendar = get_calendar()
    probe = Dossier(procedure_version=procedure.current_version)
    snapshot_rule(probe)
    rule = dossier_rule(probe)
    now = timezone.now()
    horizon = calendar.add_working_hours(now, hours) if hours >= 0 else now - timedelta(days=1)
    candidate = calendar.local(now).replace(hour=9, minute=0, second=0, microsecond=0)
    for _ in range(120):
        candidate -= timedelta(days=1)
        if (
            calendar.is_working_day(candidate.date())
            and calendar.due_at(candidate, rule, []) <= horizon
        ):
            return candidate
    return candidate


def seed_dossiers() -> int:
    users = _users()
    procedure = Procedure.objects.filter(code=DEMO_CODE, current_version__isnull=False).first()
    if procedure is None or len(users) < 6 or not procedure.current_version.accepts_online:
        return 0
    existing = set(
        Dossier.objects.filter(form_data__has_key="demo").values_list("form_data__demo", flat=True)
    )
    desk, head = users["motcua.tuphap"], users["lanhdao.tuphap"]
    specialist = users["chuyenvien.tuphap"]
    created = 0

    def make(key: str, build) -> None:
        nonlocal created
        if key not in existing:
            build(key)
            created += 1

    def draft(key):
        _new(users, procedure, key)

    def submitted(key, applicant="001085012345"):
        return dossier_submit(
            actor=users[applicant], dossier=_new(users, procedure, key, applicant)
        )

    def waiting_long(key):
        dossier = submitted(key, "036190004567")
        past = timezone.now() - timedelta(days=4)
        Dossier.objects.filter(pk=dossier.pk).update(
            submitted_at=past, reception_due_at=past + timedelta(days=1)
        )

    def completion(key):
        dossier = submitted(key)
        requirement = procedure.current_version.components.first()
        dossier_request_completion(
            actor=desk,
            dossier=dossier,
            items=[
                {
                    "requirement": requirement.pk,
                    "name": requirement.name,
                    "reason": "Văn bản chưa có chữ ký của người đề nghị",
                }
            ],
            note="Vui lòng ký và tải lại văn bản.",
        )

    def refused(key):
        dossier_refuse(
            actor=desk,
            dossier=submitted(key, "0101234567"),
            reason="Hồ sơ không thuộc thẩm quyền giải quyết của Sở Tư pháp.",
        )

    def received(key, pay=False):
        dossier = submitted(key)
        if pay:
            _pay(dossier)
        return dossier_receive(actor=desk, dossier=dossier)

    def processing(key, at=None):
        dossier = submitted(key)
        _pay(dossier)
        dossier = dossier_receive(actor=desk, dossier=dossier, at=at)
        return dossier_transfer(actor=desk, dossier=dossier)

    def assigned(key, at=None):
        dossier = processing(key, at)
        step_assign(actor=head, step=dossier.current_step, assignee=specialist)
        dossier.refresh_from_db()
        return dossier

    def supplement(key):
        dossier = assigned(key)
        request = supplement_draft(
            actor=specialist, dossier=dossier,
            items=[{"name": "Bản sao quyết định bổ nhiệm", "reason": "Bản sao không rõ nét"}],
            note="Đề nghị nộp bản sao có chứng thực.",
        )  # fmt: skip
        supplement_issue(actor=head, request=request)

    def rejected(key):
        dossier_reject(
            actor=head, dossier=processing(key),
            reason="Người đề nghị chưa đáp ứng điều kiện về thời gian công tác theo quy định.",
        )  # fmt: skip

    def result_ready(key):
        dossier = assigned(key)
        result_draft_upload(
            actor=specialist, dossier=dossier,
            upload=SimpleUploadedFile(
                "ket-qua.pdf", _sample_pdf("Kết quả giải quyết (mẫu)"), "application/pdf"
            ),
        )  # fmt: skip
        step_complete(actor=specialist, step=dossier.current_step)
        return dossier_approve(actor=head, dossier=dossier)

    def returned(key):
        dossier = result_ready(key)
        dossier_return(
            actor=desk, dossier=dossier, method="desk", returned_to=dossier.applicant_name
        )

    def withdrawn(key):
        dossier = dossier_receive(actor=desk, dossier=submitted(key))
        dossier_withdraw(actor=users["001085012345"], dossier=dossier,
                         reason="Công dân đề nghị rút hồ sơ để bổ sung thêm giấy tờ.")  # fmt: skip

    def due_soon(key):
        # Received long enough ago that between 1 and 2 working days are left
        # (receptions are at 09:00, so dues are a working day apart): the head
        # can still issue an apology letter, at least 1 working day before, at
        # whatever time of day the demo is seeded.
        assigned(key, at=_received_for_remaining(procedure, hours=16))

    def overdue(key):
        assigned(key, at=_received_for_remaining(procedure, hours=-6))

    def counter(key):
        dossier = dossier_create_draft(actor=desk, procedure=procedure, channel=Channel.IN_PERSON)
        dossier_update_draft(
            actor=desk, dossier=dossier,
            data={"applicant_name": "Lê Thị Cẩm", "applicant_id_number": "038192001234",
                  "applicant_phone": "0903192001", "applicant_address": "Xã Tân Lập",
                  "form_data": {"demo": key}},
        )  # fmt: skip
        for requirement in procedure.current_version.components.all():
            component_attach(
                actor=desk, dossier=dossier, requirement_id=requirement.pk,
                upload=SimpleUploadedFile(f"scan-{requirement.order}.pdf",
                                          _sample_pdf(requirement.name), "application/pdf"),
            )  # fmt: skip
        dossier_receive(actor=desk, dossier=dossier)

    steps = [
        ("draft", draft),
        ("submitted", submitted),
        ("waiting-long", waiting_long),
        ("completion", completion),
        ("refused", refused),
        ("received", lambda key: received(key, pay=True)),
        ("processing", processing),
        ("assigned", assigned),
        ("due-soon", due_soon),
        ("overdue", overdue),
        ("supplement", supplement),
        ("rejected", rejected),
        ("result-ready", result_ready),
        ("returned", returned),
        ("withdrawn", withdrawn),
        ("counter", counter),
    ]
    for key, build in steps:
        make(key, build)
    return created


__all__ = ["seed_dossiers"]
