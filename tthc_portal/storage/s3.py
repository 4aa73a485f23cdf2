"""The portal's S3 storage: a private bucket with checksums checked both ways.

* Private: no ACL on objects (the bucket policy decides, i.e. nobody public),
  signed URLs only and short-lived. The portal still streams every file through
  its permission-checked views; a signed URL is for an operator or a worker.
* On write the SHA-256 of the content goes with the object twice: as the S3
  flexible checksum (the server refuses an upload that arrives damaged) and as
  ``x-amz-meta-sha256`` (the whole-object digest, which stays comparable when a
  large file is sent in parts).
* On read the object is downloaded and hashed before the caller gets a byte;
  a mismatch raises ``ChecksumMismatch`` and is logged, so a damaged result is
  refused, never served or re-signed.
"""

from __future__ import annotations

import hashlib
import logging
from typing import IO, Any

from botocore.exceptions import ClientError
from storages.backends.s3 import S3File, S3Storage
from storages.utils import clean_name

logger = logging.getLogger("tthc_portal.storage")

CHUNK = 1024 * 1024
METADATA_KEY = "sha256"


class ChecksumMismatch(OSError):
    """The stored object's bytes no longer match the digest recorded at upload."""

    def __init__(self, name: str, expected: str, actual: str) -> None:
        self.name, self.expected, self.actual = name, expected, actual
        super().__init__(
            f"Object {name!r} is corrupted: SHA-256 {actual} does not match "
            f"{expected} recorded when it was stored; refusing to read it."
        )


def stream_sha256(handle: IO[bytes]) -> str:
    """SHA-256 of a seekable binary handle, leaving it at the start."""
    digest = hashlib.sha256()
    handle.seek(0)
    for block in iter(lambda: handle.read(CHUNK), b""):
        digest.update(block)
    handle.seek(0)
    return digest.hexdigest()


class VerifiedS3File(S3File):
    """An ``S3File`` whose first read downloads, hashes and compares the object."""

    def _get_file(self) -> Any:
        fresh = self._file is None and "r" in self._mode
        handle = super()._get_file()
        if fresh:
            self._verify(getattr(handle, "buffer", handle))
        return handle

    def _verify(self, raw: IO[bytes]) -> None:
        expected = (self.obj.metadata or {}).get(METADATA_KEY)
        if not expected:
            # Put there by something other than the portal (no digest to compare):
            # read unverified; storage_migrate reports such objects as mismatches.
            return
        actual = stream_sha256(raw)
        if actual != expected:
            logger.error(
                "storage.checksum_mismatch object=%s expected=%s actual=%s",
                self.name, expected, actual,
                extra={"object": self.name, "expected": expected, "actual": actual},
            )  # fmt: skip
            raise ChecksumMismatch(self.name, expected, actual)

    # S3File binds ``file`` to its own getter: rebind it to the verifying one.
    file = property(_get_file, S3File._set_file)


class PortalS3Storage(S3Storage):
    """django-storages' S3 backend with the portal's defaults (see module doc)."""

    default_acl = None
    querystring_auth = True
    # Names are random already; never silently replace an object either.
    file_overwrite = False

    def get_default_settings(self) -> dict[str, Any]:
        defaults = super().get_default_settings()
        defaults.update(
            default_acl=None,
            querystring_auth=True,
            querystring_expire=300,
            file_overwrite=False,
            # SigV4 everywhere: the only signature MinIO and new regions accept.
            signature_version="s3v4",
            # A downloaded object stays in memory up to this size, then spills
            # to this server's temp dir (django-storages' default 0 never spills).
            max_memory_size=2 * 1024 * 1024,
        )
        return defaults

    def _get_write_parameters(self, name: str, content: Any = None) -> dict[str, Any]:
        params = super()._get_write_parameters(name, content)
        if content is not None and hasattr(content, "seek"):
            params["Metadata"] = {
                **params.get("Metadata", {}),
                METADATA_KEY: stream_sha256(content),
            }
            params["ChecksumAlgorithm"] = "SHA256"
        return params

    def _open(self, name: str, mode: str = "rb") -> S3File:
        key = self._normalize_name(clean_name(name))
        try:
            handle = VerifiedS3File(key, mode, self)
        except ClientError as err:
            if err.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from err
            raise
        if "r" in mode:
            # Download and verify now, so a view gets the error before it has
            # sent a status line, not in the middle of a streamed response.
            handle.file  # noqa: B018
        return handle

    def stored_sha256(self, name: str) -> str | None:
        """The digest recorded at upload (one HEAD request), if any."""
        key = self._normalize_name(clean_name(name))
        head = self.connection.meta.client.head_object(Bucket=self.bucket_name, Key=key)
        return (head.get("Metadata") or {}).get(METADATA_KEY)
