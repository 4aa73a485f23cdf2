"""The load test's server: production settings on plain HTTP over loopback.

`make loadtest` drives gunicorn with these. They differ from production only
where a load generator on 127.0.0.1 must differ: cookies travel without TLS
(no proxy terminates it on loopback) and every virtual user shares one IP
address, so the per-address lookup limits are raised. Never deploy them.
"""

from .production import *  # noqa: F403
from .production import TTHC

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_ENABLED = False
TTHC = {
    **TTHC,
    "LOOKUP_ATTEMPTS_PER_10_MIN": 10**9,
    "LOOKUP_QR_ATTEMPTS_PER_10_MIN": 10**9,
    "LOOKUP_CODE_FAILURES_PER_10_MIN": 10**9,
}
