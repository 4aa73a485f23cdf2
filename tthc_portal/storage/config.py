"""``STORAGES`` from the environment: the object store when a bucket is named.

Imported by the settings, so nothing here touches Django or boto3.

    TTHC_S3_BUCKET            the private bucket (switches S3 on)
    TTHC_S3_ENDPOINT_URL      MinIO / another S3 service (empty: AWS)
    TTHC_S3_ACCESS_KEY, TTHC_S3_SECRET_KEY
    TTHC_S3_REGION            default us-east-1
    TTHC_S3_PREFIX            key prefix inside the bucket (default none)
    TTHC_S3_ADDRESSING_STYLE  "path" (default with an endpoint: MinIO) or "virtual"
    TTHC_S3_URL_SECONDS       lifetime of a signed URL (default 300)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

S3_BACKEND = "tthc_portal.storage.s3.PortalS3Storage"
FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"


def s3_options_from_env(environ: Mapping[str, str]) -> dict[str, Any] | None:
    bucket = environ.get("TTHC_S3_BUCKET", "").strip()
    if not bucket:
        return None
    endpoint = environ.get("TTHC_S3_ENDPOINT_URL", "").strip() or None
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": environ.get("TTHC_S3_ACCESS_KEY") or None,
        "secret_key": environ.get("TTHC_S3_SECRET_KEY") or None,
        "region_name": environ.get("TTHC_S3_REGION", "us-east-1"),
        "location": environ.get("TTHC_S3_PREFIX", "").strip("/"),
        # MinIO and most self-hosted stores answer only path-style requests.
        "addressing_style": environ.get(
            "TTHC_S3_ADDRESSING_STYLE", "path" if endpoint else "virtual"
        ),
        "querystring_expire": int(environ.get("TTHC_S3_URL_SECONDS", "300")),
    }
    return options


def storages_from_env(
    var_dir: Path, environ: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """The object store when ``TTHC_S3_BUCKET`` is set, else ``var/private-media``."""
    environ = os.environ if environ is None else environ
    options = s3_options_from_env(environ)
    if options is None:
        # Uploaded dossier files live outside the web root and are only served
        # through permission-checked views.
        default = {
            "BACKEND": FILESYSTEM_BACKEND,
            "OPTIONS": {"location": str(var_dir / "private-media")},
        }
    else:
        default = {"BACKEND": S3_BACKEND, "OPTIONS": options}
    return {
        "default": default,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
    }
