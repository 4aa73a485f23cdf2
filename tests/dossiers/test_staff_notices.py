"""Staff notices (issue #15 item 11): each handover puts one item in the
right person's inbox and queues one e-mail naming them; a repeated event adds
nothing; the notices roll back with the handover."""

from __future__ import annotations

import pytest
from django.db import transaction

from dossiers.services.processing import (
    consult_answer,
    step_assign,
    step_complete,
    step_consult,
    step_send_back,
)
from dossiers.staff_notices import staff_notices_on_transition
from tests.dossiers.conftest import HEALTH, JUSTICE
from tests.dossiers.processing import in_processing
from tthc_portal.accounts.roles import Role
from tthc_portal.agencies.selectors import staff_with_role
from tthc_portal.notifications.models import Channel, OutboxMessage, StaffNotice
from tthc_portal.notifications.models import StaffNoticeKind as Kind

pytestmark = pytest.mark.django_db


def notices(kind: str) -> list[StaffNotice]:
    return list(StaffNotice.objects.filter(kind=kind).select_related("user").order_by("pk"))


def assert_told(kind: str, people, dossier) -> None:
    """One notice per person for ``kind`` and one e-mail each, naming them,
    linking to the dossier's processing page, with the step's deadline."""
    rows = notices(kind)
    assert sorted(n.user.username for n in rows) == sorted(u.username for u in people)
    assert all(n.dossier_code == dossier.code and n.url == f"/xu-ly/ho-so/{dossier.pk}/"
               for n in rows)  # fmt: skip
    for person in people:
        mails = OutboxMessage.objects.filter(
            channel=Channel.EMAIL, recipient=person.email, dedupe_key__contains=f":{kind}:"
        )
        assert mails.count() == 1, person.username
        body = mails.get().body
        assert person.display_name in body
        assert f"/xu-ly/ho-so/{dossier.pk}/" in body and "Hạn xử lý" in body


def test_transfer_to_a_head_step_tells_the_units_heads(users, workflow_procedure, clock, province):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    heads = list(staff_with_role(province[JUSTICE], Role.DEPARTMENT_HEAD))
    assert users["lanhdao.tuphap"] in heads
    assert_told(Kind.SIGNOFF, heads, dossier)
    assert StaffNotice.objects.count() == len(heads)


def test_assignment_tells_the_assignee_once(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    head, specialist = users["lanhdao.tuphap"], users["chuyenvien.tuphap"]
    unassigned = step_complete(actor=head, step=dossier.current_step)
    assert notices(Kind.ASSIGNMENT) == []  # waits in the unit's "to assign" list
    step_assign(actor=head, step=unassigned, assignee=specialist)
    assert_told(Kind.ASSIGNMENT, [specialist], dossier)
    # The same assignment again (a double click, a retried request): nothing new.
    step_assign(actor=head, step=unassigned, assignee=specialist)
    assert_told(Kind.ASSIGNMENT, [specialist], dossier)


def test_submitted_for_approval_tells_the_heads(users, workflow_procedure, clock, province):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    head, specialist = users["lanhdao.tuphap"], users["chuyenvien.tuphap"]
    step = step_complete(actor=head, step=dossier.current_step, assignee=specialist)
    StaffNotice.objects.all().delete()
    OutboxMessage.objects.all().delete()
    approval = step_complete(actor=specialist, step=step)
    heads = list(staff_with_role(province[JUSTICE], Role.DEPARTMENT_HEAD))
    assert_told(Kind.SIGNOFF, heads, dossier)
    assert {n.title for n in notices(Kind.SIGNOFF)} == {
        f"Hồ sơ {dossier.code} chờ lãnh đạo xử lý: {approval.name}"
    }


def test_send_back_tells_the_earlier_holder(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    head, specialist = users["lanhdao.tuphap"], users["chuyenvien.tuphap"]
    step = step_complete(actor=head, step=dossier.current_step, assignee=specialist)
    approval = step_complete(actor=specialist, step=step)
    step_send_back(actor=head, step=approval, to_order=3, note="Thiếu căn cứ pháp lý")
    assert_told(Kind.SENT_BACK, [specialist], dossier)
    mail = OutboxMessage.objects.get(recipient=specialist.email, dedupe_key__contains=":sent_back:")
    assert "Thiếu căn cứ pháp lý" in mail.body


def test_consultation_tells_the_consulted_heads_and_the_answer_the_asker(
    users, workflow_procedure, clock, province
):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    head, specialist = users["lanhdao.tuphap"], users["chuyenvien.tuphap"]
    step = step_complete(actor=head, step=dossier.current_step, assignee=specialist)
    consult = step_consult(
        actor=specialist, step=step, agency=province[HEALTH], question="Cho ý kiến chuyên môn."
    )
    health_heads = list(staff_with_role(province[HEALTH], Role.DEPARTMENT_HEAD))
    assert health_heads
    assert_told(Kind.CONSULT_REQUEST, health_heads, dossier)
    assert notices(Kind.CONSULT_ANSWER) == []
    consult_answer(actor=users["chuyenvien.yte"], step=consult, answer="Đủ điều kiện.")
    assert_told(Kind.CONSULT_ANSWER, [specialist], dossier)


def test_a_repeated_signal_adds_no_notice_or_email(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    history = dossier.history.order_by("-pk").first()
    counts = StaffNotice.objects.count(), OutboxMessage.objects.count()
    assert counts[0] > 0
    staff_notices_on_transition(None, dossier=dossier, history=history, action="transfer")
    assert (StaffNotice.objects.count(), OutboxMessage.objects.count()) == counts


def test_notices_roll_back_with_the_handover(users, workflow_procedure, clock):
    dossier = in_processing(users, workflow_procedure, clock, 2025, 3, 3, 9, 0)
    before = StaffNotice.objects.count()
    head, specialist = users["lanhdao.tuphap"], users["chuyenvien.tuphap"]
    with pytest.raises(RuntimeError), transaction.atomic():
        step_complete(actor=head, step=dossier.current_step, assignee=specialist)
        assert notices(Kind.ASSIGNMENT)
        raise RuntimeError("the request failed after the handover")
    assert StaffNotice.objects.count() == before and notices(Kind.ASSIGNMENT) == []
