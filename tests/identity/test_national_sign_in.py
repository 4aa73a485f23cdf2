"""Citizens and businesses sign in through the national single sign-on.

Real HTTP against the demo provider: authorization code with PKCE, state and
nonce; the id_token checked against the JWKS; claims mapped to the account;
RP-initiated logout.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from django.test import Client

from idp_demo.process import IdpProcess
from tests.identity.portal_flow import HOME, portal_configured, portal_idp, portal_sign_in
from tthc_portal.accounts.models import SignInSession, User, UserKind

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdpProcess]:
    with portal_idp(tmp_path_factory.mktemp("portal-idp")) as process:
        yield process


@pytest.fixture
def configured(idp: IdpProcess) -> Iterator[IdpProcess]:
    idp.control.fault(None)
    with portal_configured(idp):
        yield idp


def test_start_sends_pkce_state_nonce_and_acr_values(client: Client, idp: IdpProcess) -> None:
    with portal_configured(idp, OIDC_ACR_VALUES="loa2"):
        response = client.get("/tai-khoan/dang-nhap/vneid/")
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["state"][0] and query["nonce"][0]
    assert query["acr_values"] == ["loa2"]
    assert query["redirect_uri"] == ["http://testserver/tai-khoan/dang-nhap/vneid/xong/"]


def test_a_citizen_signs_in_and_lands_on_my_dossiers(client: Client, configured) -> None:
    existing = User.objects.create(
        username="001085012345", kind=UserKind.CITIZEN, personal_id_number="001085012345"
    )

    response = portal_sign_in(client, configured, "Nguyễn Văn An")

    assert response.status_code == 302
    assert response["Location"] == "/ho-so/"
    assert client.session["_auth_user_id"] == str(existing.pk)
    existing.refresh_from_db()
    assert existing.full_name == "Nguyễn Văn An"
    assert existing.assurance_level == "2"
    assert existing.national_account_id == "VNEID-001085012345"
    assert client.session["national_sign_in"]["vneid_verified"] is True
    assert client.get("/ho-so/").status_code == 200
    session = SignInSession.objects.get(user=existing, ended_at__isnull=True)
    assert session.method == "national_sso"


def test_first_sign_in_creates_the_account_once(client: Client, configured) -> None:
    portal_sign_in(client, configured, "Phạm Thị Châu")
    client.post("/tai-khoan/dang-xuat/")
    portal_sign_in(Client(), configured, "Phạm Thị Châu")

    [chau] = User.objects.filter(personal_id_number="034195006789")
    assert chau.kind == UserKind.CITIZEN and not chau.has_usable_password()
    assert chau.birth_date.isoformat() == "1995-11-20"


def test_a_business_signs_in_by_its_tax_code(client: Client, configured) -> None:
    response = portal_sign_in(client, configured, "Lê Văn Doanh")

    assert response.status_code == 302
    company = User.objects.get(tax_code="0101234567")
    assert company.kind == UserKind.ORGANISATION
    assert company.full_name == "Công ty TNHH Demo"
    assert client.session["_auth_user_id"] == str(company.pk)


def test_next_is_kept_when_it_is_on_this_site(client: Client, configured) -> None:
    response = portal_sign_in(client, configured, "Trần Thị Bình", next_url="/thu-tuc/")
    assert response["Location"] == "/thu-tuc/"
    other = portal_sign_in(Client(), configured, "Trần Thị Bình", next_url="https://evil.example/")
    assert other["Location"] == "/ho-so/"


def test_a_rotated_signing_key_is_fetched_without_a_restart(client: Client, configured) -> None:
    portal_sign_in(client, configured, "Trần Thị Bình")
    configured.control.rotate_key()

    response = portal_sign_in(Client(), configured, "Trần Thị Bình")

    assert response.status_code == 302 and response["Location"] == "/ho-so/"


def test_sign_out_also_ends_the_provider_session(client: Client, configured) -> None:
    browser = requests.Session()
    portal_sign_in(client, configured, "Nguyễn Văn An", browser=browser)

    response = client.post("/tai-khoan/dang-xuat/")

    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    end_session = response["Location"]
    assert end_session.startswith(configured.url)
    query = parse_qs(urlparse(end_session).query)
    assert query["post_logout_redirect_uri"] == [HOME] and query["id_token_hint"][0]
    back = browser.get(end_session, allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"].startswith(HOME)
    # The provider forgot the person: the next sign-in shows its account picker again.
    again = Client().get("/tai-khoan/dang-nhap/vneid/")
    picker = browser.get(again["Location"], allow_redirects=False, timeout=10)
    assert picker.status_code == 302 and "/dang-nhap/" in picker.headers["Location"]


def test_a_password_sign_out_stays_local(client: Client, configured) -> None:
    citizen = User.objects.create(
        username="036190004567", kind=UserKind.CITIZEN, personal_id_number="036190004567"
    )
    client.force_login(citizen)
    response = client.post("/tai-khoan/dang-xuat/")
    assert response["Location"] == "/"
