"""Settings of the demo identity provider (its own project; nothing from the portal).

Configured through the environment so ``python -m idp_demo`` can set them before
``django.setup()``:

- ``IDP_DEMO_VAR_DIR``: SQLite database, signing keys and Django secret (created on
  first start);
- ``IDP_DEMO_ISSUER``: the OpenID Connect issuer, e.g. ``http://127.0.0.1:8200``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from idp_demo.keys import key_ring_load

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("IDP_DEMO_VAR_DIR", BASE_DIR.parent / "var" / "idp-demo")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)
ISSUER = os.environ.get("IDP_DEMO_ISSUER", "http://127.0.0.1:8200").rstrip("/")


def _secret_key() -> str:
    # Kept in the var dir so the IdP's own sign-in sessions survive a restart.
    path = VAR_DIR / "secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="ascii")
        path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = _secret_key()
DEBUG = False
# The simulator is reached under whatever name the demo uses (127.0.0.1, localhost,
# a container name); checking the Host header would only get in the way.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "oauth2_provider",
    "idp_demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "idp_demo.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "idp_demo.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "idp-demo.sqlite3",
        # Threaded server: wait for the write lock instead of failing, and WAL so
        # readers never block the writer.
        "OPTIONS": {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The portal runs on the same host (127.0.0.1) and browsers do not separate cookies
# by port: distinct names keep the two sessions from overwriting each other.
SESSION_COOKIE_NAME = "idp_demo_sessionid"
CSRF_COOKIE_NAME = "idp_demo_csrftoken"
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"

_KEYS = key_ring_load(VAR_DIR)

OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": _KEYS.active_pem,
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": list(_KEYS.inactive_pems),
    # Keys rotate during tests; relying parties should not cache the JWKS for long.
    "OIDC_JWKS_MAX_AGE_SECONDS": 60,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    # The relying party's own logout already asked the user; with a valid
    # id_token_hint for the signed-in person, log out and go straight back.
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "PKCE_REQUIRED": True,
    # S256 only: "plain" is refused and not advertised.
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "SCOPES": {
        "openid": "Định danh người dùng (OpenID Connect)",
        "profile": "Họ tên và thông tin cá nhân",
        "email": "Thư điện tử",
        "phone": "Số điện thoại",
    },
    "DEFAULT_SCOPES": ["openid"],
    "OAUTH2_VALIDATOR_CLASS": "idp_demo.validator.DemoIdpValidator",
}
