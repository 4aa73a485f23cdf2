"""The public page of published answers: no login, diacritic-insensitive search,
filters, pagination in constant queries, and no personal data without consent."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback.models import Category, Feedback, FeedbackReaction
from feedback.services import pakn
from tests.feedback.conftest import HEALTH, JUSTICE, at, submit_pakn

pytestmark = pytest.mark.django_db
LIST = "/phan-anh-kien-nghi/"
PERSONAL = {
    "submitter_name": "Hoàng Thị Riêng Tư",
    "submitter_address": "Số 99 ngõ Bí Mật, phường Phố Hiến",
    "submitter_phone": "0977000111",
    "submitter_email": "rieng.tu@example.vn",
}


def published(users, tinh, agency=JUSTICE, **data) -> Feedback:
    office = users["vanphong"]
    item = submit_pakn(at(2025, 3, 3, 9), **data)
    pakn.feedback_classify(actor=office, item=item, category=Category.REGULATION_IN_SCOPE)
    pakn.feedback_forward(actor=office, item=item, agency=tinh[agency])
    head = users["lanhdao.tuphap" if agency == JUSTICE else "lanhdao.yte"]
    pakn.feedback_answer(actor=head, item=item, answer="Đã sửa quy trình tiếp nhận hồ sơ.")
    pakn.feedback_approve_publication(actor=office, item=item)
    return pakn.feedback_publish(actor=office, item=item)


def test_no_personal_data_without_consent(client, users, tinh):
    hidden = published(users, tinh, **PERSONAL, title="Phản ánh về giờ làm việc")
    shown = published(users, tinh, **{**PERSONAL, "submitter_name": "Đỗ Văn Đồng Ý"},
                      title="Phản ánh về biểu mẫu", consent_publish_identity=True)  # fmt: skip
    pages = [
        client.get(LIST).content.decode(),
        client.get(f"{LIST}cong-khai/{hidden.code}/").content.decode(),
        client.get(f"{LIST}cong-khai/{shown.code}/").content.decode(),
        client.get("/api/pakn/published/").content.decode(),
        client.get(f"/api/pakn/published/{hidden.code}/").content.decode(),
    ]
    for html in pages:
        for value in (*list(PERSONAL.values())[1:], "0977000111"):
            assert value not in html
        assert "Hoàng Thị Riêng Tư" not in html
    assert "Đỗ Văn Đồng Ý" in pages[0] and "Đỗ Văn Đồng Ý" in pages[2]
    assert "Đỗ Văn Đồng Ý" in pages[3]
    # Not published yet: not on the page.
    draft = submit_pakn(title="Chưa công khai")
    assert client.get(f"{LIST}cong-khai/{draft.code}/").status_code == 404


def test_search_without_diacritics_filters_and_pagination(client, users, tinh):
    published(users, tinh, title="Lý lịch tư pháp cấp chậm")
    published(users, tinh, agency=HEALTH, title="Giấy phép hành nghề y")
    html = client.get(LIST, {"q": "ly lich tu phap"}).content.decode()
    assert "Lý lịch tư pháp cấp chậm" in html and "Giấy phép hành nghề y" not in html
    html = client.get(LIST, {"q": "GIẤY PHÉP"}).content.decode()
    assert "Giấy phép hành nghề y" in html and "Lý lịch" not in html
    html = client.get(LIST, {"co_quan": tinh[HEALTH].pk}).content.decode()
    assert "Giấy phép hành nghề y" in html and "Lý lịch tư pháp cấp chậm" not in html
    html = client.get(LIST, {"q": "khong co gi"}).content.decode()
    assert "Không có kết quả nào phù hợp" in html


def test_list_runs_in_constant_queries(client, users, tinh):
    published(users, tinh)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for n in range(6):
        item = published(users, tinh, agency=HEALTH if n % 2 else JUSTICE, title=f"Số {n}")
        pakn.feedback_react(item=item, value="like", session_key=f"s{n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as api:
        assert client.get("/api/pakn/published/").json()["count"] == 7
    assert len(api) <= 4


def test_one_reaction_per_browser_session_and_per_account(client, users, tinh):
    item = published(users, tinh)
    url = f"{LIST}cong-khai/{item.code}/danh-gia/"
    client.post(url, {"value": "like"})
    client.post(url, {"value": "dislike"})  # changes the same reaction
    assert list(FeedbackReaction.objects.values_list("value", flat=True)) == ["dislike"]
    client.logout()
    client.cookies.clear()
    client.post(url, {"value": "like"})  # another browser
    assert FeedbackReaction.objects.count() == 2
    client.force_login(users["001085012345"])
    client.post(url, {"value": "dislike"})
    client.post(url, {"value": "dislike"})
    assert FeedbackReaction.objects.filter(user=users["001085012345"]).count() == 1
    html = client.get(f"{LIST}cong-khai/{item.code}/").content.decode()
    assert 'data-testid="dislikes">2<' in html and 'data-testid="likes">1<' in html


def test_a_follow_up_about_the_result_is_linked(client, users, tinh):
    from tests.feedback.conftest import pakn_data

    original = published(users, tinh, title="Kết quả cần phản ánh tiếp")
    url = f"/phan-anh-kien-nghi/gui/?phan_anh_tiep={original.code}"
    page = client.get(url).content.decode()
    assert f"Phản ánh tiếp về kết quả {original.code}" in page
    response = client.post(url, pakn_data(title="Vẫn chưa được giải quyết"))
    assert response.status_code == 302
    follow_up = Feedback.objects.get(title="Vẫn chưa được giải quyết")
    assert follow_up.follow_up_of == original
    assert follow_up.about_agency == original.answer_agency
    assert client.get("/phan-anh-kien-nghi/gui/?phan_anh_tiep=PAKN-000000-0000").status_code == 404
