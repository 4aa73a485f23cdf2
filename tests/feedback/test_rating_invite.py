"""Invitation when the result is returned: the notification carries a one-time
link (never the lookup token printed on the papers); the applicant's dossier
page snippet invites, then thanks; edits, signed in, keep their history."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from feedback.models import Rating, RatingLink, RatingRevision
from feedback.services.ratings import rating_invite
from tests.feedback.conftest import CITIZEN
from tests.feedback.rating_links import SHEET, invitation_messages, invitation_token, link_path
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_invitation_link_sheet_and_snippet(client, make_returned, users):
    dossier = make_returned()  # returning the result sends the invitation itself
    messages = invitation_messages(dossier)
    assert {m.channel for m in messages} == {"email", "sms"}
    token = invitation_token(dossier)
    link = link_path(token)
    assert all(link in m.body and dossier.lookup_token not in m.body for m in messages)
    assert rating_invite(dossier) == []  # once per dossier
    assert RatingLink.objects.filter(dossier=dossier).count() == 1
    assert OutboxMessage.objects.filter(topic=f"dossiers.dossier:{dossier.pk}",
                                        subject__startswith="Mời").count() == 1  # fmt: skip

    own_page = f"/danh-gia/ho-so-cua-toi/{dossier.pk}/"
    snippet = render_to_string("feedback/_rating_invite.html", {"dossier": dossier})
    assert "Đánh giá ngay" in snippet and own_page in snippet
    assert dossier.lookup_token not in snippet

    page = client.get(link)
    assert page.status_code == 200 and "Gửi đánh giá" in page.content.decode()
    response = client.post(link, SHEET)
    assert response.status_code == 302 and response["Location"] == "/danh-gia/cam-on/"
    rating = Rating.objects.get()
    assert (rating.source, rating.like, rating.needs_review) == ("portal", "dislike", True)
    # The unit head is asked to review a dislike.
    assert OutboxMessage.objects.filter(
        recipient=users["lanhdao.tuphap"].email, subject__contains=dossier.code
    ).exists()
    snippet = render_to_string("feedback/_rating_invite.html", {"dossier": dossier})
    assert "Cảm ơn ông/bà đã đánh giá" in snippet

    # Within the edit window the applicant, signed in, edits; the history keeps the old sheet.
    client.force_login(users[CITIZEN])
    response = client.post(own_page, {**SHEET, "like": "like", "c_c7_attitude": "1"})
    assert response.status_code == 302
    rating.refresh_from_db()
    assert (rating.like, rating.total) == ("like", 17)
    revision = RatingRevision.objects.get()
    assert revision.before["like"] == "dislike" and revision.after["like"] == "like"
    # After the window: read only.
    Rating.objects.filter(pk=rating.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    html = client.get(own_page).content.decode()
    assert "đã hết thời hạn sửa" in html and "Gửi đánh giá" not in html
    assert client.get("/danh-gia/lien-ket/khong-ton-tai/").status_code == 404


def test_staff_see_results_and_the_head_appraises(client, make_returned, users):
    dossier = make_returned()
    client.force_login(users[CITIZEN])
    client.post(f"/danh-gia/ho-so-cua-toi/{dossier.pk}/", SHEET)
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
