"""A real S3-protocol server for the object-storage tests, and storages that use it.

``TTHC_TEST_S3_ENDPOINT`` (with ``TTHC_TEST_S3_ACCESS_KEY``/``_SECRET_KEY``)
points the tests at a running MinIO; otherwise moto's standalone server is
started as a child process (``python -m moto.server``), so boto3 crosses a real
socket. Without either, the tests skip locally and fail under CI=true.

Registered as a plugin in tests/conftest.py (``pytest_plugins``).
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.test import override_settings

from childserver import ChildServer
from tests.conftest import require
from tthc_portal.storage.config import S3_BACKEND

LOGS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"


class MotoS3Server(ChildServer):
    name = "moto-s3"
    health_path = "/moto-api/"
    start_timeout = 60.0  # moto imports a lot before it listens

    def command(self) -> list[str]:
        return [sys.executable, "-m", "moto.server", "-H", self.host, "-p", str(self.port)]

    def environment(self) -> dict[str, str]:
        env = super().environment()
        env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
        return env


@dataclass(frozen=True)
class S3Endpoint:
    url: str
    access_key: str
    secret_key: str
    region: str = "us-east-1"

    def client(self) -> Any:  # a boto3 S3 client
        return boto3.client(
            "s3",
            endpoint_url=self.url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
        )

    def storages(self, bucket: str) -> dict:
        """A ``STORAGES`` setting whose default is this server's bucket."""
        options = {
            "bucket_name": bucket,
            "endpoint_url": self.url,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "region_name": self.region,
            "addressing_style": "path",
        }
        return {
            "default": {"BACKEND": S3_BACKEND, "OPTIONS": options},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[S3Endpoint]:
    external = os.environ.get("TTHC_TEST_S3_ENDPOINT", "")
    if external:
        yield S3Endpoint(
            external,
            os.environ.get("TTHC_TEST_S3_ACCESS_KEY", "minioadmin"),
            os.environ.get("TTHC_TEST_S3_SECRET_KEY", "minioadmin"),
        )
        return
    require(
        importlib.util.find_spec("moto.server") is not None,
        "object-storage tests need an S3 server: pip install 'moto[server]' "
        "or set TTHC_TEST_S3_ENDPOINT to a MinIO",
    )
    server = MotoS3Server(host="127.0.0.1", port=None, log_path=LOGS / "moto-s3.log")
    server.start()
    try:
        yield S3Endpoint(server.url, "testing", "testing")
    finally:
        server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint: S3Endpoint) -> str:
    """A fresh private bucket per test (no state leaks between tests)."""
    bucket = f"tthc-test-{uuid.uuid4().hex[:12]}"
    s3_endpoint.client().create_bucket(Bucket=bucket)
    return bucket


@pytest.fixture
def s3_storage(s3_endpoint: S3Endpoint, s3_bucket: str) -> Iterator[str]:
    """The default storage is the S3 bucket for this test; yields the bucket name."""
    with override_settings(STORAGES=s3_endpoint.storages(s3_bucket)):
        yield s3_bucket
