"""The one-time rating link sent with the returned result: stored hashed, expires
after the configured days, consumed by the first successful rating; a second
use gets a clear Vietnamese page and changes nothing; everything is audited."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from feedback.models import Rating, RatingLink, RatingRevision
from feedback.services.ratings import rating_invite
from tests.feedback.rating_links import SHEET, invitation_token, link_path
from tthc_portal.audit.models import AuditEvent
from tthc_portal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_link_is_stored_hashed_and_works_once(client, make_returned):
    dossier = make_returned()
    token = invitation_token(dossier)
    link = RatingLink.objects.get(dossier=dossier)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not RatingLink.objects.filter(token_hash=token).exists()
    assert token != dossier.lookup_token and len(token) >= 40
    assert link.expires_at - link.created_at == timedelta(days=30)  # the default

    # A sheet refused by validation does not spend the link.
    incomplete = {**SHEET, "like": ""}
    assert client.post(link_path(token), incomplete).status_code == 200
    link.refresh_from_db()
    assert link.used_at is None and not Rating.objects.exists()

    assert client.post(link_path(token), SHEET)["Location"] == "/danh-gia/cam-on/"
    rating = Rating.objects.get()
    link.refresh_from_db()
    assert link.used_at is not None and link.rating == rating

    # Used: the same page for a second look and for a second sheet, which changes nothing.
    for response in (client.get(link_path(token)),
                     client.post(link_path(token), {**SHEET, "like": "like"})):  # fmt: skip
        assert response.status_code == 410
        html = response.content.decode()
        assert "Đường dẫn đánh giá đã được sử dụng" in html
        assert "Mỗi đường dẫn đánh giá chỉ dùng được một lần" in html
        assert 'name="c_c7_attitude"' not in html and str(rating.total) not in html
    rating.refresh_from_db()
    assert rating.like == "dislike" and not RatingRevision.objects.exists()

    actions = list(
        AuditEvent.objects.filter(action__startswith="rating.").values_list("action", "after")
    )
    names = [name for name, _ in actions]
    assert names.count("rating.link_issued") == 1
    assert names.count("rating.link_used") == 1
    assert names.count("rating.link_reuse_refused") == 1
    submitted = next(after for name, after in actions if name == "rating.submit")
    assert submitted["via"] == "one_time_link" and submitted["dossier"] == dossier.code
    assert not any(token in str(after) for _, after in actions)


def test_an_expired_link_cannot_rate(client, make_returned):
    dossier = make_returned()
    token = invitation_token(dossier)
    RatingLink.objects.filter(dossier=dossier).update(expires_at=timezone.now())
    for response in (client.get(link_path(token)), client.post(link_path(token), SHEET)):
        assert response.status_code == 410
        assert "Đường dẫn đánh giá đã hết hạn" in response.content.decode()
    assert not Rating.objects.exists()


def test_validity_is_configurable_and_the_message_says_until_when(make_returned):
    with override_settings(TTHC={**settings.TTHC, "RATING_LINK_DAYS": 7}):
        dossier = make_returned()
    link = RatingLink.objects.get(dossier=dossier)
    assert link.expires_at - link.created_at == timedelta(days=7)
    email = OutboxMessage.objects.get(
        topic=f"dossiers.dossier:{dossier.pk}", channel="email", subject__startswith="Mời"
    )
    until = timezone.localtime(link.expires_at).strftime("%d/%m/%Y")
    assert "chỉ dùng được một lần" in email.body and until in email.body


def test_no_contact_no_link(make_returned):
    dossier = make_returned()
    RatingLink.objects.filter(dossier=dossier).delete()
    dossier.applicant_email = dossier.applicant_phone = ""
    assert rating_invite(dossier) == []  # nobody would receive it: no link is made
    assert not RatingLink.objects.filter(dossier=dossier).exists()


def test_a_link_stays_valid_when_the_dossier_was_rated_signed_in(client, make_returned, users):
    dossier = make_returned()
    token = invitation_token(dossier)
    client.force_login(users[dossier.applicant.username])
    client.post(f"/danh-gia/ho-so-cua-toi/{dossier.pk}/", {**SHEET, "comment": "Riêng tư"})
    client.logout()
    html = client.get(link_path(token)).content.decode()
    assert "Hồ sơ này đã được đánh giá trên cổng" in html
    assert "Riêng tư" not in html and 'name="c_c7_attitude"' not in html
    client.post(link_path(token), {**SHEET, "like": "like"})
    assert Rating.objects.get().comment == "Riêng tư"
    assert RatingLink.objects.get().used_at is None
