"""The sign-in method recorded for a session (national sign-on calls these services)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from tests.factories import UserFactory
from tthc_portal.accounts.models import SignInMethod, SignInSession
from tthc_portal.accounts.signins.services import METHOD_KEY, signin_login, signin_open
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

BACKEND = "tthc_portal.accounts.backends.IdentifierBackend"


@pytest.fixture
def request_with_session(rf: RequestFactory):
    request = rf.get("/tai-khoan/oidc/callback/", REMOTE_ADDR="192.0.2.44")
    request.session = SessionStore()
    return request


def test_signin_login_records_the_national_sign_on(request_with_session) -> None:
    citizen = UserFactory()

    row = signin_login(
        request_with_session, citizen, method=SignInMethod.NATIONAL_SSO, backend=BACKEND
    )

    assert row == SignInSession.objects.get(user=citizen)
    assert row.method == SignInMethod.NATIONAL_SSO
    assert row.session_key == request_with_session.session.session_key
    assert row.ip_address == "192.0.2.44"
    event = AuditEvent.objects.get(action="accounts.signed_in")
    assert event.after["method"] == "national_sso"


def test_the_method_can_come_from_the_session(request_with_session) -> None:
    from django.contrib.auth import login

    citizen = UserFactory()
    request_with_session.session[METHOD_KEY] = SignInMethod.NATIONAL_SSO

    login(request_with_session, citizen, backend=BACKEND)

    assert SignInSession.objects.get(user=citizen).method == SignInMethod.NATIONAL_SSO


def test_opening_again_updates_the_same_row_without_a_second_event(request_with_session) -> None:
    citizen = UserFactory()
    signin_login(request_with_session, citizen, backend=BACKEND)

    row = signin_open(request=request_with_session, user=citizen, method="national_sso")

    assert SignInSession.objects.filter(user=citizen).count() == 1
    assert row.method == SignInMethod.NATIONAL_SSO
    assert AuditEvent.objects.filter(action="accounts.signed_in").count() == 1


def test_an_unknown_method_is_refused(request_with_session) -> None:
    with pytest.raises(ValueError, match="Unknown sign-in method"):
        signin_open(request=request_with_session, user=UserFactory(), method="sms")
