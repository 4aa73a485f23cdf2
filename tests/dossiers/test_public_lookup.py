"""Public status lookup: code + second factor, QR link, no personal data,
indistinguishable failures, per-IP throttling."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, Status
from dossiers.services.lifecycle import dossier_transition
from dossiers.services.reception import dossier_receive
from dossiers.services.submission import (
    component_attach,
    dossier_create_draft,
    dossier_submit,
    dossier_update_draft,
)
from procedures.models import WorkflowStep
from tests.dossiers.files import make_pdf, upload

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LOOKUP = reverse("dossiers:lookup")
CITIZEN = "001085012345"  # phone 0912345678
PRIVATE_ADDRESS = "Số 17 ngõ Hoa Sữa, thôn Đông"
PRIVATE_EMAIL = "an.rieng@example.vn"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def received(users, procedure, *, at: datetime | None = None) -> Dossier:
    citizen = users[CITIZEN]
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    dossier_update_draft(
        actor=citizen,
        dossier=dossier,
        data={"applicant_address": PRIVATE_ADDRESS, "applicant_email": PRIVATE_EMAIL},
    )
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen, dossier=dossier, requirement_id=requirement.pk,
            upload=upload(f"{requirement.order}.pdf", make_pdf()),
        )  # fmt: skip
    dossier = dossier_submit(actor=citizen, dossier=dossier)
    return dossier_receive(
        actor=users["motcua.tuphap"],
        dossier=dossier,
        at=at or datetime(2025, 3, 3, 9, 0, tzinfo=TZ),
    )


def look_up(client: Client, code: str, last4: str, ip: str = "203.0.113.7"):
    return client.post(LOOKUP, {"code": code, "last4": last4}, REMOTE_ADDR=ip)


def body(response) -> str:
    return CSRF.sub("", response.content.decode())


def test_code_with_last_digits_of_phone_or_id_number_shows_the_status(users, online_procedure):
    dossier = received(users, online_procedure)
    client = Client()
    by_phone = look_up(client, dossier.code, "5678")
    by_id = look_up(client, f"  {dossier.code.lower()} ", "2345")  # typed on a kiosk
    for response in (by_phone, by_id):
        assert response.status_code == 200
        page = response.content.decode()
        assert dossier.code in page
        assert online_procedure.current_version.name in page
        assert "Đã tiếp nhận" in page
        assert "09:00 03/03/2025" in page  # received at
        assert timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y") in page
        assert "Chưa có kết quả" in page
    assert body(by_phone) == body(by_id)


def test_the_page_carries_nothing_personal(users, online_procedure):
    dossier = received(users, online_procedure)
    client = Client()
    pages = [
        look_up(client, dossier.code, "5678"),
        client.get(reverse("dossiers:lookup_token", args=[dossier.lookup_token])),
    ]
    for response in pages:
        assert response.status_code == 200
        page = response.content.decode()
        assert dossier.code in page
        for private in (
            dossier.applicant_name,  # Nguyễn Văn An
            "0912345678",
            "001085012345",
            PRIVATE_ADDRESS,
            PRIVATE_EMAIL,
        ):
            assert private not in page, private


def test_wrong_factor_unknown_code_and_drafts_are_indistinguishable(users, online_procedure):
    dossier = received(users, online_procedure)
    draft = dossier_create_draft(actor=users[CITIZEN], procedure=online_procedure)
    # Even a draft that somehow carried a code must never be found.
    Dossier.objects.filter(pk=draft.pk).update(code="000.00.10.H99-250303-0999")
    client = Client()
    attempts = {
        "wrong factor": (dossier.code, "0000"),
        "unknown code": ("000.00.10.H99-250303-0777", "5678"),
        "draft": ("000.00.10.H99-250303-0999", "5678"),
    }
    responses, query_counts = {}, {}
    for label, (code, last4) in attempts.items():
        with CaptureQueriesContext(connection) as queries:
            responses[label] = look_up(client, code, last4)
        query_counts[label] = len(queries)
    with CaptureQueriesContext(connection) as queries:
        assert look_up(client, dossier.code, "5678").status_code == 200
    found_queries = len(queries)

    bodies = {label: body(response) for label, response in responses.items()}
    assert {response.status_code for response in responses.values()} == {200}
    assert len(set(bodies.values())) == 1, "a failure reveals which guess was closer"
    assert "Không tìm thấy hồ sơ" in bodies["unknown code"]
    assert dossier.code not in bodies["wrong factor"]  # the typed code is not echoed
    assert {tuple(t.name for t in response.templates) for response in responses.values()} == {
        tuple(t.name for t in responses["draft"].templates)
    }
    # Exactly the same database work whatever the outcome (one query).
    assert set(query_counts.values()) == {found_queries} == {1}


def test_in_processing_shows_the_citizen_facing_step_and_then_the_result(users, online_procedure):
    version = online_procedure.current_version
    WorkflowStep.objects.filter(version=version).delete()
    WorkflowStep.objects.create(
        version=version, order=1, name="Tiếp nhận", actor_role="desk_officer"
    )
    WorkflowStep.objects.create(
        version=version, order=2, name="Thẩm định", actor_role="specialist",
        citizen_status_text="Chuyên viên đang thẩm định hồ sơ",
    )  # fmt: skip
    dossier = received(users, online_procedure)
    link = reverse("dossiers:lookup_token", args=[dossier.lookup_token])
    client = Client()
    assert "Chuyên viên đang thẩm định" not in client.get(link).content.decode()

    dossier_transition(actor=users["motcua.tuphap"], dossier=dossier, action="transfer")
    page = client.get(link).content.decode()
    assert "Đang xử lý" in page and "Chuyên viên đang thẩm định hồ sơ" in page

    Dossier.objects.filter(pk=dossier.pk).update(status=Status.RESULT_READY)
    page = client.get(link).content.decode()
    assert "Đã có kết quả" in page and "Chưa có kết quả" not in page


def test_qr_token_link_works_and_a_bad_token_is_404(users, online_procedure):
    dossier = received(users, online_procedure)
    client = Client()
    response = client.get(reverse("dossiers:lookup_token", args=[dossier.lookup_token]))
    assert response.status_code == 200
    assert dossier.code in response.content.decode()

    missing = client.get(reverse("dossiers:lookup_token", args=["khong-phai-ma-that-0123"]))
    assert missing.status_code == 404
    assert "Không tìm thấy hồ sơ" in missing.content.decode()

    # A submitted dossier has a token but no code yet: not findable.
    pending = dossier_create_draft(actor=users[CITIZEN], procedure=online_procedure)
    draft_link = reverse("dossiers:lookup_token", args=[pending.lookup_token])
    assert client.get(draft_link).status_code == 404


def test_bad_input_is_explained_in_vietnamese(db):
    response = Client().post(LOOKUP, {"code": "", "last4": "12a"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Vui lòng nhập mã hồ sơ." in page
    assert "Vui lòng nhập đúng 4 chữ số." in page


def test_eleventh_attempt_in_ten_minutes_is_refused_per_ip(settings, users, online_procedure):
    settings.TTHC = {**settings.TTHC, "LOOKUP_ATTEMPTS_PER_10_MIN": 10}
    dossier = received(users, online_procedure)
    client = Client()
    # Ten different codes: one code's wrong answers have their own, lower lock.
    for n in range(10):
        assert look_up(client, f"000.00.10.H99-250303-07{n:02d}", "1234").status_code == 200
    blocked = look_up(client, dossier.code, "5678")  # even the right answer
    assert blocked.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần" in blocked.content.decode()
    # QR links have their own budget (issue 18, item 9): the link still answers.
    token_link = reverse("dossiers:lookup_token", args=[dossier.lookup_token])
    assert client.get(token_link, REMOTE_ADDR="203.0.113.7").status_code == 200

    other = look_up(client, dossier.code, "5678", ip="198.51.100.9")
    assert other.status_code == 200
    assert dossier.code in other.content.decode()
