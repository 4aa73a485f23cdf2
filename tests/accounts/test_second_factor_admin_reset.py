"""An administrator resets a staff member's second factor: devices deleted,
audit event, the person enrols again. Anyone else gets 404."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.accounts.second_factor_support import (
    ADMIN_URL,
    SETUP_URL,
    VERIFY_URL,
    enrol,
    password_sign_in,
    recovery_tokens,
    totp_code,
)
from tests.factories import AgencyFactory, StaffFactory, UserFactory, make_staff
from tthc_portal.accounts.roles import Role
from tthc_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def reset_url(user) -> str:
    return f"{ADMIN_URL}{user.pk}/dat-lai/"


@pytest.fixture
def agency():
    return AgencyFactory()


@pytest.fixture
def lost_phone(agency):
    """A specialist who lost their phone, still signed in elsewhere."""
    person = make_staff(Role.SPECIALIST, agency, username="canbo.matmay")
    device = enrol(person)
    recovery_tokens(person, ["abcdefgh"])
    return person, device


@pytest.fixture
def administrator(agency):
    return make_staff(Role.ADMINISTRATOR, agency, username="quantri.donvi")


def test_administrator_sees_staff_and_their_status(client, agency, administrator, lost_phone):
    person, _device = lost_phone
    make_staff(Role.DESK_OFFICER, agency, username="canbo.chuathietlap")
    UserFactory(username="001085012345")  # a citizen: not listed
    # Staff of another agency, and a superuser: not this administrator's to manage.
    make_staff(Role.SPECIALIST, AgencyFactory(), username="canbo.donvikhac")
    StaffFactory(username="quantri.tinh", is_superuser=True)
    client.force_login(administrator)

    response = client.get(ADMIN_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-user="canbo.matmay"' in page and 'data-user="canbo.chuathietlap"' in page
    assert "001085012345" not in page
    assert "canbo.donvikhac" not in page and "quantri.tinh" not in page
    assert "Chưa thiết lập" in page and "Đã thiết lập" in page
    assert reset_url(person) in page
    found = client.get(ADMIN_URL, {"q": "matmay"}).content.decode()
    assert 'data-user="canbo.matmay"' in found and "canbo.chuathietlap" not in found


def test_reset_deletes_devices_audits_and_forces_enrolment(client, administrator, lost_phone):
    person, device = lost_phone
    their_session = Client()
    password_sign_in(their_session, "canbo.matmay")
    their_session.post(VERIFY_URL, {"code": totp_code(device)})
    assert their_session.get("/tai-khoan/ho-so/").status_code == 200
    client.force_login(administrator)

    response = client.post(reset_url(person), follow=True)

    assert response.status_code == 200
    assert "Đã đặt lại xác thực hai bước" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticDevice.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action="accounts.second_factor_reset")
    assert event.actor == administrator and event.target_id == str(person.pk)
    assert event.before["totp_devices"] == [device.persistent_id]
    # Their open session stays signed in but must enrol again.
    assert their_session.session.get("_auth_user_id") == str(person.pk)
    assert their_session.get("/tai-khoan/ho-so/")["Location"].startswith(SETUP_URL)
    fresh = Client()
    password_sign_in(fresh, "canbo.matmay")
    assert fresh.get("/bang-dieu-khien/")["Location"].startswith(SETUP_URL)


def test_superuser_is_an_administrator(client, lost_phone):
    person, _device = lost_phone
    client.force_login(UserFactory(username="001099000001", is_superuser=True, is_staff=True))

    assert client.get(ADMIN_URL).status_code == 200
    assert client.post(reset_url(person)).status_code == 302
    assert not TOTPDevice.objects.filter(user=person).exists()


@pytest.mark.parametrize("role", [Role.DEPARTMENT_HEAD, Role.PROVINCIAL_STAFF, Role.DESK_OFFICER])
def test_other_staff_get_404(client, agency, lost_phone, role):
    person, _device = lost_phone
    client.force_login(make_staff(role, agency))

    assert client.get(ADMIN_URL).status_code == 404
    assert client.post(reset_url(person)).status_code == 404
    assert TOTPDevice.objects.filter(user=person).exists()
    assert not AuditEvent.objects.filter(action="accounts.second_factor_reset").exists()


def test_citizen_gets_404(client, lost_phone):
    person, _device = lost_phone
    client.force_login(UserFactory(username="001085012345"))

    assert client.get(ADMIN_URL).status_code == 404
    assert client.post(reset_url(person)).status_code == 404


def test_resetting_a_citizen_is_404(client, administrator):
    citizen = UserFactory(username="001085012345")
    client.force_login(administrator)

    assert client.post(reset_url(citizen)).status_code == 404
    assert client.get(reset_url(citizen)).status_code == 405


def test_an_agency_administrator_cannot_reset_outside_its_agencies(client, administrator):
    outsider = make_staff(Role.SPECIALIST, AgencyFactory(), username="canbo.donvikhac")
    superuser = StaffFactory(username="quantri.tinh", is_superuser=True)
    devices = [enrol(outsider), enrol(superuser)]
    client.force_login(administrator)
    for person in (outsider, superuser):
        assert client.post(reset_url(person)).status_code == 404
    for device in devices:
        assert type(device).objects.filter(pk=device.pk).exists()
