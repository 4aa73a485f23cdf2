"""Staff are signed out after STAFF_IDLE_MINUTES idle; activity is written sparingly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tthc_portal.accounts.models import SessionEndReason, SignInSession
from tthc_portal.accounts.signins.middleware import SessionGuardMiddleware
from tthc_portal.accounts.signins.services import LAST_ACTIVITY_KEY
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
PROFILE_URL = "/tai-khoan/ho-so/"
MESSAGE = "Phiên làm việc đã kết thúc sau 30 phút không thao tác. Vui lòng đăng nhập lại."


def signed_in(user) -> Client:
    client = Client()
    response = client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def go_back_in_time(client: Client, minutes: int) -> None:
    """Pretend the last recorded request was ``minutes`` ago."""
    session = client.session
    session[LAST_ACTIVITY_KEY] -= minutes * 60
    session.save()


def test_the_limit_is_thirty_minutes() -> None:
    assert settings.IDENTITY["STAFF_IDLE_MINUTES"] == 30


def test_idle_staff_are_signed_out_with_a_message() -> None:
    staff = StaffFactory()
    client = signed_in(staff)
    row = SignInSession.objects.get(user=staff)
    go_back_in_time(client, 31)

    response = client.get(PROFILE_URL)

    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={PROFILE_URL}"
    assert SESSION_KEY not in client.session
    assert not SessionStore().exists(row.session_key)
    row.refresh_from_db()
    assert row.end_reason == SessionEndReason.IDLE
    assert row.ended_at is not None
    event = AuditEvent.objects.get(action="accounts.signed_out_idle")
    assert event.actor == staff
    assert event.after == {"reason": "idle", "sign_in_session": row.pk}
    # A timeout is not also recorded as an ordinary sign-out.
    assert not AuditEvent.objects.filter(action="accounts.signed_out").exists()

    login_page = client.get(response.url)
    assert MESSAGE in login_page.content.decode()


def test_idle_staff_on_the_api_get_a_json_401() -> None:
    staff = StaffFactory()
    client = signed_in(staff)
    go_back_in_time(client, 31)

    response = client.get("/api/schema/")

    assert response.status_code == 401
    assert response.json()["detail"] == MESSAGE
    assert SESSION_KEY not in client.session


def test_staff_active_within_the_limit_stay_signed_in() -> None:
    staff = StaffFactory()
    client = signed_in(staff)
    go_back_in_time(client, 29)

    client.get(PROFILE_URL)

    assert client.session[SESSION_KEY] == str(staff.pk)
    assert SignInSession.objects.get(user=staff).ended_at is None


def test_idle_time_is_measured_with_the_clock(monkeypatch) -> None:
    staff = StaffFactory()
    client = signed_in(staff)
    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    client.get(PROFILE_URL)

    assert SESSION_KEY not in client.session
    assert SignInSession.objects.get(user=staff).end_reason == SessionEndReason.IDLE


def test_citizens_are_not_timed_out() -> None:
    citizen = UserFactory()
    client = signed_in(citizen)
    go_back_in_time(client, 5 * 60)

    response = client.get(PROFILE_URL)

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == str(citizen.pk)
    assert SignInSession.objects.get(user=citizen).ended_at is None


def _guarded_request(client: Client, rf: RequestFactory):
    """A request as the middleware sees it, session and user already loaded."""
    from django.contrib.auth import get_user

    request = rf.get(PROFILE_URL)
    request.session = SessionStore(session_key=client.session.session_key)
    request.user = get_user(request)
    return request


@pytest.mark.parametrize("factory", [StaffFactory, UserFactory], ids=["staff", "citizen"])
def test_a_request_within_the_minute_adds_no_query(factory, rf, django_assert_num_queries):
    client = signed_in(factory())
    go_back_in_time(client, 0)
    request = _guarded_request(client, rf)
    middleware = SessionGuardMiddleware(lambda request: HttpResponse("ok"))

    with django_assert_num_queries(0):
        response = middleware(request)

    assert response.status_code == 200
    assert not request.session.modified


def test_the_first_page_after_signing_in_writes_nothing() -> None:
    client = signed_in(UserFactory())

    with CaptureQueriesContext(connection) as queries:
        assert client.get(PROFILE_URL).status_code == 200

    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))
    ]
    assert writes == []


def test_after_a_minute_activity_is_written_once(monkeypatch) -> None:
    citizen = UserFactory()
    client = signed_in(citizen)
    row = SignInSession.objects.get(user=citizen)
    later = timezone.now() + timedelta(minutes=2)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)

    with CaptureQueriesContext(connection) as queries:
        client.get(PROFILE_URL)

    row_updates = [
        q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "signinsession" in q["sql"]
    ]
    assert len(row_updates) == 1
    row.refresh_from_db()
    assert row.last_seen_at == later
    assert client.session[LAST_ACTIVITY_KEY] == int(later.timestamp())

    # The next request in the same minute writes nothing again.
    with CaptureQueriesContext(connection) as again:
        client.get(PROFILE_URL)
    assert not [q for q in again if "signinsession" in q["sql"] and q["sql"].startswith("UPDATE")]
