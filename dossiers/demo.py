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

from .models import Channel, ClockPause, Dossier, SupplementRequest, SupplementStage
from .services.lifecycle import dossier_transition
from .services.payments import CallbackData, get_gateway, payment_callback
from .services.reception import dossier_receive, dossier_refuse, dossier_request_completion
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
    names = ["001085012345", "036190004567", "0101234567", "motcua.tuphap", "lanhdao.tuphap"]
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


def seed_dossiers() -> int:
    users = _users()
    procedure = Procedure.objects.filter(code=DEMO_CODE, current_version__isnull=False).first()
    if procedure is None or len(users) < 5 or not procedure.current_version.accepts_online:
        return 0
    existing = set(
        Dossier.objects.filter(form_data__has_key="demo").values_list("form_data__demo", flat=True)
    )
    desk, head = users["motcua.tuphap"], users["lanhdao.tuphap"]
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

    def processing(key):
        dossier = received(key, pay=True)
        return dossier_transition(actor=desk, dossier=dossier, action="transfer")

    def supplement(key):
        dossier = processing(key)
        now = timezone.now()

        def pause(locked):
            ClockPause.objects.create(dossier=locked, started_at=now)
            SupplementRequest.objects.create(
                dossier=locked, stage=SupplementStage.DURING_PROCESSING,
                items=[{"name": "Bản sao quyết định bổ nhiệm", "reason": "Bản sao không rõ nét"}],
                requested_by=head, requested_at=now,
            )  # fmt: skip
            locked.supplement_count += 1
            locked.due_at = None
            return ["supplement_count", "due_at"]

        dossier_transition(actor=head, dossier=dossier, action="request_supplement", apply=pause)

    def finished(action):
        def build(key):
            dossier = processing(key)

            def close(locked):
                locked.completed_at = timezone.now()
                return ["completed_at"]

            dossier = dossier_transition(actor=head, dossier=dossier, action=action, apply=close)
            return dossier

        return build

    def returned(key):
        dossier = finished("approve")(key)

        def hand_over(locked):
            locked.returned_at = timezone.now()
            return ["returned_at"]

        dossier_transition(actor=desk, dossier=dossier, action="return_result", apply=hand_over)

    def withdrawn(key):
        dossier = received(key)
        dossier_transition(actor=users["001085012345"], dossier=dossier, action="withdraw",
                           note="Công dân đề nghị rút hồ sơ để bổ sung thêm giấy tờ.")  # fmt: skip

    def counter(key):
        dossier = dossier_create_draft(actor=desk, procedure=procedure, channel=Channel.IN_PERSON)
        dossier_update_draft(
            actor=desk, dossier=dossier,
            data={"applicant_name": "Lê Thị Cẩm", "applicant_id_number": "038192001234",
                  "applicant_phone": "0987654321", "applicant_address": "Xã Tân Lập",
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
        ("supplement", supplement),
        ("rejected", finished("reject")),
        ("result-ready", finished("approve")),
        ("returned", returned),
        ("withdrawn", withdrawn),
        ("counter", counter),
    ]
    for key, build in steps:
        make(key, build)
    return created


__all__ = ["seed_dossiers"]
