"""tests/conftest.py: force_login'd staff pass the second factor with a real
device, so the middleware stays on in every test."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.second_factor_support import DASHBOARD_URL, SETUP_URL, enrol
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_force_login_staff_reaches_the_dashboard(client):
    staff = StaffFactory(username="canbo.thu")

    client.force_login(staff)

    assert client.get(DASHBOARD_URL).status_code == 200
    device = TOTPDevice.objects.get(user=staff, confirmed=True)
    session = client.session
    assert session["otp_device_id"] == device.persistent_id
    assert session["second_factor_verified_at"]


def test_an_existing_device_is_reused(client):
    staff = StaffFactory(username="canbo.thu")
    device = enrol(staff)

    client.force_login(staff)

    assert client.session["otp_device_id"] == device.persistent_id
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_citizens_get_no_device(client):
    from tests.factories import UserFactory

    citizen = UserFactory()
    client.force_login(citizen)

    assert client.get(DASHBOARD_URL).status_code == 200
    assert not TOTPDevice.objects.filter(user=citizen).exists()


@pytest.mark.second_factor_unverified
def test_the_marker_turns_the_wrapper_off(client):
    staff = StaffFactory(username="canbo.thu")

    client.force_login(staff)

    assert client.get(DASHBOARD_URL)["Location"].startswith(SETUP_URL)
