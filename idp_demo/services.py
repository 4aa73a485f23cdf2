"""What the demo IdP does besides DOT's own endpoints: client, people, faults, keys."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db import transaction
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from idp_demo.identities import Identity
from idp_demo.keys import KeyRing, key_id, key_ring_rotate
from idp_demo.validator import FAULTS

_KEY_LOCK = threading.Lock()


@dataclass(frozen=True)
class ClientConfig:
    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str]
    name: str = "Cổng dịch vụ công tỉnh (demo)"


@transaction.atomic
def client_application_sync(config: ClientConfig) -> Any:
    """Create or update the one confidential client the portal signs in with."""
    application_model = get_application_model()
    application = application_model.objects.filter(client_id=config.client_id).first()
    if application is None:
        application = application_model(client_id=config.client_id)
    application.name = config.name
    application.client_type = application_model.CLIENT_CONFIDENTIAL
    application.authorization_grant_type = application_model.GRANT_AUTHORIZATION_CODE
    application.algorithm = application_model.RS256_ALGORITHM
    application.skip_authorization = True
    application.redirect_uris = " ".join(config.redirect_uris)
    application.post_logout_redirect_uris = " ".join(config.post_logout_redirect_uris)
    application.hash_client_secret = True
    # DOT hashes the secret on save; hashing again on every start would only cost time.
    if not application.client_secret or not check_password(
        config.client_secret, application.client_secret
    ):
        application.client_secret = config.client_secret
    application.save()
    return application


def person_user_sync(identity: Identity) -> Any:
    """The IdP's own Django user for a demo person: username = ``sub``, no password."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=identity.sub)
    changed = created
    if user.first_name != identity.full_name[:150]:
        user.first_name = identity.full_name[:150]
        changed = True
    email = identity.claims.get("ThuDienTu", "")
    if user.email != email:
        user.email = email
        changed = True
    if created:
        user.set_unusable_password()
    if changed:
        user.save()
    return user


def signing_keys_activate(ring: KeyRing) -> None:
    """Make DOT sign with ``ring``'s active key and publish all of them, without a restart."""
    with _KEY_LOCK:
        settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEYS_INACTIVE"] = list(ring.inactive_pems)
        settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"] = ring.active_pem
        # Set the cached attributes directly (each assignment is atomic) rather than
        # oauth2_settings.reload(), which would race with requests being served.
        oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE = list(ring.inactive_pems)
        oauth2_settings.OIDC_RSA_PRIVATE_KEY = ring.active_pem
        oauth2_settings._cached_attrs.update(
            {"OIDC_RSA_PRIVATE_KEY", "OIDC_RSA_PRIVATE_KEYS_INACTIVE"}
        )


def signing_key_rotate() -> KeyRing:
    with _KEY_LOCK:
        ring = key_ring_rotate(settings.VAR_DIR)
    signing_keys_activate(ring)
    return ring


def fault_set(id_token: str | None) -> None:
    FAULTS.set(id_token)


def idp_state() -> dict[str, Any]:
    active = oauth2_settings.OIDC_RSA_PRIVATE_KEY
    inactive = oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE
    return {
        "faults": {"id_token": FAULTS.id_token},
        "active_kid": key_id(active),
        "kids": [key_id(pem) for pem in (active, *inactive)],
    }
