"""Permission isolation: an item forwarded to one department is invisible to the
staff of another (404 on pages and API), and only the right people act on it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from feedback.models import Category
from feedback.services import pakn
from tests.feedback.conftest import JUSTICE, at, classified_and_forwarded, submit_pakn

pytestmark = pytest.mark.django_db


@pytest.fixture
def forwarded(users, tinh):
    return classified_and_forwarded(users, tinh, at(2025, 3, 3, 9), at(2025, 3, 3, 10))


def test_other_department_gets_404_everywhere(client, users, forwarded):
    client.force_login(users["lanhdao.yte"])
    base = f"/phan-anh-kien-nghi/xu-ly/{forwarded.pk}/"
    assert client.get(base).status_code == 404
    assert (
        client.post(f"{base}answer/", {"answer-answer": "Trả lời thử nghiệm."}).status_code == 404
    )
    assert client.get(f"/api/pakn/staff/{forwarded.pk}/").status_code == 404
    response = client.post(
        f"/api/pakn/staff/{forwarded.pk}/actions/answer/",
        {"answer": "Trả lời thử nghiệm của Sở Y tế."},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert forwarded.code not in client.get("/phan-anh-kien-nghi/xu-ly/").content.decode()
    assert client.get("/api/pakn/staff/").json()["count"] == 0
    with pytest.raises(PermissionDenied):
        pakn.feedback_answer(actor=users["lanhdao.yte"], item=forwarded, answer="Không được.")


def test_handling_department_and_office_see_it(client, users, forwarded):
    for username in ("lanhdao.tuphap", "chuyenvien.tuphap", "vanphong"):
        client.force_login(users[username])
        assert client.get(f"/phan-anh-kien-nghi/xu-ly/{forwarded.pk}/").status_code == 200
        assert client.get(f"/api/pakn/staff/{forwarded.pk}/").status_code == 200


def test_department_cannot_classify_or_publish(client, users, forwarded, tinh):
    head = users["lanhdao.tuphap"]
    pakn.feedback_answer(actor=head, item=forwarded, answer="Sở Tư pháp đã xử lý xong.")
    with pytest.raises(PermissionDenied):
        pakn.feedback_approve_publication(actor=head, item=forwarded)
    client.force_login(head)
    response = client.post(f"/phan-anh-kien-nghi/xu-ly/{forwarded.pk}/approve_publication/")
    assert response.status_code == 403
    # An unforwarded item of the province is not visible to a department at all.
    other = submit_pakn()
    assert client.get(f"/phan-anh-kien-nghi/xu-ly/{other.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        pakn.feedback_classify(actor=head, item=other, category=Category.REGULATION_IN_SCOPE)
    assert forwarded.agency == tinh[JUSTICE]


def test_anonymous_and_citizens_cannot_reach_the_workspace(client, users, forwarded):
    response = client.get("/phan-anh-kien-nghi/xu-ly/")
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    client.force_login(users["001085012345"])
    assert client.get("/phan-anh-kien-nghi/xu-ly/").status_code == 403
    assert client.get(f"/phan-anh-kien-nghi/xu-ly/{forwarded.pk}/").status_code == 404
    assert client.get("/api/pakn/staff/").status_code == 403


def test_the_office_does_not_answer_in_a_departments_place(users, forwarded, tinh):
    with pytest.raises(PermissionDenied):
        pakn.feedback_answer(actor=users["vanphong"], item=forwarded, answer="Thay Sở trả lời.")
    # An item the office keeps (in scope at the province) is answered by the office.
    kept = submit_pakn()
    office = users["vanphong"]
    pakn.feedback_classify(actor=office, item=kept, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=kept, agency=tinh["000.00.00.H99"])
    kept = pakn.feedback_answer(actor=office, item=kept, answer="Văn phòng UBND tỉnh trả lời.")
    assert kept.answer_agency.code == "000.00.00.H99"
