"""The demo national IdP as a real process, one per test module that asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from idp_demo.process import IdpProcess
from tests.identity.oidc_flow import CLIENT_ID, CLIENT_SECRET, POST_LOGOUT_URI, REDIRECT_URI


@pytest.fixture(scope="module")
def demo_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdpProcess]:
    """``python -m idp_demo`` on a free port with its own var dir; stopped after the module."""
    idp = IdpProcess(
        tmp_path_factory.mktemp("idp-demo"),
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        redirect_uris=[REDIRECT_URI],
        post_logout_redirect_uris=[POST_LOGOUT_URI],
    )
    with idp:
        yield idp
