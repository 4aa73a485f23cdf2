"""Online submission through the citizen's pages, with the test client:
start → e-form → uploads → fee tier → submit → dossier page."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client
from django.urls import NoReverseMatch, reverse

from dossiers.models import Dossier, DossierComponent, Payment, PersonalDocument, SourceForm, Status
from dossiers.services.reception import dossier_receive
from portal_site.demo import DEMO_PASSWORD, seed_accounts, seed_agencies, seed_procedures
from procedures.models import FeeItem, Procedure, ProcedureVersion, WorkflowStep
from tests.dossiers.files import make_pdf, upload
from tthc_portal.agencies.models import Agency
from tthc_portal.workdays import services as workdays

CITIZEN = "001085012345"
OTHER_CITIZEN = "036190004567"


# --- shared by the citizen page tests (imported by the sibling modules) ----------------


@pytest.fixture(scope="module")
def seeded_province(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The demo province seeded once per module, rolled back at its end; each
    test still runs in its own savepoint."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            workdays.calendar_load_file()
            seed_accounts(seed_agencies())
            seed_procedures()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def province(seeded_province, db) -> dict[str, Agency]:
    """Overrides tests/dossiers/conftest.py's per-test seeding."""
    return {agency.code: agency for agency in Agency.objects.all()}


def media_files() -> set[Path]:
    root = Path(settings.STORAGES["default"]["OPTIONS"]["location"])
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345678",
        "applicant_email": "an@example.vn",
        "applicant_address": "Số 5 đường Bạch Đằng, phường Phố Hiến",
        "request_content": "Đề nghị bổ nhiệm giám định viên tư pháp",
        "result_delivery": "online",
        "action": "save",
    }
    data.update(overrides)
    return data


def start_draft(client: Client, procedure: Procedure, **post: Any) -> Dossier:
    response = client.post(reverse("dossiers:submit_start", args=[procedure.pk]), post)
    assert response.status_code == 302, response.content.decode().split("<main")[-1][:3000]
    dossier = Dossier.objects.order_by("-pk").first()
    assert response.url == reverse("dossiers:draft", args=[dossier.pk])
    return dossier


def requirement_pks(procedure: Procedure) -> dict[str, int]:
    return dict(procedure.current_version.components.values_list("name", "pk"))


def upload_file(
    client: Client,
    dossier: Dossier,
    requirement_pk: int,
    name: str,
    content: bytes,
    *,
    htmx: bool = False,
    content_type: str = "application/pdf",
):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("dossiers:upload", args=[dossier.pk, requirement_pk]),
        {"file": upload(name, content, content_type)},
        headers=headers,
    )


def page(response) -> str:
    return response.content.decode()


# --- the whole path ---------------------------------------------------------------


def test_citizen_submits_online_from_start_to_dossier_page(client, users, online_procedure):
    citizen = users[CITIZEN]
    client.force_login(citizen)
    start_url = reverse("dossiers:submit_start", args=[online_procedure.pk])

    start = client.get(start_url)
    assert start.status_code == 200
    assert online_procedure.current_version.name in page(start)
    assert 'name="commune"' not in page(start)  # provincial: the agency is automatic
    assert "Sở Tư pháp" in page(start)

    dossier = start_draft(client, online_procedure)
    assert dossier.status == Status.DRAFT and dossier.applicant == citizen
    assert dossier.receiving_agency.code == "000.00.10.H99"

    # The e-form is prefilled from the profile; the ID number is read-only.
    draft_url = reverse("dossiers:draft", args=[dossier.pk])
    form_page = page(client.get(draft_url))
    assert 'value="Nguyễn Văn An"' in form_page
    assert 'value="001085012345"' in form_page and "disabled" in form_page
    assert "Lệ phí" in form_page and "50.000 đ" in form_page  # the online amount
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in form_page
    assert "tối đa 10,0" in form_page  # the size limit is in the help text

    # "Lưu nháp" keeps the data, and never the ID number sent by the browser.
    saved = client.post(
        draft_url,
        form_data(
            applicant_phone="0987654321",
            applicant_id_number="999999999999",
            representative_name="Trần Văn Bình",
            representative_id_number="001090000001",
        ),
    )
    assert saved.status_code == 302 and saved.url == draft_url
    dossier.refresh_from_db()
    assert dossier.applicant_phone == "0987654321"
    assert dossier.applicant_id_number == "001085012345"
    assert dossier.representative_name == "Trần Văn Bình"
    assert dossier.result_delivery == "online"
    assert 'value="0987654321"' in page(client.get(draft_url))

    # One upload without JavaScript (page reload), one with htmx (slot in place).
    slots = requirement_pks(online_procedure)
    plain = upload_file(client, dossier, slots["Đơn đề nghị"], "don-de-nghi.pdf", make_pdf())
    assert plain.status_code == 302
    assert plain.url == f"{draft_url}#slot-{slots['Đơn đề nghị']}"
    swapped = upload_file(
        client, dossier, slots["Sơ yếu lý lịch"], "so-yeu.pdf", make_pdf(2), htmx=True
    )
    assert swapped.status_code == 200
    fragment = page(swapped)
    assert "<html" not in fragment and f'id="slot-{slots["Sơ yếu lý lịch"]}"' in fragment
    assert "so-yeu.pdf" in fragment and "2 trang" in fragment
    assert dossier.components.count() == 2

    submitted = client.post(draft_url, form_data(action="submit"))
    assert submitted.status_code == 302
    assert submitted.url == reverse("dossiers:detail", args=[dossier.pk])
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED and dossier.submitted_at is not None

    detail = page(client.get(submitted.url))
    assert "Đã nộp hồ sơ" in detail  # the success message
    assert "Chờ tiếp nhận" in detail
    assert "50.000 đ" in detail  # the online fee requested on submission
    assert Payment.objects.get(dossier=dossier).amount_vnd == 50000
    assert "don-de-nghi.pdf" in detail and "so-yeu.pdf" in detail
    assert "Nộp hồ sơ" in detail  # the history row

    # A submitted dossier is no longer editable: the form sends to the dossier page.
    assert client.get(draft_url).url == submitted.url


def test_submit_with_a_missing_required_file_names_it_and_keeps_the_data(
    client, users, online_procedure
):
    client.force_login(users[CITIZEN])
    dossier = start_draft(client, online_procedure)
    upload_file(
        client, dossier, requirement_pks(online_procedure)["Đơn đề nghị"], "don.pdf", make_pdf()
    )

    response = client.post(
        reverse("dossiers:draft", args=[dossier.pk]),
        form_data(action="submit", request_content="Yêu cầu được giữ lại"),
    )

    assert response.status_code == 400
    content = page(response)
    assert "Chưa đủ thành phần hồ sơ bắt buộc." in content
    assert "Thiếu: Sơ yếu lý lịch" in content
    assert "Thiếu: Đơn đề nghị" not in content
    assert "Yêu cầu được giữ lại" in content  # what the user typed is still on the page
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT
    assert dossier.request_content == "Yêu cầu được giữ lại"  # and saved
    assert not Payment.objects.filter(dossier=dossier).exists()


def test_submit_checks_the_form_and_keeps_what_was_typed(client, users, online_procedure):
    client.force_login(users[CITIZEN])
    dossier = start_draft(client, online_procedure)

    response = client.post(
        reverse("dossiers:draft", args=[dossier.pk]),
        form_data(
            action="submit",
            applicant_phone="12345",
            applicant_address="",
            representative_phone="0911111111",
        ),
    )

    assert response.status_code == 400
    content = page(response)
    assert "Số điện thoại không hợp lệ" in content
    assert "Vui lòng nhập địa chỉ liên hệ." in content
    assert "Vui lòng nhập họ tên người được ủy quyền." in content
    assert 'value="12345"' in content
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT and dossier.applicant_phone == "0912345678"


def test_fee_tier_must_be_chosen_and_sets_the_amount(client, users, online_procedure):
    version = online_procedure.current_version
    first = FeeItem.objects.create(
        version=version,
        name="Cấp thẻ lần đầu",
        kind="fee",
        amount_vnd=200000,
        online_amount_vnd=150000,
        is_alternative=True,
    )
    again = FeeItem.objects.create(
        version=version,
        name="Cấp lại thẻ",
        kind="fee",
        amount_vnd=100000,
        online_amount_vnd=80000,
        is_alternative=True,
    )
    client.force_login(users[CITIZEN])
    dossier = start_draft(client, online_procedure)
    draft_url = reverse("dossiers:draft", args=[dossier.pk])
    assert f'value="{first.pk}"' in page(client.get(draft_url))
    for name, pk in requirement_pks(online_procedure).items():
        if name != "Giấy tờ khác":
            upload_file(client, dossier, pk, f"{pk}.pdf", make_pdf())

    refused = client.post(draft_url, form_data(action="submit"))
    assert refused.status_code == 400
    assert "Vui lòng chọn mức phí, lệ phí phù hợp với trường hợp của bạn." in page(refused)
    dossier.refresh_from_db()
    assert dossier.status == Status.DRAFT

    other_version_fee = FeeItem.objects.exclude(version=version).first()
    if other_version_fee is not None:
        wrong = client.post(draft_url, form_data(fee_choice=other_version_fee.pk))
        assert wrong.status_code == 400
        assert "Mức phí, lệ phí đã chọn không thuộc thủ tục này." in page(wrong)

    client.post(draft_url, form_data(fee_choice=again.pk))  # saved with the draft
    dossier.refresh_from_db()
    assert dossier.form_data["fee_choice"] == again.pk
    assert re.search(rf'value="{again.pk}"[^>]*checked', page(client.get(draft_url)))

    submitted = client.post(draft_url, form_data(action="submit", fee_choice=again.pk))
    assert submitted.status_code == 302
    payment = Payment.objects.get(dossier=dossier)
    assert payment.amount_vnd == 50000 + 80000  # the fixed charge plus the chosen tier
    assert "130.000 đ" in page(client.get(submitted.url))


# --- starting ----------------------------------------------------------------------


def test_a_procedure_without_online_service_refuses_in_vietnamese(client, users, province):
    procedure = Procedure.objects.get(code="2.000890")
    ProcedureVersion.objects.filter(pk=procedure.current_version_id).update(
        online_level="none", channel_online=False
    )
    client.force_login(users[CITIZEN])
    url = reverse("dossiers:submit_start", args=[procedure.pk])

    assert "chưa cung cấp dịch vụ công trực tuyến" in page(client.get(url))
    response = client.post(url)

    assert response.status_code == 400
    assert "Thủ tục này chưa cung cấp dịch vụ công trực tuyến." in page(response)
    assert not Dossier.objects.exists()


def test_a_commune_level_procedure_needs_a_commune(client, users, online_procedure, province):
    ProcedureVersion.objects.filter(pk=online_procedure.current_version_id).update(
        level="commune", implementing_agency=None
    )
    client.force_login(users[CITIZEN])
    url = reverse("dossiers:submit_start", args=[online_procedure.pk])
    commune = province["000.21.00.H99"]
    merged_away = province["000.31.00.H99"]  # inactive since the 2025 merger

    form = page(client.get(url))
    assert 'name="commune"' in form and "UBND phường Phố Hiến" in form
    assert "Tân Tiến (cũ)" not in form

    missing = client.post(url)
    assert missing.status_code == 400
    assert "Vui lòng chọn UBND cấp xã nơi nộp hồ sơ." in page(missing)
    inactive = client.post(url, {"commune": merged_away.pk})
    assert "UBND cấp xã đã chọn không hợp lệ hoặc đã ngừng hoạt động." in page(inactive)
    assert not Dossier.objects.exists()

    dossier = start_draft(client, online_procedure, commune=commune.pk)
    assert dossier.receiving_agency == commune


def test_staff_accounts_are_refused_and_anonymous_users_must_sign_in(
    client, users, online_procedure
):
    url = reverse("dossiers:submit_start", args=[online_procedure.pk])
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url == f"{reverse('accounts:login')}?next={url}"

    client.force_login(users["motcua.tuphap"])
    assert "Tài khoản cán bộ không nộp hồ sơ trực tuyến" in page(client.get(url))
    response = client.post(url)
    assert response.status_code == 403
    assert "Chỉ công dân, tổ chức" in page(response)
    assert not Dossier.objects.exists()


# --- personal data store -------------------------------------------------------------


def store_document(owner, title: str = "Bằng cử nhân luật") -> PersonalDocument:
    content = make_pdf()
    document = PersonalDocument(
        owner=owner,
        title=title,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        is_result=True,
    )
    document.file.save("ignored.pdf", ContentFile(content), save=True)
    return document


def test_reuse_from_the_personal_store_flags_the_component(client, users, online_procedure):
    citizen = users[CITIZEN]
    document = store_document(citizen)
    foreign = store_document(users[OTHER_CITIZEN], "Giấy tờ của người khác")
    client.force_login(citizen)
    dossier = start_draft(client, online_procedure)
    slot = requirement_pks(online_procedure)["Sơ yếu lý lịch"]
    assert "Bằng cử nhân luật" in page(client.get(reverse("dossiers:draft", args=[dossier.pk])))
    assert "Giấy tờ của người khác" not in page(
        client.get(reverse("dossiers:draft", args=[dossier.pk]))
    )

    url = reverse("dossiers:reuse", args=[dossier.pk, slot])
    refused = client.post(url, {"personal_document": foreign.pk}, headers={"HX-Request": "true"})
    assert "Giấy tờ đã chọn không có trong kho dữ liệu của bạn." in page(refused)
    assert not dossier.components.exists()

    response = client.post(url, {"personal_document": document.pk}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Lấy từ kho dữ liệu cá nhân" in page(response)
    component = DossierComponent.objects.get(dossier=dossier)
    assert component.requirement_id == slot
    assert component.from_personal_store and component.is_reused
    assert component.source_form == SourceForm.PERSONAL_STORE
    assert component.personal_document == document
    assert component.sha256 == document.sha256  # the stored document, no browser upload


def test_a_draft_is_resumed_after_signing_out_and_in(client, users, online_procedure):
    client.force_login(users[CITIZEN])
    dossier = start_draft(client, online_procedure)
    draft_url = reverse("dossiers:draft", args=[dossier.pk])
    client.post(draft_url, form_data(request_content="Nội dung soạn dở"))
    upload_file(
        client, dossier, requirement_pks(online_procedure)["Đơn đề nghị"], "don.pdf", make_pdf()
    )
    client.logout()
    assert client.get(draft_url).status_code == 302  # signed out: to the login page

    signed_in = client.post(
        f"{reverse('accounts:login')}?next={reverse('dossiers:my_dossiers')}",
        {"username": CITIZEN, "password": DEMO_PASSWORD},
    )
    assert signed_in.status_code == 302 and signed_in.url == reverse("dossiers:my_dossiers")
    dashboard = page(client.get(signed_in.url))
    assert f'href="{draft_url}"' in dashboard and "tiếp tục soạn" in dashboard
    resumed = page(client.get(draft_url))
    assert "Nội dung soạn dở" in resumed and "don.pdf" in resumed
    # The start page also offers the draft instead of a second one.
    assert draft_url in page(
        client.get(reverse("dossiers:submit_start", args=[online_procedure.pk]))
    )


# --- the dossier page after reception ---------------------------------------------------


def test_the_dossier_page_follows_the_dossier_through_reception(client, users, online_procedure):
    citizen = users[CITIZEN]
    template = online_procedure.current_version.components.get(name="Đơn đề nghị")
    template.form_template.save("mau-don.docx", ContentFile(b"mau"), save=True)
    client.force_login(citizen)
    dossier = start_draft(client, online_procedure)
    draft_page = page(client.get(reverse("dossiers:draft", args=[dossier.pk])))
    assert reverse("procedures:form_template", args=[template.pk]) in draft_page
    for name, pk in requirement_pks(online_procedure).items():
        if name != "Giấy tờ khác":
            upload_file(client, dossier, pk, f"{pk}.pdf", make_pdf())
    client.post(reverse("dossiers:draft", args=[dossier.pk]), form_data(action="submit"))
    payment = Payment.objects.get(dossier=dossier)
    detail_url = reverse("dossiers:detail", args=[dossier.pk])
    try:
        pay_url = reverse("dossiers:payment_start", args=[payment.reference])
    except NoReverseMatch:  # the payment pages are another engineer's
        pay_url = None
    submitted = page(client.get(detail_url))
    if pay_url:
        assert f'href="{pay_url}"' in submitted and "Thanh toán trực tuyến" in submitted

    dossier_receive(
        actor=users["motcua.tuphap"],
        dossier=dossier,
        at=datetime(2025, 1, 24, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )
    received = page(client.get(detail_url))
    assert "000.00.10.H99-250124-0001" in received
    assert "10:00 24/01/2025" in received and "17:00 24/02/2025" in received
    assert "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in received  # the receipt (form 01)
    assert "Tiếp nhận hồ sơ" in received  # the history

    version = online_procedure.current_version
    WorkflowStep.objects.filter(version=version).delete()
    WorkflowStep.objects.create(
        version=version,
        order=1,
        name="Tiếp nhận",
        actor_role="desk_officer",
        citizen_status_text="Chuyên viên Sở Tư pháp đang thẩm định hồ sơ",
    )
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.IN_PROCESSING)
    assert "Chuyên viên Sở Tư pháp đang thẩm định hồ sơ" in page(client.get(detail_url))
