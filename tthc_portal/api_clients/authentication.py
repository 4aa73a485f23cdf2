"""Bearer tokens of integration clients (OAuth2 client credentials).

A request without ``Authorization: Bearer`` is left to the other
authenticators (browser sessions are unaffected). With one, the token is
checked by django-oauth-toolkit's validator (known, not expired, not
revoked), its client must not be revoked, and the call must be covered by
one of the token's scopes; the request then runs as the client's service
account, so every selector scopes it like a member of the client's agency.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauthlib.common import Request as OauthlibRequest
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from tthc_portal.audit.middleware import set_api_client

from .models import ApiClient
from .scopes import required_scope
from .services import api_client_touch

REALM = "api"


class TokenInvalid(exceptions.APIException):
    """401 whatever authenticator comes first in the settings (DRF would turn an
    ``AuthenticationFailed`` into a 403 when the first one is the session's)."""

    status_code = status.HTTP_401_UNAUTHORIZED
    default_detail = gettext_lazy("Mã truy cập không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
    default_code = "invalid_token"

    def __init__(self) -> None:
        super().__init__()
        # DRF's exception handler copies this into the WWW-Authenticate header.
        self.auth_header = f'Bearer realm="{REALM}", error="invalid_token"'


class ScopeMissing(exceptions.APIException):
    """403; not a ``PermissionDenied``, which some API mixins reword: the
    calling system's operators need to read which scope is missing."""

    status_code = status.HTTP_403_FORBIDDEN
    default_code = "insufficient_scope"

    def __init__(self, scope: str) -> None:
        super().__init__(
            _("Mã truy cập không có phạm vi “%(scope)s” cần cho yêu cầu này.") % {"scope": scope}
        )
        self.auth_header = f'Bearer realm="{REALM}", error="insufficient_scope", scope="{scope}"'


def _bearer(request: Request) -> str | None:
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != b"bearer":
        return None
    if len(parts) != 2:
        raise TokenInvalid()
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        raise TokenInvalid() from None


def _client_for(token: str, request: Request) -> tuple[ApiClient, Any]:
    validator = get_oauthlib_core().server.request_validator
    # The URI only matters for resource-restricted tokens (RFC 8707).
    oauth_request = OauthlibRequest(request.build_absolute_uri(request.path))
    if not validator.validate_bearer_token(token, [], oauth_request):
        raise TokenInvalid()
    access_token = oauth_request.access_token
    client = (
        ApiClient.objects.select_related("application", "agency", "service_account")
        .filter(application_id=access_token.application_id)
        .first()
    )
    if client is None:
        raise TokenInvalid()
    return client, access_token


class ClientTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        token = _bearer(request)
        if token is None:
            return None
        client, access_token = _client_for(token, request)
        # From here on the call is the client's: audited as such even if refused.
        request._request.audit_api_client = client
        set_api_client(client.client_id)
        if client.revoked_at is not None or not client.service_account.is_active:
            raise TokenInvalid()
        view = (getattr(request, "parser_context", None) or {}).get("view")
        needed = required_scope(view, request.method)
        if needed not in access_token.scopes or needed not in client.scopes:
            raise ScopeMissing(needed)
        api_client_touch(client)
        return client.service_account, access_token

    def authenticate_header(self, request: Request) -> str:
        return f'Bearer realm="{REALM}"'
