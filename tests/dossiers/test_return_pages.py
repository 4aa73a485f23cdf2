"""The desk's handovers: "Chuyển xử lý" after receipt, and the results to hand
over (desk or post) with the return form; online results return by themselves."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from dossiers.models import Dossier, Status, StepKind, StepOutcome
from dossiers.services.decisions import dossier_approve
from tests.dossiers.casework import (
    DESK,
    HEAD,
    SPECIALIST,
    at_approval,
    open_step,
    received,
    workflow_procedure_fixture,  # noqa: F401 (the workflow_procedure fixture)
)

pytestmark = pytest.mark.django_db
RETURNS = reverse("dossiers:desk_returns")
ROW = re.compile(r'<tr data-dossier="(\d+)">')


def listed(response) -> list[int]:
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def approved(users, procedure, *, delivery: str = "desk") -> Dossier:
    dossier = at_approval(users, procedure)
    Dossier.objects.filter(pk=dossier.pk).update(result_delivery=delivery)
    return dossier_approve(actor=users[HEAD], dossier=dossier)


def test_desk_transfers_a_received_dossier(client, users, workflow_procedure):
    dossier = received(users, workflow_procedure)
    check = reverse("dossiers:desk_check", args=[dossier.pk])
    transfer = reverse("dossiers:desk_transfer", args=[dossier.pk])
    client.force_login(users[SPECIALIST])
    assert client.post(transfer).status_code == 404  # not a desk officer

    client.force_login(users[DESK])
    assert 'data-testid="transfer-form"' in client.get(check).content.decode()
    response = client.post(transfer, follow=True)
    page = response.content.decode()
    assert f"Đã chuyển hồ sơ {dossier.code} đến Sở Tư pháp: Thẩm định, dự thảo kết quả." in page
    assert 'data-testid="transfer-form"' not in page
    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROCESSING
    step = open_step(dossier)
    assert step.order == 2 and step.handed_over_by == users[DESK]
    reception = dossier.steps.get(order=1)
    assert reception.outcome == StepOutcome.COMPLETED and reception.assignee == users[DESK]

    again = client.post(transfer, follow=True)
    assert "Không thể “Chuyển xử lý”: hồ sơ đang ở trạng thái “Đang xử lý”." in (
        again.content.decode()
    )


def test_results_to_return_and_the_return_form(client, users, workflow_procedure):
    at_desk = approved(users, workflow_procedure, delivery="desk")
    by_post = approved(users, workflow_procedure, delivery="postal")
    online = approved(users, workflow_procedure, delivery="online")
    assert online.status == Status.RETURNED and online.return_method == "online"
    waiting = at_approval(users, workflow_procedure)

    client.force_login(users[DESK])
    response = client.get(RETURNS)
    assert response.status_code == 200
    assert listed(response) == [at_desk.pk, by_post.pk]
    assert waiting.pk not in listed(response) and online.pk not in listed(response)

    form_url = reverse("dossiers:desk_return", args=[at_desk.pk])
    form = client.get(form_url).content.decode()
    assert 'data-testid="signature" data-valid="true"' in form and "Chữ ký số hợp lệ" in form
    assert 'value="Nguyễn Văn An"' in form  # the applicant, ready to confirm

    missing = client.post(form_url, {"method": "desk", "returned_to": ""})
    assert missing.status_code == 400
    assert "Hãy ghi họ tên người nhận kết quả tại Bộ phận Một cửa." in missing.content.decode()
    bad = client.post(form_url, {"method": "fax", "returned_to": "A"})
    assert bad.status_code == 400 and "Hình thức trả kết quả không hợp lệ." in bad.content.decode()

    done = client.post(
        form_url,
        {"method": "desk", "returned_to": "Trần Văn Ủy Quyền", "note": "CCCD 001090000001"},
        follow=True,
    )
    assert f"Đã trả kết quả hồ sơ {at_desk.code}" in done.content.decode()
    assert listed(done) == [by_post.pk]
    at_desk.refresh_from_db()
    assert at_desk.status == Status.RETURNED and at_desk.return_method == "desk"
    assert at_desk.returned_to == "Trần Văn Ủy Quyền" and at_desk.returned_at
    returned = at_desk.steps.get(kind=StepKind.RETURN)
    assert returned.outcome == StepOutcome.RETURNED and returned.note == "CCCD 001090000001"

    client.post(
        reverse("dossiers:desk_return", args=[by_post.pk]),
        {"method": "postal", "returned_to": "", "note": "Mã bưu gửi EI123456789VN"},
    )
    by_post.refresh_from_db()
    assert by_post.return_method == "postal" and by_post.returned_to == by_post.applicant_name
    assert listed(client.get(RETURNS)) == []
    # Returning twice is refused: back to the page (a refresh does not resubmit)
    # with the reason, and the form is gone.
    twice = client.post(form_url, {"method": "desk", "returned_to": "X"})
    assert twice.status_code == 302 and twice.url == form_url
    page = client.get(form_url).content.decode()
    assert "Không thể “Trả kết quả”" in page
    assert 'name="returned_to"' not in page


def test_returns_are_the_desks_own(client, users, workflow_procedure):
    dossier = approved(users, workflow_procedure)
    client.force_login(users[SPECIALIST])
    assert client.get(RETURNS).status_code == 404
    assert client.get(reverse("dossiers:desk_return", args=[dossier.pk])).status_code == 404
    client.force_login(users["motcua.yte"])
    assert listed(client.get(RETURNS)) == []
    assert client.get(reverse("dossiers:desk_return", args=[dossier.pk])).status_code == 404
