"""Second factors are managed only on the portal's own scoped page: django-otp's
admin pages are not offered (their "config" page also answered 500 for a
missing device, found by the permission matrix)."""

from __future__ import annotations

import pytest

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/quan-tri/otp_totp/totpdevice/",
        "/quan-tri/otp_totp/totpdevice/1/config/",
        "/quan-tri/otp_static/staticdevice/",
    ],
)
def test_otp_admin_pages_do_not_exist(client, path) -> None:
    client.force_login(StaffFactory(is_staff=True, is_superuser=True))
    assert client.get(path).status_code == 404
