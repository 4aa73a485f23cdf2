"""The environment chooses the store: the disk by default (``make run``), the
private S3 bucket when ``TTHC_S3_BUCKET`` is set."""

from __future__ import annotations

from pathlib import Path

from tthc_portal.storage.config import FILESYSTEM_BACKEND, S3_BACKEND, storages_from_env
from tthc_portal.storage.s3 import PortalS3Storage


def test_the_local_disk_without_a_bucket():
    default = storages_from_env(Path("/srv/var"), {})["default"]
    assert default == {
        "BACKEND": FILESYSTEM_BACKEND,
        "OPTIONS": {"location": "/srv/var/private-media"},
    }


def test_a_private_bucket_with_short_signed_urls_when_configured():
    environ = {
        "TTHC_S3_BUCKET": "tthc-documents",
        "TTHC_S3_ENDPOINT_URL": "http://minio:9000",
        "TTHC_S3_ACCESS_KEY": "portal",
        "TTHC_S3_SECRET_KEY": "secret-value",
        "TTHC_S3_URL_SECONDS": "120",
    }
    default = storages_from_env(Path("/srv/var"), environ)["default"]
    assert default["BACKEND"] == S3_BACKEND
    storage = PortalS3Storage(**default["OPTIONS"])
    assert storage.bucket_name == "tthc-documents"
    assert storage.endpoint_url == "http://minio:9000"
    assert storage.addressing_style == "path"  # MinIO
    assert storage.default_acl is None and storage.querystring_auth is True
    assert storage.querystring_expire == 120
    assert storage.file_overwrite is False
    assert storage.signature_version == "s3v4"
