"""OpenAPI: the integration token is an OAuth2 client-credentials scheme."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from oauth2_provider.settings import oauth2_settings

from .scopes import required_scope


class ClientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "tthc_portal.api_clients.authentication.ClientTokenAuthentication"
    name = "integrationToken"

    def get_security_requirement(self, auto_schema):
        # The scope this operation needs, as the authentication enforces it.
        return {self.name: [required_scope(auto_schema.view, auto_schema.method)]}

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "description": (
                "Mã truy cập cho hệ thống của cơ quan khác (OAuth2 client credentials), "
                "gửi trong tiêu đề `Authorization: Bearer …`. Mỗi phạm vi cho một loại "
                "dữ liệu: `read` cho GET, `write` cho các phương thức khác.\n\n"
                "Token for other government systems (OAuth2 client credentials), sent as "
                "`Authorization: Bearer …`; one scope per resource, `read` for GET, "
                "`write` otherwise."
            ),
            "flows": {
                "clientCredentials": {
                    "tokenUrl": reverse("api_clients:token"),
                    "scopes": {
                        scope: str(label) for scope, label in oauth2_settings.SCOPES.items()
                    },
                }
            },
        }
