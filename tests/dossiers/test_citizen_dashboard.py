"""The citizen's dashboard ("Hồ sơ của tôi") and personal data store pages."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier, Payment, Status, SupplementRequest, SupplementStage
from dossiers.services.reception import dossier_request_completion
from dossiers.services.submission import component_attach, dossier_create_draft, dossier_submit
from tests.dossiers.files import make_pdf, upload
from tests.dossiers.test_online_submission import (  # noqa: F401 - fixtures
    CITIZEN,
    OTHER_CITIZEN,
    province,
    seeded_province,
    store_document,
)

DASHBOARD = "/ho-so/"
ROW = re.compile(r'<tr data-dossier="(\d+)">(.*?)</tr>', re.S)


def rows(client: Client, query: str = "") -> dict[int, str]:
    response = client.get(f"{reverse('dossiers:my_dossiers')}{query}")
    assert response.status_code == 200
    return {int(pk): html for pk, html in ROW.findall(response.content.decode())}


def submitted(citizen, procedure) -> Dossier:
    dossier = dossier_create_draft(actor=citizen, procedure=procedure)
    for requirement in procedure.current_version.components.filter(required=True):
        component_attach(
            actor=citizen,
            dossier=dossier,
            requirement_id=requirement.pk,
            upload=upload("giay-to.pdf", make_pdf()),
        )
    return dossier_submit(actor=citizen, dossier=dossier)


def test_lists_only_my_dossiers_with_the_action_badges(client, users, online_procedure):
    citizen = users[CITIZEN]
    draft = dossier_create_draft(actor=citizen, procedure=online_procedure)
    to_pay = submitted(citizen, online_procedure)  # fee requested on submission
    to_complete = submitted(citizen, online_procedure)
    Payment.objects.filter(dossier=to_complete).delete()
    requirement = online_procedure.current_version.components.get(name="Sơ yếu lý lịch")
    dossier_request_completion(
        actor=users["motcua.tuphap"],
        dossier=to_complete,
        items=[{"requirement": requirement.pk, "name": requirement.name, "reason": "Ảnh bị mờ"}],
    )
    someone_else = dossier_create_draft(actor=users[OTHER_CITIZEN], procedure=online_procedure)
    client.force_login(citizen)

    listed = rows(client)

    assert set(listed) == {draft.pk, to_pay.pk, to_complete.pk}
    assert someone_else.pk not in listed
    assert "data-badge" not in listed[draft.pk]
    assert 'data-badge="payment"' in listed[to_pay.pk] and "Chờ thanh toán" in listed[to_pay.pk]
    assert 'data-badge="supplement"' not in listed[to_pay.pk]
    assert 'data-badge="supplement"' in listed[to_complete.pk]
    assert "Cần bổ sung" in listed[to_complete.pk]
    assert online_procedure.current_version.name in listed[to_pay.pk]
    assert "Chờ tiếp nhận" in listed[to_pay.pk]
    # Drafts open the e-form, other dossiers their page.
    assert reverse("dossiers:draft", args=[draft.pk]) in listed[draft.pk]
    assert reverse("dossiers:detail", args=[to_pay.pk]) in listed[to_pay.pk]

    assert set(rows(client, "?nhom=dang-soan")) == {draft.pk}
    assert set(rows(client, "?nhom=dang-xu-ly")) == {to_pay.pk}
    assert set(rows(client, "?nhom=can-bo-sung")) == {to_complete.pk}
    assert set(rows(client, "?nhom=da-co-ket-qua")) == set()
    assert set(rows(client, "?nhom=khong-co")) == set(listed)  # unknown group: all

    detail = client.get(reverse("dossiers:detail", args=[to_complete.pk])).content.decode()
    assert "Ảnh bị mờ" in detail and "Nộp lại hồ sơ" in detail


def test_the_appointment_date_and_code_are_shown(client, users, online_procedure):
    citizen = users[CITIZEN]
    dossier = dossier_create_draft(actor=citizen, procedure=online_procedure)
    due = datetime(2026, 3, 9, 17, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    Dossier.objects.filter(pk=dossier.pk).update(
        status=Status.IN_PROCESSING, code="000.00.10.H99-260302-0007", due_at=due
    )
    client.force_login(citizen)

    row = rows(client)[dossier.pk]

    assert "000.00.10.H99-260302-0007" in row and "09/03/2026" in row and "Đang xử lý" in row


def many_dossiers(citizen, procedure, count: int) -> list[Dossier]:
    dossiers = [dossier_create_draft(actor=citizen, procedure=procedure) for _ in range(count)]
    for index, dossier in enumerate(dossiers):
        if index % 3 == 1:
            Payment.objects.create(
                dossier=dossier, fee_items=[], amount_vnd=50000, gateway="simulated"
            )
        if index % 3 == 2:
            SupplementRequest.objects.create(
                dossier=dossier,
                stage=SupplementStage.BEFORE_RECEIPT,
                items=[{"name": "Đơn", "reason": "Thiếu chữ ký"}],
                requested_by=citizen,
                requested_at=timezone.now(),
            )
    return dossiers


def test_pagination_by_twenty_keeps_the_filter(client, users, online_procedure):
    citizen = users[CITIZEN]
    created = many_dossiers(citizen, online_procedure, 25)
    client.force_login(citizen)

    first = client.get(f"{DASHBOARD}?nhom=dang-soan").content.decode()
    first_rows = {int(pk) for pk, _ in ROW.findall(first)}
    second_rows = set(rows(client, "?nhom=dang-soan&trang=2"))

    assert len(first_rows) == 20 and len(second_rows) == 5
    assert first_rows | second_rows == {d.pk for d in created}
    assert "Trang 1/2" in first
    assert 'href="?nhom=dang-soan&amp;trang=2"' in first
    assert max(created, key=lambda d: d.pk).pk in first_rows  # newest first


def test_query_count_does_not_grow_with_the_number_of_dossiers(
    client, users, online_procedure, django_assert_max_num_queries
):
    citizen = users[CITIZEN]
    many_dossiers(citizen, online_procedure, 3)
    client.force_login(citizen)
    client.get(DASHBOARD)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert len(rows(client)) == 3

    many_dossiers(citizen, online_procedure, 22)
    with django_assert_max_num_queries(len(few)):
        listed = rows(client)

    assert len(listed) == 20
    assert sum('data-badge="payment"' in html for html in listed.values()) >= 6


def test_personal_store_lists_and_serves_only_my_documents(client, users):
    mine = store_document(users[CITIZEN], "Giấy khai sinh")
    theirs = store_document(users[OTHER_CITIZEN], "Hộ chiếu của người khác")
    client.force_login(users[CITIZEN])

    listing = client.get(reverse("dossiers:personal_store")).content.decode()
    assert "Giấy khai sinh" in listing and "Hộ chiếu của người khác" not in listing
    assert reverse("dossiers:personal_download", args=[mine.pk]) in listing

    download = client.get(reverse("dossiers:personal_download", args=[mine.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"
    assert ".pdf" in download["Content-Disposition"]
    assert client.get(reverse("dossiers:personal_download", args=[theirs.pk])).status_code == 404
