"""Issue 15 item 14: the processing page is organised for work. It lists what
this person can do now, grouped, each action named as in the lifecycle table
(dossiers.workflow); each form opens on demand (only the expected next step
starts open); stopping and refusing as not eligible first show what follows;
a refused action redirects back (a refresh does not send it again)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dossiers.models import Dossier, Payment, PaymentStatus, Status
from dossiers.workflow import TRANSITIONS
from tests.dossiers.casework import (
    HEAD,
    SPECIALIST,
    assigned,
    at_approval,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)
from tests.dossiers.page_support import refused

pytestmark = pytest.mark.django_db


def page_of(client, dossier: Dossier) -> str:
    return client.get(reverse("processing:dossier", args=[dossier.pk])).content.decode()


def action_url(name: str, dossier: Dossier) -> str:
    return reverse(f"processing:{name}", args=[dossier.pk])


def offered(page: str) -> list[str]:
    return re.findall(r'<a href="#do-(\w+)" data-open', page)


def opened(page: str) -> set[str]:
    return set(re.findall(r'<details [^>]*id="do-(\w+)"[^>]* open>', page))


def test_the_head_sees_what_can_be_done_now_grouped(client, users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    client.force_login(users[HEAD])
    page = page_of(client, dossier)
    assert 'data-testid="actions-now"' in page
    names = offered(page)
    assert {"approve", "send_back", "reject", "stop"} <= set(names)
    # Named as the lifecycle table names them; the decisions that end the
    # dossier come last and are marked as asking for confirmation.
    assert str(TRANSITIONS["approve"].label) in page
    assert names.index("approve") < names.index("reject") < names.index("stop")
    assert page.count("(hỏi xác nhận)") == 2
    # Only the expected next step starts open; the rest open on demand.
    assert opened(page) == {"approve"}
    assert len(re.findall(r'<details [^>]*id="do-', page)) == len(set(names))  # one form each


def test_nothing_is_offered_that_the_table_does_not_allow(client, users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    client.force_login(users[HEAD])
    client.post(action_url("approve", dossier), {"note": ""})
    dossier.refresh_from_db()
    assert dossier.status == Status.RESULT_READY
    page = page_of(client, dossier)
    assert offered(page) == [] and 'id="do-' not in page
    client.force_login(users[SPECIALIST])
    specialist = page_of(client, assigned(users, workflow_procedure))
    assert "approve" not in offered(specialist) and "stop" not in offered(specialist)
    assert opened(specialist) == {"result_generate", "complete"}


def test_stop_shows_its_consequences_before_acting(client, users, workflow_procedure):
    dossier = assigned(users, workflow_procedure)
    payment = dossier.payments.filter(status=PaymentStatus.REQUESTED).first()
    if payment is None:
        payment = Payment.objects.create(
            dossier=dossier, amount_vnd=150000, fee_items=[], gateway="demo",
            status=PaymentStatus.REQUESTED,
        )  # fmt: skip
    amount = f"{payment.amount_vnd:,}".replace(",", ".")
    client.force_login(users[HEAD])
    asked = client.post(action_url("stop", dossier), {"reason": "Công dân đề nghị dừng"})
    assert asked.status_code == 200
    page = asked.content.decode()
    consequences = page[page.index('data-testid="consequences"') :]
    assert "Thông báo dừng giải quyết hồ sơ" in consequences
    assert dossier.applicant_phone in consequences  # how the citizen is told
    assert f"{amount} đồng" in consequences and "bị hủy" in consequences
    assert "Cổng Dịch vụ công quốc gia" in consequences
    dossier.refresh_from_db()
    payment.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING and payment.status == PaymentStatus.REQUESTED

    done = client.post(
        action_url("stop", dossier), {"reason": "Công dân đề nghị dừng", "confirmed": "1"}
    )
    assert done.status_code == 302
    dossier.refresh_from_db()
    payment.refresh_from_db()
    assert dossier.status == Status.STOPPED and payment.status == PaymentStatus.CANCELLED


def test_a_refused_action_redirects_and_a_refresh_sends_nothing(client, users, workflow_procedure):
    dossier = at_approval(users, workflow_procedure)
    client.force_login(users[HEAD])
    client.post(action_url("reject", dossier), {"reason": "Thiếu điều kiện", "confirmed": "1"})
    late = client.post(action_url("approve", dossier), {"note": "Đồng ý"})
    page = refused(client, dossier, late, "Chưa thực hiện được “Phê duyệt, ký kết quả”")
    # The page the browser shows after the refusal is a GET: reloading it is harmless.
    assert "form-errors" not in page
    dossier.refresh_from_db()
    assert dossier.status == Status.REJECTED
