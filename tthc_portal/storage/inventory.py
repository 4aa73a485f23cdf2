"""What a store holds: names, and each file's SHA-256 read through the storage API."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterator
from typing import IO

from django.core.files.storage import Storage

CHUNK = 1024 * 1024


def storage_names(storage: Storage) -> Iterator[str]:
    """Every file name in the store, streamed (a province holds millions)."""
    if hasattr(storage, "bucket_name"):
        yield from _bucket_names(storage)
        return
    yield from _tree_names(storage, "")


def _tree_names(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from _tree_names(storage, posixpath.join(folder, sub) if folder else sub)


def _bucket_names(storage: Storage) -> Iterator[str]:
    # One flat listing (1,000 keys a request), not a request per "folder".
    prefix = storage.location.strip("/")
    prefix = f"{prefix}/" if prefix else ""
    paginator = storage.connection.meta.client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=storage.bucket_name, Prefix=prefix):
        for entry in page.get("Contents", ()):
            if not entry["Key"].endswith("/"):
                yield entry["Key"][len(prefix) :]


def copy_hashing(source: IO[bytes], target: IO[bytes] | None = None) -> tuple[str, int]:
    """SHA-256 and size of ``source`` read to its end, copied to ``target`` if given."""
    digest, size = hashlib.sha256(), 0
    for block in iter(lambda: source.read(CHUNK), b""):
        digest.update(block)
        size += len(block)
        if target is not None:
            target.write(block)
    return digest.hexdigest(), size


def stored_file_sha256(storage: Storage, name: str) -> tuple[str, int]:
    """Read the file through the storage (the S3 backend verifies it on the way)."""
    with storage.open(name, "rb") as handle:
        return copy_hashing(handle)


def recorded_sha256(storage: Storage, name: str) -> str | None:
    """The digest the store recorded at upload without downloading, else a full read."""
    if hasattr(storage, "stored_sha256"):
        return storage.stored_sha256(name)
    return stored_file_sha256(storage, name)[0]
