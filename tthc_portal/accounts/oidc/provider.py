"""The national single sign-on as an Authlib OpenID Connect client.

Authlib rather than mozilla-django-oidc: it reads the provider's discovery
document, sends PKCE (S256), and validates the id_token fully — signature
from the JWKS (fetched again when an unknown key id appears, so key rotation
needs no restart), issuer, audience, expiry and nonce. mozilla-django-oidc
checks neither issuer nor audience and has no discovery.
"""

from __future__ import annotations

import threading

from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings

PROVIDER_NAME = "national"
_lock = threading.Lock()
_clients: dict[tuple, DjangoOAuth2App] = {}


def _config_key() -> tuple:
    config = settings.IDENTITY
    return (
        config["OIDC_DISCOVERY_URL"],
        config["OIDC_CLIENT_ID"],
        config["OIDC_CLIENT_SECRET"],
        config["OIDC_SCOPES"],
        config["OIDC_TIMEOUT_SECONDS"],
    )


def national_sso_enabled() -> bool:
    config = settings.IDENTITY
    return bool(config["OIDC_DISCOVERY_URL"] and config["OIDC_CLIENT_ID"])


def national_sso_client() -> DjangoOAuth2App:
    """One client per configuration; it caches the discovery document and JWKS."""
    key = _config_key()
    with _lock:
        client = _clients.get(key)
        if client is None:
            discovery_url, client_id, client_secret, scopes, timeout = key
            registry = OAuth()
            registry.register(
                PROVIDER_NAME,
                client_id=client_id,
                client_secret=client_secret,
                server_metadata_url=discovery_url,
                client_kwargs={
                    "scope": scopes,
                    "code_challenge_method": "S256",
                    "timeout": timeout,
                },
            )
            client = registry.create_client(PROVIDER_NAME)
            _clients[key] = client
    return client


def national_sso_forget() -> None:
    """Drop cached clients (tests that start a fresh provider)."""
    with _lock:
        _clients.clear()
