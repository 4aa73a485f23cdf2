"""Production: `manage.py check --deploy` passes with no warnings."""

import os

from django.core.exceptions import ImproperlyConfigured

from tthc_portal.web.checks import demo_parts_configured, demo_parts_refusal

from .base import *  # noqa: F403
from .base import LOGGING, env_bool

DEBUG = False
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:  # noqa: F405
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")

# The simulated bank, the demo signing CA, the logging SMS gateway and local
# simulators are refused unless a demonstration instance asks for them. Nothing
# runs `check --deploy` when gunicorn or Celery start, so refuse here, like the
# SECRET_KEY above (the findings and their ids are tthc_portal/web/checks.py's).
DEMO_PARTS = env_bool("TTHC_DEMO_PARTS", False)
if not DEMO_PARTS:
    _demo_parts = demo_parts_configured(
        tthc=TTHC,  # noqa: F405
        sms_gateway=SMS_GATEWAY,  # noqa: F405
        identity=IDENTITY,  # noqa: F405
    )
    if _demo_parts:
        raise ImproperlyConfigured(demo_parts_refusal(_demo_parts))

# Several servers share one broker and cache: `check --deploy` refuses the embedded
# filesystem broker and file cache (tthc.E007). Not refused at import like the demo
# parts: the image build runs collectstatic with these settings and no Redis.
REDIS_REQUIRED = True

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# One JSON object per log line (request, user and task ids) unless LOG_FORMAT=plain.
LOGGING["handlers"]["console"]["formatter"] = os.environ.get("LOG_FORMAT", "json")
# Workers log through the same handler (JSON), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
