"""Every wrong answer from the provider is refused with a Vietnamese page,
status 400, nobody signed in and no account created.

The demo provider forges the token (fault injection); the replays are done by
the test against the portal itself.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from django.test import Client

from idp_demo.process import IdpProcess
from tests.identity.portal_flow import (
    START,
    callback_path,
    portal_configured,
    portal_idp,
    portal_sign_in,
    provider_pick,
)
from tthc_portal.accounts.models import User

pytestmark = pytest.mark.django_db
REFUSED = "Không xác minh được thông tin đăng nhập từ Cổng đăng nhập quốc gia"


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdpProcess]:
    with portal_idp(tmp_path_factory.mktemp("portal-idp-faults")) as process:
        yield process


@pytest.fixture
def configured(idp: IdpProcess) -> Iterator[IdpProcess]:
    idp.control.fault(None)
    with portal_configured(idp):
        yield idp
    idp.control.fault(None)


def assert_refused(
    client: Client, response, message: str = REFUSED, accounts_before: int = 0
) -> None:
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Chưa có tài khoản nào được tạo hoặc đăng nhập" in page
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == accounts_before


@pytest.mark.parametrize("fault", ["bad_signature", "wrong_audience", "expired", "wrong_issuer"])
def test_a_forged_or_stale_id_token_is_refused(client: Client, configured, fault: str) -> None:
    configured.control.fault(fault)
    assert_refused(client, portal_sign_in(client, configured, "Phạm Thị Châu"))


def test_a_replayed_nonce_is_refused(client: Client, configured) -> None:
    # A first, good sign-in gives the provider a nonce to replay…
    portal_sign_in(client, configured, "Trần Thị Bình")
    configured.control.fault("nonce_replay")
    fresh = Client()
    # …which the next sign-in's token carries instead of its own.
    response = portal_sign_in(fresh, configured, "Phạm Thị Châu")
    assert_refused(fresh, response, accounts_before=1)


def test_a_replayed_state_is_refused(client: Client, configured) -> None:
    start = client.get(START)
    location = provider_pick(requests.Session(), configured, start["Location"], "Phạm Thị Châu")
    # Another browser presents the same answer: its session never sent that state.
    stranger = Client()
    assert_refused(stranger, stranger.get(callback_path(location)))
    # The real browser then completes once; a second use of the answer is refused.
    assert client.get(callback_path(location)).status_code == 302
    client.logout()
    assert_refused(client, client.get(callback_path(location)), accounts_before=1)


def test_a_cancelled_sign_in_is_explained(client: Client, configured) -> None:
    response = client.get("/tai-khoan/dang-nhap/vneid/xong/?error=access_denied&state=x")
    assert_refused(client, response, "Đăng nhập chưa hoàn tất trên Cổng đăng nhập quốc gia")


def test_an_unreachable_provider_gives_a_clear_page(client: Client, idp: IdpProcess) -> None:
    with portal_configured(
        idp, OIDC_DISCOVERY_URL="http://127.0.0.1:9/.well-known/openid-configuration"
    ):
        response = client.get(START)
    assert response.status_code == 503
    assert "Không kết nối được Cổng đăng nhập quốc gia" in response.content.decode()


def test_without_a_provider_the_routes_do_not_exist(client: Client) -> None:
    assert client.get(START).status_code == 404
    assert client.get("/tai-khoan/dang-nhap/vneid/xong/?code=x&state=y").status_code == 404
