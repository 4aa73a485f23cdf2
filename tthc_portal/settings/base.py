"""Settings shared by every environment.

Everything that differs between a laptop and production comes from the
environment (twelve-factor): see the configuration table in README.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("TTHC_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
# Demo parts (simulated bank, demo signing CA, logging SMS gateway, local
# simulators): on for `make run` and the tests; production.py turns the
# default off and refuses to start with any of them unless this is set.
DEMO_PARTS = env_bool("TTHC_DEMO_PARTS", True)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "oauth2_provider",
    # shared kernel
    "tthc_portal.accounts",
    "tthc_portal.agencies",
    "tthc_portal.workdays",
    "tthc_portal.audit",
    "tthc_portal.notifications",
    "tthc_portal.signing",
    "tthc_portal.web",
    "tthc_portal.api_clients",
    # domain apps
    "procedures",
    "dossiers",
    "indicators",
    "feedback",
    "integrations",
    "queueing",
    "receipts",
    "records",
    # site composition above the domain apps (demo province, synthetic data command)
    "portal_site",
    "django_prometheus",
]

MIDDLEWARE = [
    # First: every later layer (throttles, logs, audit) sees the client's address.
    "tthc_portal.forwarded.ForwardedForMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tthc_portal.audit.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in user's id on this request's log lines.
    "tthc_portal.logs.LogContextMiddleware",
    # The language saved on the account (or picked by a visitor), never the browser's.
    "tthc_portal.accounts.language.UserLanguageMiddleware",
    # Staff: a second factor on every page; idle timeout and revoked sessions.
    "django_otp.middleware.OTPMiddleware",
    "tthc_portal.accounts.signins.middleware.SessionGuardMiddleware",
    "tthc_portal.accounts.second_factor.middleware.SecondFactorRequiredMiddleware",
    # A smart kiosk goes back to its home page when a citizen's session ends there.
    "queueing.middleware.KioskReturnMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A form sent twice (double click, retry) acts once and gets the first result.
    "tthc_portal.web.idempotency.IdempotencyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "tthc_portal.urls"
WSGI_APPLICATION = "tthc_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tthc_portal.web.context_processors.navigation",
                "tthc_portal.notifications.context_processors.staff_notices",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# Default: an embedded SQLite file so `make run` needs no server.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tthc.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The Celery worker writes beside the web process: WAL lets readers run
    # during a write and IMMEDIATE avoids upgrade deadlocks between writers.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Read replica for reports (tthc_portal/db_router.py) ---------------------
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["tthc_portal.db_router.ReplicaRouter"]
TTHC_REPLICA_MAX_LAG = float(os.environ.get("TTHC_REPLICA_MAX_LAG", "30"))
TTHC_REPLICA_LAG_CACHE = float(os.environ.get("TTHC_REPLICA_LAG_CACHE", "5"))
# Behind the load balancer: proxies whose X-Forwarded-For is believed (tthc_portal/forwarded.py).
TTHC_TRUSTED_PROXIES = os.environ.get("TTHC_TRUSTED_PROXIES", "")

# --- Cache ----------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # An unreachable Redis is a cache miss, not an error (the calendar falls back to
    # the database); counters that protect something use strict_cache() and fail closed.
    CACHES = {
        "default": {
            "BACKEND": "tthc_portal.cache_safety.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tthc",
            "OPTIONS": {
                "socket_connect_timeout": 1.0,
                "socket_timeout": 1.0,
                "OUTAGE_COOLDOWN": 5.0,
            },
        }
    }
else:
    # File cache: shared by the web process and the embedded worker.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# --- Auth -----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tthc_portal.accounts.backends.IdentifierBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:home"
GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions

# Brute-force protection on password sign-in, portal form and admin login
# (django-axes; why two limits: tthc_portal/accounts/lockout.py).
# Per (account, address): stops guessing from one place quickly.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
# Per account over all addresses, within the cool-off: stops rotating addresses.
# Higher, because anyone can spend it to lock someone else out for a while.
AXES_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("AXES_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Key the counters on the account (any letter case, personal ID or tax code all
# name the same one), not on the text typed.
AXES_USERNAME_CALLABLE = "tthc_portal.accounts.lockout.identifier_normalise"
AXES_HANDLER = "tthc_portal.accounts.lockout.AccountLimitHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# --- Identity: see identity.py -----------------------------------------------
from .identity import IDENTITY  # noqa: E402, F401  (dev, test and production extend it)

# --- i18n -----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded dossier files live outside the web root and are only served through
# permission-checked views: on the local disk (var/private-media) by default, in a
# private S3 bucket when TTHC_S3_BUCKET is set (tthc_portal/storage/config.py).
from tthc_portal.storage.config import storages_from_env  # noqa: E402

STORAGES = storages_from_env(VAR_DIR)
WHITENOISE_USE_FINDERS = True

# --- Security headers and CSP: see security.py -------------------------------
from .security import (  # noqa: E402, F401
    CONTENT_SECURITY_POLICY,
    CSRF_COOKIE_HTTPONLY,
    SECURE_CONTENT_TYPE_NOSNIFF,
    SECURE_REFERRER_POLICY,
    SESSION_COOKIE_AGE,
    SESSION_COOKIE_HTTPONLY,
    X_FRAME_OPTIONS,
)

# --- Email and SMS ----------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng dịch vụ công <no-reply@localhost>")
SMS_GATEWAY = os.environ.get("SMS_GATEWAY", "tthc_portal.notifications.gateways.LoggingSMSGateway")
SMS_GATEWAY_OPTIONS = {
    "url": os.environ.get("SMS_GATEWAY_URL", ""),
    "token": os.environ.get("SMS_GATEWAY_TOKEN", ""),
    "sender": os.environ.get("SMS_SENDER", "TTHC"),
}
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "5"))

# --- Celery -----------------------------------------------------------------
# With REDIS_URL: Redis. Without: kombu's filesystem transport, so the embedded
# `make run` still runs a real worker and beat with nothing to install.
if REDIS_URL:
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3600}
    # With the broker down a request must not wait: jobs stay in their outboxes and
    # the beat sweeps send them when it is back (by default .delay() blocked ~19 s).
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1}}
    CELERY_TASK_PUBLISH_RETRY_POLICY = {
        "max_retries": 2,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
        # Broadcast/control messages (kombu defaults to ./control in the cwd).
        "control_folder": str(_broker_dir / "control"),
    }
    (VAR_DIR / "celery-results").mkdir(parents=True, exist_ok=True)
    CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery-results'}"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- REST framework, OpenAPI, integration clients: see api.py ------------------
from .api import OAUTH2_PROVIDER, REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401

# --- Domain configuration (dated rules live in the database; these are the
# process-wide defaults the domain spec marks as configurable) ----------------
MAX_UPLOAD_BYTES = int(os.environ.get("TTHC_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))

TTHC = {
    # Office hours: "HH:MM-HH:MM" periods, comma separated (dossier-lifecycle §9.2).
    "OFFICE_HOURS": os.environ.get("TTHC_OFFICE_HOURS", "08:00-12:00,13:00-17:00"),
    # Official data shipped with the code (copies of the project's shared data):
    # the 2023-2026 civil-servant calendar and 63 real published procedures.
    "HOLIDAYS_FILE": os.environ.get(
        "TTHC_HOLIDAYS_FILE", str(BASE_DIR / "tthc_portal" / "data" / "holidays-vn.json")
    ),
    # From this day of the year ("MM-DD") the next year's official calendar is
    # expected: the calendar page and `check --deploy` warn while it is missing
    # (dossiers received in December fall due in January).
    "CALENDAR_NEXT_YEAR_FROM": os.environ.get("TTHC_CALENDAR_NEXT_YEAR_FROM", "11-01"),
    # Decree 309/2026 Art. 18(2): a dossier received in person is transferred the same
    # working day, or at the start of the next one when received after this time.
    "DESK_TRANSFER_CUTOFF": os.environ.get("TTHC_DESK_TRANSFER_CUTOFF", "15:00"),
    # Channels whose desk step follows that rule (online and postal: unconfirmed).
    "DESK_TRANSFER_CHANNELS": [
        c.strip()
        for c in os.environ.get("TTHC_DESK_TRANSFER_CHANNELS", "in_person").split(",")
        if c.strip()
    ],
    # SMS with Vietnamese accents (Unicode, ~70 characters a segment); off: the
    # gateway sends plain ASCII (GSM-7, 160 a segment), whatever the template says.
    "SMS_ACCENTS": os.environ.get("TTHC_SMS_ACCENTS", "1").lower() not in ("0", "false", "off"),
    # Who may read /metrics (Prometheus): comma-separated networks.
    "METRICS_ALLOWED": os.environ.get("TTHC_METRICS_ALLOWED", "127.0.0.1/32,::1/128"),
    # Months each partitioned table keeps online before its old months are
    # archived (gzip'd CSV + SHA-256) and dropped; a table not named keeps all.
    # "table=months,…". The sync log's 24 months is UNCONFIRMED (the province's
    # archive rules decide); audit events and status history are kept.
    "PARTITION_RETENTION_MONTHS": {
        table: int(months)
        for table, _sep, months in (
            item.partition("=")
            for item in os.environ.get(
                "TTHC_PARTITION_RETENTION", "integrations_syncattempt=24"
            ).split(",")
            if item.strip()
        )
    },
    # Delivered outbox messages and read staff notices are deleted after this
    # many days (work tables; history and audit keep what happened).
    # Where receipts_demo points the e-receipt target; production refuses one on this
    # machine (tthc.E006) unless TTHC_DEMO_PARTS.
    "RECEIPT_PROVIDER_URL": os.environ.get("TTHC_RECEIPT_PROVIDER_URL", ""),
    # A session opened at a smart kiosk (VNeID sign-in) lives this long; its pages then
    # go back to the kiosk's home (unconfirmed).
    "KIOSK_SESSION_SECONDS": int(os.environ.get("TTHC_KIOSK_SESSION_SECONDS", "600")),
    # Anonymous catalogue and public 766 pages served from the shared cache for at
    # most this long (publication invalidates them at once); 0 = off.
    "PUBLIC_CACHE_SECONDS": int(os.environ.get("TTHC_PUBLIC_CACHE_SECONDS", "3600")),
    "NOTIFICATION_RETENTION_DAYS": int(os.environ.get("TTHC_NOTIFICATION_RETENTION_DAYS", "90")),
    # A one-time rating link sent when the result is returned expires after this.
    "RATING_LINK_DAYS": int(os.environ.get("TTHC_RATING_LINK_DAYS", "30")),
    # Queue tickets at the kiosk: per browser session and per address (abuse).
    "QUEUE_TICKETS_PER_SESSION": int(os.environ.get("TTHC_QUEUE_TICKETS_PER_SESSION", "5")),
    "QUEUE_TICKETS_PER_ADDRESS": int(os.environ.get("TTHC_QUEUE_TICKETS_PER_ADDRESS", "300")),
    "QUEUE_CHECKINS_PER_ADDRESS": int(os.environ.get("TTHC_QUEUE_CHECKINS_PER_ADDRESS", "100")),
    "PROCEDURES_SAMPLE_FILE": os.environ.get(
        "TTHC_PROCEDURES_FILE", str(BASE_DIR / "tthc_portal" / "data" / "procedures-sample.json")
    ),
    # Grace for "immediate" procedures, in working hours (§9.3).
    "IMMEDIATE_GRACE_HOURS": float(os.environ.get("TTHC_IMMEDIATE_GRACE_HOURS", "1")),
    "PROVINCE_NAME": os.environ.get("TTHC_PROVINCE_NAME", "Tỉnh Demo"),
    # Public address used in links sent by email/SMS and encoded in QR codes.
    "SITE_URL": os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
    # Gia Lai's rule: online dossiers accepted within 8 working hours (§3 row 4).
    "ONLINE_ACCEPT_SLA_HOURS": float(os.environ.get("TTHC_ONLINE_ACCEPT_SLA_HOURS", "8")),
    "MAX_UPLOAD_BYTES": MAX_UPLOAD_BYTES,
    # Payment gateway (dotted path) and its options; the simulated gateway signs
    # its callbacks with HMAC-SHA256 so the real flow runs end to end.
    "PAYMENT_GATEWAY": os.environ.get(
        "TTHC_PAYMENT_GATEWAY", "dossiers.services.payments.SimulatedGateway"
    ),
    "PAYMENT_GATEWAY_OPTIONS": {
        "secret": os.environ.get("TTHC_PAYMENT_SECRET", SECRET_KEY + ":payments"),
    },
    # Processing (dossier-lifecycle §7-§8; unconfirmed rules kept as settings).
    "DUE_SOON_WORKING_HOURS": float(os.environ.get("TTHC_DUE_SOON_WORKING_HOURS", "8")),
    "DUE_SOON_SAME_DAY_HOURS": float(os.environ.get("TTHC_DUE_SOON_SAME_DAY_HOURS", "3")),
    "APOLOGY_REMINDER_WORKING_HOURS": float(os.environ.get("TTHC_APOLOGY_REMINDER_HOURS", "16")),
    "APOLOGY_NOTICE": float(os.environ.get("TTHC_APOLOGY_NOTICE", "1")),
    "APOLOGY_NOTICE_UNIT": os.environ.get("TTHC_APOLOGY_NOTICE_UNIT", "working_days"),
    "EARLY_CONVENTION": os.environ.get("TTHC_EARLY_CONVENTION", "before_due_day"),
    "CONSULT_BUDGET_DAYS": float(os.environ.get("TTHC_CONSULT_BUDGET_DAYS", "3")),
    # Register (form 07) downloads: WeasyPrint takes ~25 ms a row, so the PDF is capped.
    "REGISTER_PDF_MAX_ROWS": int(os.environ.get("TTHC_REGISTER_PDF_MAX_ROWS", "500")),
    "REGISTER_EXPORT_MAX_ROWS": int(os.environ.get("TTHC_REGISTER_EXPORT_MAX_ROWS", "20000")),
    "RESULT_CODE_FORMAT": os.environ.get("TTHC_RESULT_CODE_FORMAT", "{code}-KQ{n}"),
    # Public status lookup: attempts per IP address per 10 minutes.
    "LOOKUP_ATTEMPTS_PER_10_MIN": int(os.environ.get("TTHC_LOOKUP_ATTEMPTS", "10")),
    # QR links on papers have their own budget per address (an office or mobile NAT
    # must not block them); wrong answers against one code lock that code.
    "LOOKUP_QR_ATTEMPTS_PER_10_MIN": int(os.environ.get("TTHC_LOOKUP_QR_ATTEMPTS", "30")),
    "LOOKUP_CODE_FAILURES_PER_10_MIN": int(os.environ.get("TTHC_LOOKUP_CODE_FAILURES", "5")),
    # PDF renders: a claim older than this is presumed dead and re-queued by the
    # sweep (longer than any normal render); after this many lost claims a paper fails.
    "RENDER_RECLAIM_SECONDS": float(os.environ.get("TTHC_RENDER_RECLAIM_SECONDS", "120")),
    "RENDER_MAX_ATTEMPTS": int(os.environ.get("TTHC_RENDER_MAX_ATTEMPTS", "5")),
    # Digital signatures on results (dossier-lifecycle §6). The demo backend keeps
    # its own root CA in the database; production sets TTHC_SIGNING_BACKEND to
    # "tthc_portal.signing.backends.PKCS12Backend" (one <agency code>.p12 per agency).
    "SIGNING": {
        "BACKEND": os.environ.get(
            "TTHC_SIGNING_BACKEND", "tthc_portal.signing.backends.DemoCABackend"
        ),
        "OPTIONS": {
            # Demo CA: "ec-p256" or "rsa-2048"; validity in days.
            "KEY_TYPE": os.environ.get("TTHC_SIGNING_KEY_TYPE", "ec-p256"),
            "ROOT_NAME": "Demo Root CA — Cổng DVC tỉnh (chỉ dùng thử nghiệm)",
            "ROOT_VALID_DAYS": 3650,
            "AGENCY_VALID_DAYS": 3 * 365,
            "RENEW_BEFORE_DAYS": 30,
            # Issue a certificate when an agency first signs.
            "AUTO_ISSUE": env_bool("TTHC_SIGNING_AUTO_ISSUE", True),
            # Stored keys are encrypted with a key derived from this secret, or from
            # SECRET_KEY (and SECRET_KEY_FALLBACKS) when empty.
            "KEY_SECRET": os.environ.get("TTHC_SIGNING_KEY_SECRET", ""),
            # PKCS12Backend: directory of <agency code>.p12, their passphrase and
            # the issuing CA's root certificates (comma-separated PEM/DER files).
            "PKCS12_DIR": os.environ.get("TTHC_SIGNING_PKCS12_DIR", ""),
            "PKCS12_PASSPHRASE": os.environ.get("TTHC_SIGNING_PKCS12_PASSPHRASE", ""),
            "TRUST_ROOTS": env_list("TTHC_SIGNING_TRUST_ROOTS"),
        },
        # Visible stamp "Ký bởi: <cơ quan>" at the bottom right of the last page.
        "VISIBLE_STAMP": env_bool("TTHC_SIGNING_VISIBLE_STAMP", True),
        # Let verification fetch CRLs/OCSP over the network (real CAs only).
        "ALLOW_FETCHING": env_bool("TTHC_SIGNING_ALLOW_FETCHING", False),
    },
    # National integration (integrations/, national-sync.md). Targets, credentials and
    # code maps are data (admin); these are the installation's defaults.
    # Where seed_demo points the hub target (the local simulator in `make run`).
    "NATIONAL_HUB_URL": os.environ.get("TTHC_NATIONAL_HUB_URL", ""),
    # The hub authenticates its pushes with this bearer token (or the target's stored hash).
    "NATIONAL_PUSH_TOKEN": os.environ.get("TTHC_NATIONAL_PUSH_TOKEN", ""),
    # The largest message the hub may push (files inline): 20 uploads' worth.
    "INBOUND_MAX_BYTES": int(os.environ.get("TTHC_INBOUND_MAX_BYTES", str(20 * MAX_UPLOAD_BYTES))),
    # PayGov MaXacThuc secret when the PayGov target has no credential row.
    "PAYGOV_SECRET": os.environ.get("TTHC_PAYGOV_SECRET", ""),
    # Key of the data store's reply signature (HMAC-SHA256; the operator issues it).
    "DATASTORE_SIGNATURE_KEY": os.environ.get("TTHC_DATASTORE_SIGNATURE_KEY", "kho-du-lieu-demo"),
    # How long a signed file link given to the hub stays valid.
    "SYNC_LINK_MAX_AGE_DAYS": int(os.environ.get("TTHC_SYNC_LINK_MAX_AGE_DAYS", "30")),
    "SYNC_RECONCILE_DAYS": int(os.environ.get("TTHC_SYNC_RECONCILE_DAYS", "30")),
    "SYNC_ALERT_BACKLOG": int(os.environ.get("TTHC_SYNC_ALERT_BACKLOG", "1000")),
    "SYNC_ALERT_OLDEST_MINUTES": float(os.environ.get("TTHC_SYNC_ALERT_OLDEST_MINUTES", "60")),
    "SYNC_ALERT_EMAILS": env_list("TTHC_SYNC_ALERT_EMAILS"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s u%(user_id)s "
            "t%(task_id)s] %(message)s"
        },
        "json": {"()": "tthc_portal.logs.JsonFormatter"},
    },
    "filters": {"context": {"()": "tthc_portal.logs.ContextFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # json: one object per line with request, user and task ids (production).
            "formatter": os.environ.get("LOG_FORMAT", "plain"),
            "filters": ["context"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # The embedded filesystem broker has no host; kombu warns on every send.
        "kombu.connection": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # pyHanko logs a traceback for every untrusted signature it is shown;
        # the verification report already says why.
        "pyhanko": {"level": "ERROR"},
    },
}
