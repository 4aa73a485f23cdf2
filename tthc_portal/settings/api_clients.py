"""Tokens for other government systems (OAuth2 client credentials).

django-oauth-toolkit issues the tokens at /ket-noi/o/token/; the portal's
validator and scope backend (``tthc_portal.api_clients``) allow only the
client-credentials grant, only registered, unrevoked integration clients,
and only the scopes each client was given.
"""

from __future__ import annotations

import os

from django.utils.translation import gettext_lazy as _

# One scope per resource and access; "read" covers the safe methods (GET, HEAD,
# OPTIONS), "write" everything else. The resource of an API view is its app.
API_CLIENT_SCOPES = {
    "dossiers:read": _("Xem hồ sơ thủ tục hành chính của cơ quan"),
    "dossiers:write": _("Tiếp nhận, xử lý hồ sơ thủ tục hành chính của cơ quan"),
    "procedures:read": _("Xem danh mục thủ tục hành chính"),
    "feedback:read": _("Xem phản ánh, kiến nghị và đánh giá"),
    "feedback:write": _("Cập nhật phản ánh, kiến nghị và đánh giá"),
    "indicators:read": _("Xem bộ chỉ số phục vụ người dân, doanh nghiệp"),
}

OAUTH2_PROVIDER = {
    # Short-lived: a leaked token is worth little, and a revoked client's
    # tokens are deleted at once anyway.
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("TTHC_API_TOKEN_SECONDS", "3600")),
    "SCOPES": API_CLIENT_SCOPES,
    "DEFAULT_SCOPES": ["__all__"],
    "SCOPES_BACKEND_CLASS": "tthc_portal.api_clients.scopes.ClientScopes",
    "OAUTH2_VALIDATOR_CLASS": "tthc_portal.api_clients.validators.ClientCredentialsValidator",
    # No authorization-code flow is exposed here; kept strict should one ever be.
    "PKCE_REQUIRED": True,
    # The OAuth 2.0 security BCP (RFC 9700) throughout. The grants it concerns
    # are refused by the validator anyway; these keep check --deploy clean and
    # the toolkit strict should another grant ever be enabled.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    # A token only in the Authorization header, never in a query string (logs).
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    # Only a checksum of each token at rest: a copy of the database yields none.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}
