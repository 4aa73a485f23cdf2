"""django-oauth-toolkit validator of the portal: client credentials only,
and only for registered integration clients that are not revoked."""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

CLIENT_CREDENTIALS = "client_credentials"


class ClientCredentialsValidator(OAuth2Validator):
    def authenticate_client(self, request, *args, **kwargs) -> bool:
        if not super().authenticate_client(request, *args, **kwargs):
            return False
        # A revoked client keeps its Application row (the audit log points at
        # it) but can never obtain a token again.
        client = getattr(request.client, "api_client", None)
        return client is not None and client.revoked_at is None

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs) -> bool:
        if grant_type != CLIENT_CREDENTIALS:
            return False
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)
