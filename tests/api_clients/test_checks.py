"""check --deploy warns when integration tokens live too long."""

from __future__ import annotations

from tthc_portal.api_clients.checks import token_lifetime_check


def test_a_long_token_lifetime_is_reported(settings):
    assert token_lifetime_check(None) == []
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "ACCESS_TOKEN_EXPIRE_SECONDS": 86400}
    assert [w.id for w in token_lifetime_check(None)] == ["api_clients.W001"]
