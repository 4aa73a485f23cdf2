"""The desk kiosk: no login, dossier code (typed or scanned QR) plus the last 4
digits of the phone or ID; pre-filled sheet; one kiosk evaluation per dossier."""

from __future__ import annotations

import pytest

from feedback.models import Rating, RatingSource

pytestmark = pytest.mark.django_db
KIOSK = "/danh-gia/ki-ot/"
SHEET = {"c_c5_one_stop_compliance": "2", "c_c6_publicity": "2", "c_c7_attitude": "1",
         "c_c8_feedback_response": "2", "c_c9_online_service": "2", "like": "like",
         "comment": "Nhanh gọn."}  # fmt: skip


def test_rate_from_the_kiosk_then_a_second_attempt_is_explained(client, make_returned):
    dossier = make_returned()
    assert client.post(KIOSK, {"code": dossier.code, "last4": "0000"}).status_code == 400
    response = client.post(KIOSK, {"code": dossier.code.lower(), "last4": "5678"})  # phone
    assert response.status_code == 302 and response["Location"] == "/danh-gia/ki-ot/phieu/"
    sheet = client.get(response["Location"]).content.decode()
    assert dossier.code in sheet
    assert "Hệ thống điền sẵn theo hồ sơ: 2 điểm" in sheet  # c1–c4
    assert sheet.count("checked") == 4  # pre-filled radios only
    # A missing answer keeps the other choices and says which one.
    response = client.post("/danh-gia/ki-ot/phieu/", {**SHEET, "c_c7_attitude": ""})
    assert "Vui lòng chọn mức điểm cho tiêu chí này." in response.content.decode()
    response = client.post("/danh-gia/ki-ot/phieu/", SHEET)
    assert response["Location"] == "/danh-gia/ki-ot/cam-on/"
    rating = Rating.objects.get()
    assert (rating.source, rating.total, rating.like) == (RatingSource.DESK_KIOSK, 17, "like")
    assert rating.submitted_by is None
    # The session is spent: the sheet is not reachable again.
    assert client.get("/danh-gia/ki-ot/phieu/")["Location"] == KIOSK
    response = client.post(KIOSK, {"code": dossier.code, "last4": dossier.applicant_id_number[-4:]})
    assert response.status_code == 400
    assert "đã được đánh giá tại ki-ốt" in response.content.decode()


def test_scanned_qr_link_and_unfinished_dossier(client, make_returned, users, procedure):
    from dossiers.services.submission import dossier_create_draft

    dossier = make_returned()
    scanned = f"http://127.0.0.1:8000/tra-cuu/{dossier.lookup_token}/"
    response = client.post(KIOSK, {"code": scanned, "last4": "5678"})
    assert response["Location"] == "/danh-gia/ki-ot/phieu/"
    draft = dossier_create_draft(actor=users["001085012345"], procedure=procedure)
    from dossiers.models import Dossier

    Dossier.objects.filter(pk=draft.pk).update(code="000.00.10.H99-250303-9999")
    response = client.post(KIOSK, {"code": "000.00.10.H99-250303-9999", "last4": "5678"})
    assert "chưa giải quyết xong" in response.content.decode()


def test_guessing_is_throttled_per_code(client, make_returned, settings):
    settings.TTHC = {**settings.TTHC, "LOOKUP_ATTEMPTS_PER_10_MIN": 3}
    dossier = make_returned()
    for guess in ("0001", "0002", "0003"):
        client.post(KIOSK, {"code": dossier.code, "last4": guess})
    response = client.post(KIOSK, {"code": dossier.code, "last4": "5678"})
    assert "Đã nhập sai quá nhiều lần" in response.content.decode()
