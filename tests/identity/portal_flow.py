"""The portal's national sign-on driven end to end over real HTTP.

The portal side runs in Django's test client (host ``testserver``); the
provider is the demo IdP process; the person's browser at the provider is a
``requests`` session that picks an account on its page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlparse

import requests
from django.conf import settings
from django.test import Client, override_settings

from idp_demo.process import IdpProcess
from tests.identity.oidc_flow import picker_parse
from tthc_portal.accounts.oidc.provider import national_sso_forget

CLIENT_ID = "tthc-portal"
CLIENT_SECRET = "portal-test-secret"
CALLBACK = "http://testserver/tai-khoan/dang-nhap/vneid/xong/"
HOME = "http://testserver/"
START = "/tai-khoan/dang-nhap/vneid/"
TIMEOUT = 10


def portal_idp(var_dir: Path) -> IdpProcess:
    """A provider that knows the test client's callback and home page."""
    return IdpProcess(
        var_dir,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[CALLBACK],
        post_logout_redirect_uris=[HOME],
    )


@contextmanager
def portal_configured(idp: IdpProcess, **overrides: object) -> Iterator[None]:
    identity = {
        **settings.IDENTITY,
        "OIDC_DISCOVERY_URL": idp.discovery_url,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        **overrides,
    }
    national_sso_forget()
    with override_settings(IDENTITY=identity):
        yield
    national_sso_forget()


def provider_pick(browser: requests.Session, idp: IdpProcess, authorize: str, person: str) -> str:
    """At the provider: authorize → account picker → the person → back to the portal."""
    response = browser.get(authorize, allow_redirects=False, timeout=TIMEOUT)
    assert response.status_code == 302, response.text
    location = urljoin(idp.url, response.headers["Location"])
    if location.startswith(idp.url):
        page = browser.get(location, timeout=TIMEOUT)
        picker = picker_parse(page.text)
        button = next(b for b in picker.buttons if b["text"] == f"Đăng nhập: {person}")
        chosen = browser.post(
            urljoin(location, picker.action),
            data={**picker.hidden, button["name"]: button["value"]},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert chosen.status_code == 302, chosen.text
        response = browser.get(
            urljoin(idp.url, chosen.headers["Location"]), allow_redirects=False, timeout=TIMEOUT
        )
        assert response.status_code == 302, response.text
        location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    return location


def callback_path(location: str) -> str:
    parsed = urlparse(location)
    return f"{parsed.path}?{parsed.query}"


def portal_sign_in(
    client: Client,
    idp: IdpProcess,
    person: str,
    *,
    browser: requests.Session | None = None,
    next_url: str = "",
):
    """The whole journey; returns the portal's answer to the provider's redirect."""
    start = client.get(START + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content[:500]
    assert start["Location"].startswith(idp.url)
    location = provider_pick(browser or requests.Session(), idp, start["Location"], person)
    return client.get(callback_path(location))
