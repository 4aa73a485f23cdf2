"""Invitation when the result is returned: the notification carries the private
link; the dossier page snippet invites, then thanks; edits keep their history."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from feedback.models import Rating, RatingRevision
from feedback.services.ratings import rating_invite
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db
SHEET = {"c_c5_one_stop_compliance": "2", "c_c6_publicity": "2", "c_c7_attitude": "2",
         "c_c8_feedback_response": "2", "c_c9_online_service": "2", "like": "dislike"}  # fmt: skip


def test_invitation_link_sheet_and_snippet(client, make_returned, users):
    dossier = make_returned()  # returning the result sends the invitation itself
    messages = list(
        OutboxMessage.objects.filter(
            topic=f"dossiers.dossier:{dossier.pk}", body__contains="/danh-gia/ho-so/"
        )
    )
    assert {m.channel for m in messages} == {"email", "sms"}
    link = f"/danh-gia/ho-so/{dossier.lookup_token}/"
    assert all(link in m.body for m in messages)
    assert rating_invite(dossier) == []  # once per dossier
    assert OutboxMessage.objects.filter(topic=f"dossiers.dossier:{dossier.pk}",
                                        subject__startswith="Mời").count() == 1  # fmt: skip

    snippet = render_to_string("feedback/_rating_invite.html", {"dossier": dossier})
    assert "Đánh giá ngay" in snippet and link in snippet

    page = client.get(link)
    assert page.status_code == 200 and "Gửi đánh giá" in page.content.decode()
    response = client.post(link, SHEET)
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.source, rating.like, rating.needs_review) == ("portal", "dislike", True)
    # The unit head is asked to review a dislike.
    assert OutboxMessage.objects.filter(
        recipient=users["lanhdao.tuphap"].email, subject__contains=dossier.code
    ).exists()
    snippet = render_to_string("feedback/_rating_invite.html", {"dossier": dossier})
    assert "Cảm ơn ông/bà đã đánh giá" in snippet

    # Within the edit window the same link edits, and the history keeps the old sheet.
    response = client.post(link, {**SHEET, "like": "like", "c_c7_attitude": "1"})
    rating.refresh_from_db()
    assert (rating.like, rating.total) == ("like", 17)
    revision = RatingRevision.objects.get()
    assert revision.before["like"] == "dislike" and revision.after["like"] == "like"
    # After the window: read only.
    Rating.objects.filter(pk=rating.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    html = client.get(link).content.decode()
    assert "đã hết thời hạn sửa" in html and "Gửi đánh giá" not in html
    assert client.get("/danh-gia/ho-so/khong-ton-tai/").status_code == 404


def test_staff_see_results_and_the_head_appraises(client, make_returned, users):
    dossier = make_returned()
    client.post(f"/danh-gia/ho-so/{dossier.lookup_token}/", SHEET)
    rating = Rating.objects.get()
    client.force_login(users["lanhdao.tuphap"])
    start = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    end = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    html = client.get("/danh-gia/ket-qua/", {"tu_ngay": start, "den_ngay": end}).content.decode()
    assert "Sở Tư pháp" in html and "Cấp phiếu lý lịch tư pháp" in html
    assert f"/danh-gia/ket-qua/{rating.pk}/" in html  # needs review
    response = client.post(f"/danh-gia/ket-qua/{rating.pk}/", {"a_c7_attitude": "0"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert rating.total == 16 and rating.reviewed_by == users["lanhdao.tuphap"]
    client.force_login(users["lanhdao.yte"])
    assert client.get(f"/danh-gia/ket-qua/{rating.pk}/").status_code == 404
