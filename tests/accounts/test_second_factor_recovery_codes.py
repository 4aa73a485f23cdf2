"""Regenerating recovery codes from the profile: needs a fresh app code, replaces
the old codes, audited; the profile panel shows the state."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.accounts.second_factor_support import (
    RECOVERY_URL,
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


@pytest.fixture
def staff():
    person = StaffFactory(username="canbo.thuly")
    return person


def verified_with_recovery_code(staff) -> Client:
    client = Client()
    password_sign_in(client, "canbo.thuly")
    assert client.post(VERIFY_URL, {"recovery_code": "abcdefgh"}).status_code == 302
    return client


def test_regenerate_needs_a_fresh_code_and_replaces_the_old_ones(staff):
    device = enrol(staff)
    recovery_tokens(staff, ["abcdefgh", "ijklmnop"])
    client = verified_with_recovery_code(staff)
    form = client.get(RECOVERY_URL)
    assert form.status_code == 200 and "Bạn còn 1 mã dự phòng chưa dùng." in form.content.decode()

    refused = client.post(
        RECOVERY_URL, {"code": "000000" if totp_code(device) != "000000" else "111111"}
    )
    assert refused.status_code == 400 and "Mã xác thực không đúng" in refused.content.decode()
    assert staff.staticdevice_set.get().token_set.filter(token="ijklmnop").exists()

    wait_out_throttle(device)
    response = client.post(RECOVERY_URL, {"code": totp_code(device)})

    assert response.status_code == 200
    codes = re.findall(
        r"<li><code>([a-z2-7]{4}-[a-z2-7]{4})</code></li>", response.content.decode()
    )
    assert len(codes) == 10
    tokens = set(staff.staticdevice_set.get().token_set.values_list("token", flat=True))
    assert tokens == {code.replace("-", "") for code in codes}
    assert "ijklmnop" not in tokens
    assert AuditEvent.objects.filter(
        action="accounts.second_factor_recovery_regenerated", target_id=str(staff.pk)
    ).exists()
    # The session was verified with a code that is now gone: it moved to the app.
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get("/tai-khoan/ho-so/").status_code == 200


def test_regenerate_page_needs_a_verified_session(staff):
    enrol(staff)
    client = Client()
    password_sign_in(client, "canbo.thuly")

    assert client.get(RECOVERY_URL)["Location"].startswith(VERIFY_URL)


def test_profile_panel_shows_status_and_link(client, staff):
    enrol(staff)
    recovery_tokens(staff, ["abcdefgh", "ijklmnop", "qrstuvwx"])
    client.force_login(staff)

    html = client.get("/tai-khoan/ho-so/").content.decode()

    assert 'data-testid="second-factor-panel"' in html
    assert "Đã thiết lập ngày" in html
    assert RECOVERY_URL in html and "Tạo lại mã dự phòng" in html
    assert re.search(r"Mã dự phòng còn lại</dt>\s*<dd>3</dd>", html)
