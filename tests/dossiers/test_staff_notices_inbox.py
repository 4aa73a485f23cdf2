"""The staff inbox at /thong-bao/ and the unread badge in the header: a user
sees and marks only their own notices; the badge costs one query, none for
anonymous visitors or citizens."""

from __future__ import annotations

import copy

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tthc_portal.notifications.models import StaffNotice
from tthc_portal.notifications.models import StaffNoticeKind as Kind
from tthc_portal.notifications.services import staff_notice_send

pytestmark = pytest.mark.django_db
PROCESSOR = "tthc_portal.notifications.context_processors.staff_notices"


@pytest.fixture
def badge(settings):
    """The context processor on (the integrator adds it to base.py)."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["context_processors"].append(PROCESSOR)
    settings.TEMPLATES = templates


def notice(user, key: str, title: str = "Hồ sơ chờ lãnh đạo xử lý") -> StaffNotice:
    return staff_notice_send(user, Kind.SIGNOFF, f"{title} {key}", "/xu-ly/", key, email=False)


def test_the_inbox_lists_only_the_users_own_notices(client, users):
    mine = notice(users["lanhdao.tuphap"], "mine")
    theirs = notice(users["chuyenvien.tuphap"], "theirs")
    client.force_login(users["lanhdao.tuphap"])
    page = client.get(reverse("notifications:inbox"))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-notice="{mine.pk}"' in html and mine.title in html
    assert f'data-notice="{theirs.pk}"' not in html and theirs.title not in html


def test_marking_another_users_notice_is_not_found(client, users):
    theirs = notice(users["chuyenvien.tuphap"], "theirs")
    client.force_login(users["lanhdao.tuphap"])
    response = client.post(reverse("notifications:mark_read"), {"notice": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(reverse("notifications:mark_read"), {"notice": "x"}).status_code == 404


def test_mark_one_open_it_and_mark_all(client, users):
    head = users["lanhdao.tuphap"]
    first, second, third = (notice(head, key) for key in ("a", "b", "c"))
    theirs = notice(users["chuyenvien.tuphap"], "theirs")
    client.force_login(head)
    response = client.post(reverse("notifications:mark_read"), {"notice": first.pk, "open": "1"})
    assert response.status_code == 302 and response["Location"] == "/xu-ly/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    client.post(reverse("notifications:mark_read"), {"all": "1"})
    assert not StaffNotice.objects.filter(user=head, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None  # "all" means all of mine
    assert third.pk


def test_citizens_have_no_inbox(client, users):
    citizen = next(u for u in users.values() if u.is_applicant)
    client.force_login(citizen)
    assert client.get(reverse("notifications:inbox")).status_code == 403


def _badge_queries(client, path: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries if "notifications_staffnotice" in q["sql"]]


def test_the_badge_costs_one_query_for_staff_and_none_otherwise(client, users, badge):
    head = users["lanhdao.tuphap"]
    notice(head, "a")
    notice(head, "b")
    notice(users["chuyenvien.tuphap"], "c")
    home = reverse("web:home")
    response, queries = _badge_queries(client, home)
    assert queries == [] and b"staff-notices-unread" not in response.content
    client.force_login(head)
    response, queries = _badge_queries(client, home)
    assert len(queries) == 1 and "COUNT" in queries[0].upper()
    assert b'data-testid="staff-notices-unread">(2' in response.content
    client.force_login(next(u for u in users.values() if u.is_applicant))
    response, queries = _badge_queries(client, home)
    assert queries == [] and b"staff-notices-unread" not in response.content
