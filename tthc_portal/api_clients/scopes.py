"""Which scope an API call needs, and which scopes a client may ask for."""

from __future__ import annotations

from typing import Any

from oauth2_provider.scopes import BaseScopes
from oauth2_provider.settings import oauth2_settings
from rest_framework.permissions import SAFE_METHODS


def all_scopes() -> dict[str, Any]:
    return oauth2_settings.SCOPES


def view_resource(view: Any) -> str:
    """The resource an API view belongs to: its app (the first part of its
    module, e.g. ``dossiers``), unless the view says otherwise with
    ``token_scope_resource``. The views need no change to be covered."""
    override = getattr(view, "token_scope_resource", None)
    if override:
        return str(override)
    return type(view).__module__.split(".")[0]


def required_scope(view: Any, method: str) -> str:
    access = "read" if method.upper() in SAFE_METHODS else "write"
    return f"{view_resource(view)}:{access}"


def client_scopes_of(application: Any) -> list[str]:
    """Scopes an application's integration client holds now (none once revoked)."""
    client = getattr(application, "api_client", None) if application is not None else None
    if client is None or client.revoked_at is not None:
        return []
    known = all_scopes()
    return [scope for scope in client.scopes if scope in known]


class ClientScopes(BaseScopes):
    """django-oauth-toolkit scopes backend: a client gets at most what it was
    given; asking for nothing gets everything it was given."""

    def get_all_scopes(self) -> dict[str, Any]:
        return all_scopes()

    def get_available_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return client_scopes_of(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs) -> list[str]:
        return client_scopes_of(application)
