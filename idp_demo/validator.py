"""django-oauth-toolkit validator of the demo IdP: national claims and fault injection.

The claims follow the national portal (DVCQG / VNeID): the whole profile is released
with the ``openid`` scope, in the id_token and from userinfo alike. Faults are the
simulator's: they change only the id_token this provider signs, never DOT itself, so a
relying party's verification can be tested against a real, otherwise correct provider.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import OrderedDict
from functools import cache
from typing import Any

from django.db import router, transaction
from jwcrypto import jwk, jws, jwt
from oauth2_provider.models import get_id_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.utils import jwk_from_pem

from idp_demo.control import ID_TOKEN_FAULTS
from idp_demo.identities import ALL_CLAIMS, identity_get

WRONG_AUDIENCE = "another-client"
WRONG_ISSUER = "https://evil.example"
EXPIRED_BY_SECONDS = 3600
# Enough to answer userinfo for every token still alive (300 s) in a demo or a test run.
ACR_REMEMBERED = 1000


class FaultState:
    """Process-wide, thread-safe: the fault set through the control endpoint."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.id_token: str | None = None
        self.last_nonce: str | None = None
        self._acr_by_jti: OrderedDict[str, str] = OrderedDict()

    def set(self, id_token: str | None) -> None:
        if id_token is not None and id_token not in ID_TOKEN_FAULTS:
            raise ValueError(id_token)
        with self._lock:
            self.id_token = id_token

    def take(self, nonce: str | None) -> tuple[str | None, str | None]:
        """The fault for this token and the nonce of the previous one; remembers ``nonce``."""
        with self._lock:
            fault, previous = self.id_token, self.last_nonce
            if nonce:
                self.last_nonce = nonce
            return fault, previous

    def acr_remember(self, jti: str, acr: str | None) -> None:
        if not acr:
            return
        with self._lock:
            self._acr_by_jti[jti] = acr
            while len(self._acr_by_jti) > ACR_REMEMBERED:
                self._acr_by_jti.popitem(last=False)

    def acr_for(self, jti: str) -> str | None:
        with self._lock:
            return self._acr_by_jti.get(jti)


FAULTS = FaultState()


@cache
def _foreign_key() -> jwk.JWK:
    """A key that is in no JWKS: what a forged token would be signed with."""
    return jwk.JWK.generate(kty="RSA", size=2048)


def _all_signing_keys() -> list[jwk.JWK]:
    pems = [oauth2_settings.OIDC_RSA_PRIVATE_KEY, *oauth2_settings.OIDC_RSA_PRIVATE_KEYS_INACTIVE]
    return [jwk_from_pem(pem) for pem in pems if pem]


def _requested_acr(claims_request: Any) -> str | None:
    """``acr_values`` travel with the grant as an OIDC ``claims`` request for ``acr``."""
    if not isinstance(claims_request, dict):
        return None
    acr = (claims_request.get("id_token") or {}).get("acr") or {}
    if not isinstance(acr, dict):
        return None
    if acr.get("value"):
        return str(acr["value"])
    values = acr.get("values") or []
    return str(values[0]) if values else None


def fault_apply(
    fault: str | None, claims: dict[str, Any], key: jwk.JWK, previous_nonce: str | None
) -> jwk.JWK:
    """Change ``claims`` as ``fault`` says; return the key to sign with."""
    if fault == "bad_signature":
        return _foreign_key()
    if fault == "wrong_audience":
        claims["aud"] = WRONG_AUDIENCE
    elif fault == "expired":
        now = int(time.time())
        claims["exp"] = now - EXPIRED_BY_SECONDS
        claims["iat"] = claims["exp"] - oauth2_settings.ID_TOKEN_EXPIRE_SECONDS
    elif fault == "wrong_issuer":
        claims["iss"] = WRONG_ISSUER
    elif fault == "nonce_replay":
        # With no earlier token to copy from, any other nonce is still a mismatch.
        claims["nonce"] = previous_nonce or f"replayed-{secrets.token_hex(8)}"
    return key


class DemoIdpValidator(OAuth2Validator):
    # The national portal releases the full profile with ``openid``; ``profile``,
    # ``email`` and ``phone`` are accepted for the relying party's sake.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        identity = identity_get(request.user.get_username())
        if identity is None:
            return {"sub": request.user.get_username()}
        acr = _requested_acr(getattr(request, "claims", None))
        if acr is None:
            access_token = getattr(request, "access_token", None)
            id_token = getattr(access_token, "id_token", None)
            if id_token is not None:
                acr = FAULTS.acr_for(str(id_token.jti))
        return identity.claims_for(acr=acr)

    def get_discovery_claims(self, request: Any) -> list[str]:
        return list(ALL_CLAIMS)

    def _create_authorization_code(self, request: Any, code: Any, expires: Any = None) -> Any:
        # oauthlib does not carry acr_values from the authorization request to the token
        # request; stored as the equivalent OIDC claims request, the grant does.
        acr_values = request.acr_values or ""
        if isinstance(acr_values, str):
            acr_values = acr_values.split()
        if acr_values:
            claims = request.claims or {}
            claims = dict(json.loads(claims) if isinstance(claims, str) else claims)
            id_token_claims = dict(claims.get("id_token") or {})
            id_token_claims.setdefault("acr", {"values": list(acr_values)})
            claims["id_token"] = id_token_claims
            request.claims = claims
        return super()._create_authorization_code(request, code, expires)

    def finalize_id_token(
        self, id_token: dict, token: Any, token_handler: Any, request: Any
    ) -> str:
        # Same steps as DOT's finalize_id_token, with the simulator's fault between
        # building the claims and signing them.
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce

        key = request.client.jwk_key
        header = {"typ": "JWT", "alg": request.client.algorithm, "kid": key.thumbprint()}
        fault, previous_nonce = FAULTS.take(id_token.get("nonce"))
        signing_key = fault_apply(fault, id_token, key, previous_nonce)

        signed = jwt.JWT(
            header=json.dumps(header, default=str), claims=json.dumps(id_token, default=str)
        )
        signed.make_signed_token(signing_key)
        id_token_model = get_id_token_model()
        with transaction.atomic(using=router.db_for_write(id_token_model)):
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        FAULTS.acr_remember(id_token["jti"], id_token.get("acr"))
        request.access_token = saved
        request.id_token = saved
        return signed.serialize()

    def _get_key_for_token(self, token: str) -> jwk.JWK | None:
        # DOT only knows the active key; an id_token_hint signed just before a rotation
        # must still be accepted at logout, so look the key up by kid.
        unverified = jws.JWS()
        unverified.deserialize(token)
        kid = unverified.jose_header.get("kid")
        for key in _all_signing_keys():
            if kid and key.thumbprint() == kid:
                return key
        return super()._get_key_for_token(token)
