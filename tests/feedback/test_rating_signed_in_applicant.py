"""The signed-in applicant rates their own dossier from its page; anyone else's
dossier is a 404 (the page does not tell it exists), as for staff and drafts."""

from __future__ import annotations

import pytest

from feedback.models import Rating
from tests.feedback.conftest import CITIZEN
from tests.feedback.rating_links import SHEET
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
OTHER_CITIZEN = "036190004567"


def test_the_applicant_rates_their_own_dossier_and_nobody_else_can(client, make_returned, users):
    dossier = make_returned()
    page = f"/danh-gia/ho-so-cua-toi/{dossier.pk}/"

    # Not signed in: to the sign-in page; nothing is shown.
    response = client.get(page)
    assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    # Another citizen and a staff member of the very agency: 404, GET and POST alike.
    for username in (OTHER_CITIZEN, "motcua.tuphap"):
        client.force_login(users[username])
        assert client.get(page).status_code == 404
        assert client.post(page, SHEET).status_code == 404
    assert not Rating.objects.exists()

    citizen = users[CITIZEN]
    client.force_login(citizen)
    html = client.get(f"/ho-so/{dossier.pk}/").content.decode()
    assert page in html  # the dossier page's invitation opens the signed-in page
    assert "Gửi đánh giá" in client.get(page).content.decode()
    response = client.post(page, {**SHEET, "comment": "Cảm ơn cán bộ."})
    assert response.status_code == 302 and response["Location"] == page
    rating = Rating.objects.get()
    assert (rating.source, rating.submitted_by, rating.comment) == (
        "portal", citizen, "Cảm ơn cán bộ."
    )  # fmt: skip
    shown = client.get(page).content.decode()
    assert "Ông/bà đã đánh giá hồ sơ này" in shown and "Cập nhật đánh giá" in shown
    event = AuditEvent.objects.get(action="rating.submit")
    assert event.actor == citizen and event.after["via"] == "applicant_session"

    # Still nobody else reads it.
    client.force_login(users[OTHER_CITIZEN])
    assert client.get(page).status_code == 404


def test_an_unfinished_dossier_cannot_be_rated_yet(client, make_returned, users):
    from dossiers.models import Dossier, Status

    dossier = make_returned()
    Dossier.objects.filter(pk=dossier.pk).update(status=Status.IN_PROCESSING)
    client.force_login(users[CITIZEN])
    html = client.get(f"/danh-gia/ho-so-cua-toi/{dossier.pk}/").content.decode()
    assert "chưa giải quyết xong" in html and 'name="c_c7_attitude"' not in html
