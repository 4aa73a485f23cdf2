"""API settings: REST framework, the OpenAPI schema, tokens for system integrations."""

from __future__ import annotations

import os

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "tthc_portal.api_clients.authentication.ClientTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # Strict: a bad page or page_size is a 400, not a silent fallback.
    "DEFAULT_PAGINATION_CLASS": "tthc_portal.api.StandardPagination",
    "PAGE_SIZE": 50,
    # JSON only: nothing under /api/ answers with an HTML page (no browsable API).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Every refusal in the one envelope {"detail", "errors"?, "fields"?}.
    "EXCEPTION_HANDLER": "tthc_portal.api_errors.api_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Records each view's documented query parameters, which requests are held to.
    "DEFAULT_SCHEMA_CLASS": "tthc_portal.api_schema.ContractAutoSchema",
    # Every API view without its own throttle_classes: a budget per signed-in
    # account (per address for anonymous callers) against scripted abuse.
    "DEFAULT_THROTTLE_CLASSES": ["tthc_portal.throttles.AccountRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "lookup": "30/min",
        "anon": "120/min",
        "user": os.environ.get("TTHC_API_USER_RATE", "600/min"),
    },
    # Trust X-Forwarded-For only behind this many proxies (0: use REMOTE_ADDR).
    "NUM_PROXIES": int(os.environ.get("TTHC_NUM_PROXIES", "0")),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TTHC one-stop portal API",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from the sidecar package: no CDN on these networks.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # 400/401/403/404/415/429 with the error envelope on every operation.
        "tthc_portal.api_schema.postprocess_error_responses",
    ],
    # Several apps have a "status", "kind" or "channel": name each enum once.
    "ENUM_NAME_OVERRIDES": {
        "FeedbackStatusEnum": "feedback.models.pakn.Status",
        "FeedbackKindEnum": "feedback.models.pakn.Kind",
        "FeedbackChannelEnum": "feedback.models.pakn.Channel",
        "FeedbackAlertLevelEnum": "feedback.models.pakn.AlertLevel",
        "DossierChannelEnum": "dossiers.models.dossier.Channel",
        # Staff enter feedback from every channel but the portal itself.
        "StaffEntryChannelEnum": "feedback.api.serializers.ENTRY_CHANNELS",
        "DossierStatusEnum": "dossiers.models.dossier.Status",
        "DocumentKindEnum": "dossiers.models.documents.DocumentKind",
        "FeeKindEnum": "procedures.models.catalogue.FeeKind",
        "VersionStatusEnum": "procedures.models.catalogue.VersionStatus",
        "TaskStatusEnum": "procedures.models.publication.TaskStatus",
    },
}

# --- Tokens for other government systems: see api_clients.py ----------------
from .api_clients import OAUTH2_PROVIDER  # noqa: E402, F401
