"""The public PAKN form: the Decree 20/2008 Art. 7 fields are required with
clear reasons, input is kept, attachments are checked, consent is off by default."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.models import Feedback, FeedbackAttachment, Status
from tests.dossiers.files import EXE, make_pdf, upload
from tests.feedback.conftest import pakn_data
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
URL = "/phan-anh-kien-nghi/gui/"


def test_url_names():
    assert reverse("feedback:submit") == URL


def test_anonymous_and_incomplete_submissions_are_explained_and_input_kept(client, tinh):
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        'name="consent_publish_identity"' in html
        and "checked" not in html.split('name="consent_publish_identity"')[1].split(">")[0]
    )
    assert "Khiếu nại, tố cáo không gửi tại đây" in html

    data = pakn_data(submitter_name="", submitter_phone="12ab", submitter_email="")
    response = client.post(URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vui lòng nhập họ và tên (hoặc tên tổ chức)" in html
    assert "Nghị định 20/2008/NĐ-CP, Điều 7" in html
    assert "Số điện thoại không hợp lệ" in html
    assert "Vui lòng nhập thư điện tử hoặc địa chỉ nhận thư qua bưu chính" in html
    assert data["title"] in html and data["submitter_address"] in html  # input kept
    assert not Feedback.objects.exists()


def test_valid_submission_with_a_pdf_goes_to_the_province(client, tinh):
    data = pakn_data(submitter_email="", submitter_postal_address="Số 5 Lê Lợi")
    response = client.post(URL, {**data, "attachments": [upload("anh.pdf", make_pdf())]})
    item = Feedback.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:track", args=[item.lookup_token])
    assert item.status == Status.RECEIVED_PENDING and item.channel == "portal"
    assert item.receiving_agency.code == item.agency.code == "000.00.00.H99"
    assert item.consent_publish_identity is False
    assert FeedbackAttachment.objects.get().content_type == "application/pdf"
    assert item.history.get().action == "submit"
    # The submitter gets the tracking link by SMS (no email given).
    sms = OutboxMessage.objects.get(channel="sms")
    assert item.lookup_token in sms.body and sms.recipient == "0912345678"
    page = client.get(response["Location"])
    assert item.code in page.content.decode()


def test_a_disguised_executable_is_refused_and_nothing_is_stored(client, tinh):
    response = client.post(URL, {**pakn_data(), "attachments": [upload("scan.pdf", EXE)]})
    assert response.status_code == 200
    assert "không phải định dạng được chấp nhận" in response.content.decode()
    assert not Feedback.objects.exists() and not FeedbackAttachment.objects.exists()


def test_optional_links_to_procedure_and_agency(client, tinh, procedure):
    response = client.post(
        URL,
        pakn_data(procedure_code=procedure.code, about_agency=tinh["000.00.10.H99"].pk),
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.procedure == procedure and item.field == procedure.current_version.field
    assert item.about_agency.code == "000.00.10.H99"


def test_the_tracking_link_answers_the_request_for_information(client, users, tinh):
    from feedback.services import pakn

    item = pakn.feedback_submit(data=pakn_data())
    pakn.feedback_request_info(actor=users["vanphong"], item=item, request="Ghi rõ mã hồ sơ.")
    url = reverse("feedback:track", args=[item.lookup_token])
    html = client.get(url).content.decode()
    assert "Ghi rõ mã hồ sơ." in html and "Gửi thông tin bổ sung" in html
    assert client.post(url, {"response": ""}).status_code == 200
    response = client.post(url, {"response": "Mã hồ sơ 000.00.10.H99-250303-0001."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.RECEIVED_PENDING
    assert item.supplement_response.startswith("Mã hồ sơ")
    assert client.get("/phan-anh-kien-nghi/theo-doi/sai-ma/").status_code == 404
