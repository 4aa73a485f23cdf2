"""Test settings: whatever DATABASE_URL / REDIS_URL the runner sets."""

import os

from tthc_portal.storage.config import S3_BACKEND, s3_options_from_env

from .base import *  # noqa: F403
from .base import DATABASES, IDENTITY, TTHC, VAR_DIR

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# The test client comes from 127.0.0.1: only this (TEST-NET) address is the scraper.
# The public page cache has its own tests (tests/web/test_public_cache.py), which
# switch it on; elsewhere tests edit rows directly and read the pages back.
TTHC = {**TTHC, "METRICS_ALLOWED": "192.0.2.10/32", "PUBLIC_CACHE_SECONDS": 0}
# Login throttling has its own test that switches it on.
AXES_ENABLED = False
# Existing journeys sign citizens in with a password; its own test turns it off.
IDENTITY = {**IDENTITY, "CITIZEN_PASSWORD_LOGIN": True}
# The disk under the test var folder; TTHC_S3_BUCKET (and its siblings, see
# tthc_portal/storage/config.py) runs the suite against an S3 bucket instead.
_s3 = s3_options_from_env(os.environ)
STORAGES = {
    "default": {"BACKEND": S3_BACKEND, "OPTIONS": _s3}
    if _s3
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "test-media")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The replica router tests add the alias themselves (tests/kernel/test_replica_router.py).
DATABASES.pop("replica", None)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so a Celery worker started by a test sees the rows.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
