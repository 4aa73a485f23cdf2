"""Issue #15 item 7: the QR token printed on the receipt and the result opens the
status page only. Holding a copy of the papers neither reads nor overwrites the
applicant's rating, on the pages or through the API."""

from __future__ import annotations

import pytest

from feedback.models import Rating, RatingRevision, RatingSource
from feedback.services.ratings import rating_submit

pytestmark = pytest.mark.django_db
SCORES = {"c5_one_stop_compliance": 2, "c6_publicity": 2, "c7_attitude": 0,
          "c8_feedback_response": 2, "c9_online_service": 2}  # fmt: skip
PRIVATE_COMMENT = "Cán bộ tiếp nhận yêu cầu nộp thêm giấy tờ không có trong danh mục."
OVERWRITE = {"c_c5_one_stop_compliance": "0", "c_c6_publicity": "0", "c_c7_attitude": "0",
             "c_c8_feedback_response": "0", "c_c9_online_service": "0", "like": "like",
             "comment": "Ghi đè"}  # fmt: skip


def test_the_printed_qr_token_neither_reads_nor_overwrites_the_rating(client, make_returned):
    dossier = make_returned()
    rating = rating_submit(
        dossier=dossier, source=RatingSource.PORTAL, scores=SCORES, like="dislike",
        comment=PRIVATE_COMMENT,
    )  # fmt: skip
    stored = (rating.like, rating.comment, rating.total)
    token = dossier.lookup_token  # what the QR code on every paper of the dossier encodes

    # The status page the QR code opens: status only.
    status_page = client.get(f"/tra-cuu/{token}/")
    assert status_page.status_code == 200
    html = status_page.content.decode()
    assert dossier.code in html
    assert PRIVATE_COMMENT not in html and "/danh-gia/" not in html

    # The old rating address with that token shows neither the rating nor a sheet ...
    page = client.get(f"/danh-gia/ho-so/{token}/")
    html = page.content.decode()
    assert PRIVATE_COMMENT not in html and "đã đánh giá hồ sơ này" not in html
    assert "Cập nhật đánh giá" not in html and "Gửi đánh giá" not in html
    assert 'name="c_c7_attitude"' not in html

    # ... and a posted sheet changes nothing.
    client.post(f"/danh-gia/ho-so/{token}/", OVERWRITE)
    rating.refresh_from_db()
    assert (rating.like, rating.comment, rating.total) == stored
    assert not RatingRevision.objects.exists()


def test_the_qr_token_cannot_rate_through_the_api(client, make_returned):
    dossier = make_returned()
    response = client.post(
        f"/api/ratings/by-link/{dossier.lookup_token}/", {"scores": SCORES, "like": "like"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_the_qr_token_cannot_rate_on_the_page(client, make_returned):
    dossier = make_returned()
    response = client.post(f"/danh-gia/ho-so/{dossier.lookup_token}/", OVERWRITE)
    assert response.status_code == 410
    assert "mã in trên giấy tờ chỉ dùng để tra cứu" in response.content.decode()
    assert not Rating.objects.exists()
