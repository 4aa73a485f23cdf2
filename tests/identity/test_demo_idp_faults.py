"""The demo IdP's fault injection and key rotation, as a relying party sees them.

Each fault must produce exactly the faulty id_token it names (and nothing else wrong
with it), so that the portal's checks can be tested one by one.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from jwcrypto.jws import InvalidJWSSignature

from idp_demo.control import IdpControlError
from tests.identity.oidc_flow import (
    CLIENT_ID,
    POST_LOGOUT_URI,
    TIMEOUT,
    discovery,
    id_token_verify,
    jwks,
    sign_in,
    token_claims_unverified,
    token_header,
)


@pytest.fixture(autouse=True)
def _no_fault_left(demo_idp) -> Iterator[None]:
    demo_idp.control.clear()
    yield
    demo_idp.control.clear()


def test_without_a_fault_the_token_is_sound(demo_idp) -> None:
    flow, tokens = sign_in(demo_idp, "Nguyễn Văn An")

    claims = id_token_verify(demo_idp, tokens["id_token"])

    assert claims["aud"] == CLIENT_ID
    assert claims["iss"] == demo_idp.url
    assert claims["nonce"] == flow.nonce
    assert claims["exp"] > time.time()


def test_bad_signature_uses_a_key_outside_the_jwks_under_the_real_kid(demo_idp) -> None:
    demo_idp.control.fault("bad_signature")

    _, tokens = sign_in(demo_idp, "Nguyễn Văn An")

    header = token_header(tokens["id_token"])
    assert header["kid"] == demo_idp.control.state()["active_kid"]
    assert jwks(demo_idp).get_key(header["kid"]) is not None
    with pytest.raises(InvalidJWSSignature):
        id_token_verify(demo_idp, tokens["id_token"])
    # Only the signature is wrong.
    claims = token_claims_unverified(tokens["id_token"])
    assert (claims["aud"], claims["iss"]) == (CLIENT_ID, demo_idp.url)


def test_wrong_audience(demo_idp) -> None:
    demo_idp.control.fault("wrong_audience")

    _, tokens = sign_in(demo_idp, "Trần Thị Bình")

    claims = id_token_verify(demo_idp, tokens["id_token"])
    assert claims["aud"] == "another-client"
    assert claims["iss"] == demo_idp.url


def test_wrong_issuer(demo_idp) -> None:
    demo_idp.control.fault("wrong_issuer")

    _, tokens = sign_in(demo_idp, "Trần Thị Bình")

    claims = id_token_verify(demo_idp, tokens["id_token"])
    assert claims["iss"] == "https://evil.example"
    assert claims["aud"] == CLIENT_ID


def test_expired_lasts_until_cleared(demo_idp) -> None:
    demo_idp.control.fault("expired")

    for _ in range(2):
        _, tokens = sign_in(demo_idp, "Phạm Thị Châu")
        claims = id_token_verify(demo_idp, tokens["id_token"])
        now = time.time()
        assert claims["exp"] <= now - 3500
        assert claims["iat"] < claims["exp"]

    demo_idp.control.clear()
    _, tokens = sign_in(demo_idp, "Phạm Thị Châu")
    assert id_token_verify(demo_idp, tokens["id_token"])["exp"] > time.time()


def test_nonce_replay_carries_the_previous_tokens_nonce(demo_idp) -> None:
    earlier, _ = sign_in(demo_idp, "Nguyễn Văn An", nonce="nonce-of-the-earlier-token")
    demo_idp.control.fault("nonce_replay")

    flow, tokens = sign_in(demo_idp, "Nguyễn Văn An", nonce="nonce-of-this-request")

    claims = id_token_verify(demo_idp, tokens["id_token"])
    assert claims["nonce"] == earlier.nonce == "nonce-of-the-earlier-token"
    assert flow.nonce != claims["nonce"]


def test_control_endpoint_reports_and_validates_faults(demo_idp) -> None:
    assert demo_idp.control.fault("expired")["faults"] == {"id_token": "expired"}
    assert demo_idp.control.state()["faults"] == {"id_token": "expired"}

    with pytest.raises(IdpControlError) as refused:
        demo_idp.control.fault("teapot")
    assert refused.value.status == 400
    assert demo_idp.control.state()["faults"] == {"id_token": "expired"}

    assert demo_idp.control.clear()["faults"] == {"id_token": None}


def test_rotate_key_publishes_both_keys_and_signs_with_the_new_one(demo_idp) -> None:
    flow, before = sign_in(demo_idp, "Nguyễn Văn An")
    old_kid = token_header(before["id_token"])["kid"]
    assert demo_idp.control.state()["kids"] == [old_kid]

    state = demo_idp.control.rotate_key()

    new_kid = state["active_kid"]
    assert new_kid != old_kid
    assert state["kids"] == [new_kid, old_kid]
    published = jwks(demo_idp)
    assert sorted(key["kid"] for key in published["keys"]) == sorted([new_kid, old_kid])
    _, after = sign_in(demo_idp, "Nguyễn Văn An")
    assert token_header(after["id_token"])["kid"] == new_kid
    assert id_token_verify(demo_idp, after["id_token"])["sub"] == "VNEID-001085012345"
    # Tokens signed just before the rotation still verify …
    assert id_token_verify(demo_idp, before["id_token"])["sub"] == "VNEID-001085012345"
    # … and still work as id_token_hint at logout.
    response = flow.session.get(
        discovery(demo_idp)["end_session_endpoint"],
        params={"id_token_hint": before["id_token"], "post_logout_redirect_uri": POST_LOGOUT_URI},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == POST_LOGOUT_URI
