"""The verify page: an app code or a recovery code; wrong and reused codes are
refused, django-otp's throttling stays on, a recovery code works once."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.accounts.second_factor_support import (
    VERIFY_URL,
    enrol,
    password_sign_in,
    recovery_tokens,
    totp_code,
    wait_out_throttle,
)
from tests.factories import StaffFactory
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

NEXT = "/tai-khoan/ho-so/"


@pytest.fixture
def staff():
    return StaffFactory(username="canbo.thuly")


@pytest.fixture
def device(staff):
    return enrol(staff)


def signed_in() -> Client:
    client = Client()
    password_sign_in(client, "canbo.thuly")
    return client


def verify(client: Client, **data):
    return client.post(VERIFY_URL, {"next": NEXT, **data})


def test_page_asks_for_the_code(device):
    page = signed_in().get(VERIFY_URL, {"next": NEXT}).content.decode()

    assert '<label for="id_code">Mã xác thực' in page
    assert 'inputmode="numeric"' in page and 'autocomplete="one-time-code"' in page
    assert "Mã dự phòng" in page
    assert f'name="next" value="{NEXT}"' in page


def test_wrong_code_is_refused_then_throttled(device):
    client = signed_in()
    wrong = f"{(int(totp_code(device)) + 500_000) % 1_000_000:06d}"

    refused = verify(client, code=wrong)

    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'role="alert"' in page and "Mã xác thực không đúng" in page
    assert "otp_device_id" not in client.session
    assert client.get(NEXT).status_code == 302

    # django-otp's throttling: right after a failure even the right code waits.
    throttled = verify(client, code=totp_code(device))
    assert "Bạn đã nhập sai nhiều lần. Vui lòng thử lại sau" in throttled.content.decode()
    assert "otp_device_id" not in client.session


def test_right_code_lands_on_next_and_records_the_time(device):
    client = signed_in()
    before = timezone.now()

    response = verify(client, code=totp_code(device))

    assert response.status_code == 302 and response["Location"] == NEXT
    session = client.session
    assert session["otp_device_id"] == device.persistent_id
    assert datetime.fromisoformat(session["second_factor_verified_at"]) >= before
    assert client.get(NEXT).status_code == 200


def test_code_with_a_space_is_accepted(device):
    code = totp_code(device)

    response = verify(signed_in(), code=f"{code[:3]} {code[3:]}")

    assert response["Location"] == NEXT


def test_a_used_code_is_refused(device):
    code = totp_code(device)
    assert verify(signed_in(), code=code)["Location"] == NEXT

    replay = signed_in()  # e.g. someone who saw the code over the shoulder
    refused = verify(replay, code=code)

    assert refused.status_code == 400
    assert "Mã này đã được sử dụng" in refused.content.decode()
    assert "otp_device_id" not in replay.session
    # The next code of the app is fine (after the throttling pause).
    wait_out_throttle(device)
    assert verify(replay, code=totp_code(device, steps_ahead=1))["Location"] == NEXT


def test_unsafe_next_is_ignored(device):
    response = signed_in().post(
        VERIFY_URL, {"code": totp_code(device), "next": "https://evil.example/"}
    )

    assert response["Location"] == "/bang-dieu-khien/"


def test_recovery_code_works_exactly_once(staff, device):
    recovery_tokens(staff, ["abcdefgh", "ijklmnop"])
    first = signed_in()

    response = verify(first, recovery_code="ABCD-EFGH")

    assert response.status_code == 302 and response["Location"] == NEXT
    assert first.get(NEXT).status_code == 200
    assert staff.staticdevice_set.get().token_set.count() == 1
    event = AuditEvent.objects.get(action="accounts.second_factor_recovery_code_used")
    assert event.target_id == str(staff.pk) and event.after == {"remaining": 1}

    second = signed_in()
    refused = verify(second, recovery_code="abcd-efgh")
    assert refused.status_code == 400
    assert "Mã dự phòng không đúng hoặc đã được sử dụng" in refused.content.decode()
    assert "otp_device_id" not in second.session
    assert second.get(NEXT).status_code == 302


def test_citizens_have_no_verify_page(client):
    from tests.factories import UserFactory

    UserFactory(username="001085012345")
    password_sign_in(client, "001085012345")

    assert client.get(VERIFY_URL).status_code == 404
