"""The demo national IdP speaks real OpenID Connect: discovery, code + PKCE, userinfo, logout.

Everything goes over HTTP to ``python -m idp_demo`` started by the ``demo_idp`` fixture.
"""

from __future__ import annotations

import time
from urllib.parse import urljoin, urlparse

import requests

from tests.identity.oidc_flow import (
    CLIENT_ID,
    POST_LOGOUT_URI,
    REDIRECT_URI,
    TIMEOUT,
    authorize,
    discovery,
    id_token_verify,
    jwks,
    picker_parse,
    query_of,
    sign_in,
    token_exchange,
    userinfo,
)

NATIONAL_CLAIMS = {
    "LoaiTaiKhoan",
    "SoDinhDanh",
    "SoCMND",
    "MaSoThue",
    "MaSoDoanhNghiep",
    "TenDoanhNghiep",
    "HoVaTen",
    "NgayThangNamSinh",
    "GioiTinh",
    "ThuDienTu",
    "SoDienThoai",
    "ThuongTru",
    "QuocTich",
    "TechID",
    "loAs",
}
# Claims of the person, as opposed to the token's own (iss, aud, exp, nonce, …).
PERSON_CLAIMS = NATIONAL_CLAIMS | {"sub", "name", "email", "phone_number", "acr"}


def test_discovery_document_describes_the_provider(demo_idp) -> None:
    document = discovery(demo_idp)

    assert document["issuer"] == demo_idp.url
    for key in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert document[key].startswith(f"{demo_idp.url}/"), key
    assert document["end_session_endpoint"] == f"{demo_idp.url}/o/logout/"
    assert document["response_types_supported"] == ["code"]
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    assert {"openid", "profile", "email", "phone"} <= set(document["scopes_supported"])
    assert set(document["claims_supported"]) >= PERSON_CLAIMS
    keys = jwks(demo_idp)
    assert len(keys["keys"]) == 1
    assert requests.get(f"{demo_idp.url}/healthz", timeout=TIMEOUT).text == "ok"


def test_picker_page_is_a_clearly_labelled_simulator(demo_idp) -> None:
    page = requests.get(f"{demo_idp.url}/dang-nhap/", timeout=TIMEOUT)

    assert page.status_code == 200
    picker = picker_parse(page.text)
    assert picker.headings == ["Cổng Dịch vụ công quốc gia — Đăng nhập (mô phỏng)"]
    assert [b["text"] for b in picker.buttons] == [
        "Đăng nhập: Nguyễn Văn An",
        "Đăng nhập: Trần Thị Bình",
        "Đăng nhập: Lê Văn Doanh",
        "Đăng nhập: Phạm Thị Châu",
        "Đăng nhập: Đỗ Văn Dũng",
    ]
    assert "Môi trường mô phỏng" in page.text
    assert '<html lang="vi">' in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    # Its own cookie names: the portal on the same host keeps its session.
    assert "idp_demo_csrftoken" in page.cookies


def test_picking_nobody_is_refused_with_an_announced_error(demo_idp) -> None:
    session = requests.Session()
    picker = picker_parse(session.get(f"{demo_idp.url}/dang-nhap/", timeout=TIMEOUT).text)

    response = session.post(
        f"{demo_idp.url}{picker.action}",
        data={**picker.hidden, "sub": "VNEID-000000000000"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert "Vui lòng chọn một người trong danh sách" in response.text
    assert "idp_demo_sessionid" not in session.cookies


def test_code_flow_with_pkce_issues_an_id_token_signed_with_the_published_key(demo_idp) -> None:
    before = int(time.time())
    flow, tokens = sign_in(demo_idp, "Nguyễn Văn An")

    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 300
    claims = id_token_verify(demo_idp, tokens["id_token"])
    assert claims["iss"] == demo_idp.url
    assert claims["aud"] == CLIENT_ID
    assert claims["nonce"] == flow.nonce
    assert before - 5 <= claims["iat"] <= int(time.time()) + 5
    assert claims["exp"] - claims["iat"] == 300
    assert {k: v for k, v in claims.items() if k in PERSON_CLAIMS} == {
        "sub": "VNEID-001085012345",
        "TechID": "VNEID-001085012345",
        "LoaiTaiKhoan": "1",
        "SoDinhDanh": "001085012345",
        "SoCMND": "013456789",
        "HoVaTen": "Nguyễn Văn An",
        "NgayThangNamSinh": "15/03/1985",
        "GioiTinh": "Nam",
        "ThuDienTu": "an.nguyen@demo.tthc.local",
        "SoDienThoai": "0912345678",
        "ThuongTru": "Số 12 đường Lê Lợi, phường Phố Hiến, tỉnh Demo",
        "QuocTich": "Việt Nam",
        "loAs": "2",
        "acr": "loa2",
        "name": "Nguyễn Văn An",
        "email": "an.nguyen@demo.tthc.local",
        "phone_number": "0912345678",
    }
    # A code is good once.
    assert token_exchange(demo_idp, flow.code, flow.verifier).status_code == 400


def test_userinfo_returns_the_same_claims_as_the_id_token(demo_idp) -> None:
    _, tokens = sign_in(demo_idp, "Lê Văn Doanh")
    id_claims = id_token_verify(demo_idp, tokens["id_token"])

    response = userinfo(demo_idp, tokens["access_token"])

    assert response.status_code == 200
    info = response.json()
    assert info == {k: v for k, v in id_claims.items() if k in PERSON_CLAIMS}
    assert info["LoaiTaiKhoan"] == "2"
    assert info["MaSoThue"] == info["MaSoDoanhNghiep"] == "0101234567"
    assert info["TenDoanhNghiep"] == "Công ty TNHH Demo"
    assert info["HoVaTen"] == "Lê Văn Doanh"
    assert info["sub"] == "DN-0101234567"
    assert "SoDinhDanh" not in info
    assert userinfo(demo_idp, "not-a-token").status_code == 401


def test_requested_acr_values_are_echoed_in_id_token_and_userinfo(demo_idp) -> None:
    _, tokens = sign_in(demo_idp, "Trần Thị Bình", acr_values="loa2 loa1")

    claims = id_token_verify(demo_idp, tokens["id_token"])

    assert claims["acr"] == "loa2"
    assert claims["loAs"] == "1"
    assert userinfo(demo_idp, tokens["access_token"]).json()["acr"] == "loa2"


def test_empty_claims_are_left_out(demo_idp) -> None:
    _, tokens = sign_in(demo_idp, "Đỗ Văn Dũng")

    claims = id_token_verify(demo_idp, tokens["id_token"])

    assert claims["sub"] == claims["TechID"] == "DVCQG-001200001111"
    assert claims["SoDinhDanh"] == "001200001111"
    for absent in ("loAs", "acr", "ThuDienTu", "email", "SoDienThoai", "phone_number", "MaSoThue"):
        assert absent not in claims, absent
    assert "loAs" not in userinfo(demo_idp, tokens["access_token"]).json()


def test_authorize_without_pkce_is_refused(demo_idp) -> None:
    signed_in, _ = sign_in(demo_idp, "Phạm Thị Châu")

    refused = authorize(demo_idp, "Phạm Thị Châu", session=signed_in.session, pkce=False)

    assert refused.location.startswith(REDIRECT_URI)
    assert refused.params["error"] == "invalid_request"
    assert "code" not in refused.params
    # "plain" is not S256: refused as well.
    url = discovery(demo_idp)["authorization_endpoint"]
    plain = signed_in.session.get(
        url,
        params={
            "response_type": "code",
            "client_id": CLIENT_ID,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid",
            "code_challenge": "x" * 43,
            "code_challenge_method": "plain",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert plain.status_code == 302
    assert query_of(plain.headers["Location"])["error"] == "invalid_request"
    assert "code" not in query_of(plain.headers["Location"])


def test_token_endpoint_needs_the_right_verifier_and_secret(demo_idp) -> None:
    flow = authorize(demo_idp, "Nguyễn Văn An")
    wrong_secret = token_exchange(demo_idp, flow.code, flow.verifier, client_secret="guess")
    assert wrong_secret.status_code == 401
    assert wrong_secret.json()["error"] == "invalid_client"

    wrong_verifier = token_exchange(demo_idp, flow.code, "x" * 64)
    assert wrong_verifier.status_code == 400
    assert wrong_verifier.json()["error"] == "invalid_grant"

    flow = authorize(demo_idp, "Nguyễn Văn An")
    assert token_exchange(demo_idp, flow.code, None).json()["error"] == "invalid_request"


def test_end_session_logs_out_and_returns_to_the_registered_uri(demo_idp) -> None:
    flow, tokens = sign_in(demo_idp, "Nguyễn Văn An")
    end_session = discovery(demo_idp)["end_session_endpoint"]

    unregistered = flow.session.get(
        end_session,
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": "https://evil.example/",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert unregistered.status_code == 400
    assert "evil.example" not in unregistered.headers.get("Location", "")

    response = flow.session.get(
        end_session,
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": POST_LOGOUT_URI,
            "state": "bye",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith(POST_LOGOUT_URI)
    assert query_of(response.headers["Location"]) == {"state": "bye"}
    # The IdP's own session is over: authorizing again shows the picker.
    again = flow.session.get(
        f"{discovery(demo_idp)['authorization_endpoint']}?client_id={CLIENT_ID}",
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert urlparse(urljoin(demo_idp.url, again.headers["Location"])).path == "/dang-nhap/"
