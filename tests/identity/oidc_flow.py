"""An OpenID Connect relying party in miniature, driven over real HTTP with requests.

It does what a browser and the portal would: authorize, pick a person on the
simulator's page (by the button's text), exchange the code with PKCE, verify the
id_token against the published JWKS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import requests
from jwcrypto import jwk, jws

from idp_demo.process import IdpProcess

CLIENT_ID = "tthc-portal"
CLIENT_SECRET = "test-client-secret"
# Nothing listens there: the tests read the Location header and never follow it.
REDIRECT_URI = "http://127.0.0.1:9/tai-khoan/dang-nhap/vneid/xong/"
POST_LOGOUT_URI = "http://127.0.0.1:9/"
SCOPE = "openid profile email phone"
TIMEOUT = 10


class _PickerParser(HTMLParser):
    """Collects the form's hidden inputs and its submit buttons with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, str] = {}
        self.buttons: list[dict[str, str]] = []
        self.headings: list[str] = []
        self.action = ""
        self._button: dict[str, str] | None = None
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        elif tag == "input" and values.get("type") == "hidden":
            self.hidden[values["name"]] = values.get("value", "")
        elif tag == "button":
            self._button = {**values, "text": ""}
        elif tag == "h1":
            self._in_h1 = True
            self.headings.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None:
            self._button["text"] = " ".join(self._button["text"].split())
            self.buttons.append(self._button)
            self._button = None
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button["text"] += data
        if self._in_h1:
            self.headings[-1] += data


def picker_parse(html: str) -> _PickerParser:
    parser = _PickerParser()
    parser.feed(html)
    return parser


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def discovery(idp: IdpProcess) -> dict[str, Any]:
    return requests.get(idp.discovery_url, timeout=TIMEOUT).json()


def jwks(idp: IdpProcess) -> jwk.JWKSet:
    response = requests.get(discovery(idp)["jwks_uri"], timeout=TIMEOUT)
    response.raise_for_status()
    return jwk.JWKSet.from_json(response.text)


def token_header(token: str) -> dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))


def token_claims_unverified(token: str) -> dict[str, Any]:
    return json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))


def id_token_verify(idp: IdpProcess, token: str) -> dict[str, Any]:
    """Verify the RS256 signature with the JWKS key named by ``kid``; return the claims.

    Only the signature: the tests assert iss, aud, exp and nonce themselves so that a
    faulty token's claims can be inspected.
    """
    header = token_header(token)
    assert header["alg"] == "RS256"
    key = jwks(idp).get_key(header["kid"])
    assert key is not None, f"kid {header['kid']} not in JWKS"
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(key, alg="RS256")  # raises InvalidJWSSignature
    return json.loads(signed.payload)


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(location).query).items()}


@dataclass
class Authorization:
    session: requests.Session
    verifier: str
    nonce: str
    state: str
    location: str = ""
    params: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.params["code"]


def authorize_url(idp: IdpProcess, **params: str) -> str:
    base = {"response_type": "code", "client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI}
    base["scope"] = SCOPE
    base.update(params)
    return f"{discovery(idp)['authorization_endpoint']}?{urlencode(base)}"


def authorize(
    idp: IdpProcess,
    person: str,
    *,
    session: requests.Session | None = None,
    nonce: str | None = None,
    acr_values: str | None = None,
    pkce: bool = True,
) -> Authorization:
    """GET authorize → picker → click "Đăng nhập: <person>" → back at authorize → redirect."""
    session = session or requests.Session()
    verifier, challenge = pkce_pair()
    flow = Authorization(
        session=session,
        verifier=verifier,
        nonce=nonce or secrets.token_urlsafe(16),
        state=secrets.token_urlsafe(16),
    )
    params = {"state": flow.state, "nonce": flow.nonce}
    if pkce:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    if acr_values:
        params["acr_values"] = acr_values
    response = session.get(authorize_url(idp, **params), allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302, response.text
    location = urljoin(idp.url, response.headers["Location"])
    if location.startswith(idp.url):  # not signed in at the IdP yet: the picker
        assert urlparse(location).path == "/dang-nhap/"
        page = session.get(location, timeout=TIMEOUT)
        assert page.status_code == 200
        picker = picker_parse(page.text)
        button = next(b for b in picker.buttons if b["text"] == f"Đăng nhập: {person}")
        form = {**picker.hidden, button["name"]: button["value"]}
        chosen = session.post(
            urljoin(location, picker.action), data=form, allow_redirects=False, timeout=TIMEOUT
        )
        assert chosen.status_code == 302, chosen.text
        response = session.get(
            urljoin(idp.url, chosen.headers["Location"]), allow_redirects=False, timeout=TIMEOUT
        )
        assert response.status_code == 302, response.text
        location = response.headers["Location"]
    flow.location = location
    flow.params = query_of(location)
    return flow


def token_exchange(
    idp: IdpProcess,
    code: str,
    verifier: str | None,
    client_secret: str = CLIENT_SECRET,
) -> requests.Response:
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    if verifier is not None:
        data["code_verifier"] = verifier
    return requests.post(
        discovery(idp)["token_endpoint"],
        data=data,
        auth=(CLIENT_ID, client_secret),
        timeout=TIMEOUT,
    )


def sign_in(idp: IdpProcess, person: str, **kwargs: Any) -> tuple[Authorization, dict[str, Any]]:
    """The whole code flow; returns the authorization and the token response."""
    flow = authorize(idp, person, **kwargs)
    assert flow.location.startswith(REDIRECT_URI), flow.location
    assert flow.params["state"] == flow.state
    response = token_exchange(idp, flow.code, flow.verifier)
    assert response.status_code == 200, response.text
    return flow, response.json()


def userinfo(idp: IdpProcess, access_token: str) -> requests.Response:
    return requests.get(
        discovery(idp)["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=TIMEOUT,
    )
