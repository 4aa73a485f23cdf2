"""Signing in and out opens and ends a session row; attempts on real accounts are audited."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tthc_portal.accounts.models import SessionEndReason, SignInMethod, SignInSession
from tthc_portal.audit.models import AuditEvent
from tthc_portal.audit.selectors import audit_events_for

pytestmark = pytest.mark.django_db

LOGIN_URL = "/tai-khoan/dang-nhap/"
LOGOUT_URL = "/tai-khoan/dang-xuat/"
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def test_signing_in_opens_a_row_and_writes_an_audit_event(client: Client) -> None:
    citizen = UserFactory(username="001085012345", personal_id_number="001085012345")

    response = sign_in(client, "001085012345", REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT=BROWSER)

    assert response.status_code == 302
    row = SignInSession.objects.get(user=citizen)
    assert row.session_key == client.session.session_key
    assert row.method == SignInMethod.PASSWORD
    assert row.ip_address == "198.51.100.7"
    assert row.user_agent == BROWSER
    assert row.ended_at is None
    event = AuditEvent.objects.get(action="accounts.signed_in")
    assert event.actor == citizen
    assert event.target_id == str(citizen.pk)
    assert event.after == {
        "method": "password",
        "ip_address": "198.51.100.7",
        "sign_in_session": row.pk,
    }


def test_a_long_user_agent_is_truncated(client: Client) -> None:
    citizen = UserFactory()

    sign_in(client, citizen.username, HTTP_USER_AGENT="x" * 1000)

    assert SignInSession.objects.get(user=citizen).user_agent == "x" * 255


def test_signing_out_ends_the_row_and_is_audited(client: Client) -> None:
    citizen = UserFactory()
    sign_in(client, citizen.username)
    row = SignInSession.objects.get(user=citizen)

    client.post(LOGOUT_URL)

    row.refresh_from_db()
    assert row.ended_at is not None
    assert row.end_reason == SessionEndReason.LOGOUT
    event = AuditEvent.objects.get(action="accounts.signed_out")
    assert event.actor == citizen
    assert event.after == {"reason": "logout", "sign_in_session": row.pk}
    assert SESSION_KEY not in client.session


@pytest.mark.parametrize("typed", ["MotCua.TuPhap", " motcua.tuphap "])
def test_a_wrong_password_on_a_staff_account_is_audited(client: Client, typed: str) -> None:
    staff = StaffFactory(username="motcua.tuphap")

    response = sign_in(client, typed, "Sai-mat-khau-bi-mat", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 200
    [event] = audit_events_for(staff).filter(action="accounts.sign_in_failed")
    assert event.actor is None
    assert event.after == {"ip_address": "203.0.113.9"}
    stored = json.dumps([event.before, event.after, event.target_repr, event.actor_repr])
    assert "Sai-mat-khau-bi-mat" not in stored
    assert not SignInSession.objects.exists()


def test_failures_match_personal_ids_and_tax_codes(client: Client) -> None:
    citizen = UserFactory(username="nguyenvanan", personal_id_number="036190004567")
    company = UserFactory(
        username="congty-a", personal_id_number=None, tax_code="0101234567", kind="organisation"
    )

    sign_in(client, "036190004567", "sai")
    sign_in(client, "0101234567", "sai")

    assert audit_events_for(citizen).filter(action="accounts.sign_in_failed").count() == 1
    assert audit_events_for(company).filter(action="accounts.sign_in_failed").count() == 1


def test_a_failure_on_an_unknown_name_is_not_audited(client: Client) -> None:
    UserFactory(username="001085012345", personal_id_number="001085012345")

    response = sign_in(client, "999999999999", PASSWORD)

    assert response.status_code == 200
    assert not AuditEvent.objects.filter(action__startswith="accounts.").exists()
