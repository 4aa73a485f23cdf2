"""The staff pages: handle an item end to end, entry of a letter, the inbox in
constant queries, errors shown beside the form with the input kept."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import Category, Feedback, Status
from feedback.services import pakn
from tests.feedback.conftest import JUSTICE, SUBMITTER, submit_pakn
from tthc_portal.audit.models import AuditEvent
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
BASE = "/phan-anh-kien-nghi/xu-ly/"


def act(client, item, action, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"{BASE}{item.pk}/{action}/", data)


def test_office_and_department_handle_an_item_through_the_pages(client, users, tinh):
    item = submit_pakn()
    client.force_login(users["vanphong"])
    page = client.get(f"{BASE}{item.pk}/").content.decode()
    assert 'data-action="classify"' in page and 'data-action="answer"' not in page
    assert act(client, item, "classify", category=Category.REGULATION_IN_SCOPE).status_code == 302
    response = act(client, item, "forward", agency=tinh[JUSTICE].pk)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.agency.code) == (Status.IN_HANDLING, JUSTICE)
    # The department's head and specialist are told by email.
    assert OutboxMessage.objects.filter(
        recipient=users["lanhdao.tuphap"].email, subject__contains="được chuyển đến Sở Tư pháp"
    ).exists()

    client.force_login(users["lanhdao.tuphap"])
    response = act(client, item, "answer", answer="ngắn")
    assert response.status_code == 400
    assert "ít nhất 10 ký tự" in response.content.decode()
    assert "ngắn</textarea>" in response.content.decode()  # the input is kept
    assert (
        act(client, item, "answer", answer="Sở Tư pháp đã bỏ yêu cầu sổ hộ khẩu.").status_code
        == 302
    )

    client.force_login(users["vanphong"])
    assert act(client, item, "approve_publication").status_code == 302
    assert act(client, item, "publish").status_code == 302
    item.refresh_from_db()
    assert item.status == Status.PUBLISHED and item.published_at is not None
    assert list(item.history.values_list("action", flat=True)) == [
        "submit", "classify", "forward", "answer", "approve_publication", "publish",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(action="feedback.publish", target_id=str(item.pk)).exists()
    email = OutboxMessage.objects.get(recipient=SUBMITTER["submitter_email"],
                                      subject__startswith="Kết quả xử lý")  # fmt: skip
    assert "Sở Tư pháp đã bỏ yêu cầu sổ hộ khẩu." in email.body
    # A second publish is refused by the transition table with a clear message.
    response = act(client, item, "publish")
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "Không thể “Công khai kết quả”: PAKN đang ở trạng thái “Đã công khai”" in follow


def test_refusal_needs_a_reason_and_keeps_the_choice(client, users):
    item = submit_pakn()
    client.force_login(users["vanphong"])
    response = act(client, item, "classify", category=Category.NOT_ACCEPTED)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Phải ghi rõ lý do không tiếp nhận" in html
    assert re.search(r'<input[^>]*value="not_accepted"[^>]*checked', html)
    act(client, item, "classify", category=Category.NOT_ACCEPTED, reason="Là đơn khiếu nại.")
    item.refresh_from_db()
    assert item.status == Status.NOT_ACCEPTED and item.refusal_reason == "Là đơn khiếu nại."


def test_a_phone_call_is_entered_with_its_channel(client, users, tinh):
    client.force_login(users["motcua.tuphap"])
    data = {
        **{k: v for k, v in SUBMITTER.items()},
        "title": "Gọi điện phản ánh thái độ cán bộ",
        "content": "Người dân gọi điện phản ánh cán bộ tiếp nhận không hướng dẫn đầy đủ.",
        "channel": "phone",
        "received_at": "2025-03-03T09:30",
        "receiving_agency": tinh[JUSTICE].pk,
    }
    response = client.post(f"{BASE}nhap-moi/", data)
    item = Feedback.objects.get()
    assert response.status_code == 302
    assert (item.channel, item.entered_by, item.receiving_agency.code) == (
        "phone", users["motcua.tuphap"], JUSTICE,
    )  # fmt: skip
    # Another unit cannot be chosen as receiving agency.
    response = client.post(
        f"{BASE}nhap-moi/", {**data, "receiving_agency": tinh["000.00.11.H99"].pk}
    )
    assert response.status_code == 200 and Feedback.objects.count() == 1


def test_inbox_in_constant_queries(client, users, tinh):
    office = users["vanphong"]
    client.force_login(office)
    submit_pakn()
    with CaptureQueriesContext(connection) as few:
        assert client.get(BASE).status_code == 200
    for _ in range(8):
        item = submit_pakn()
        pakn.feedback_classify(actor=office, item=item, category=Category.REGULATION_IN_SCOPE)
        pakn.feedback_forward(actor=office, item=item, agency=tinh[JUSTICE])
    with CaptureQueriesContext(connection) as many:
        html = client.get(BASE).content.decode()
    assert html.count('data-code="PAKN-') == 9
    assert len(many) == len(few)
    client.force_login(users["lanhdao.tuphap"])
    html = client.get(BASE).content.decode()
    assert html.count('data-code="PAKN-') == 8  # the unforwarded one stays with the office


def test_inbox_search_ignores_diacritics(client, users):
    submit_pakn(title="Giờ làm việc không niêm yết", submitter_name="Đặng Thị Hoa")
    submit_pakn()
    client.force_login(users["vanphong"])
    html = client.get(BASE, {"q": "gio lam viec", "trang_thai": "all"}).content.decode()
    assert html.count('data-code="PAKN-') == 1
    html = client.get(BASE, {"q": "ĐẶNG hoa"}).content.decode()
    assert html.count('data-code="PAKN-') == 1 and "Giờ làm việc" in html
