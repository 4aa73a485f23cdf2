"""``storage_migrate`` copies every file from the disk to the bucket and verifies
each checksum: a dry run writes nothing, a second run copies nothing, a stopped
run resumes, and a different object already in the bucket is reported."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command

FILES = {
    "dossiers/1/components/aa": b"%PDF-1.7 component",
    "dossiers/1/documents/bb.pdf": b"%PDF-1.7 receipt",
    "personal/7/cc": b"%PDF-1.7 personal",
    "receipts/2025/03/dd.pdf": b"%PDF-1.7 e-receipt " * 1000,
}


@pytest.fixture
def disk(tmp_path) -> FileSystemStorage:
    storage = FileSystemStorage(location=tmp_path / "private-media")
    for name, data in FILES.items():
        storage.save(name, ContentFile(data))
    return storage


def _migrate(disk: FileSystemStorage, *extra: str) -> str:
    out = io.StringIO()
    call_command("storage_migrate", "--source", disk.location, *extra, stdout=out, stderr=out)
    return out.getvalue()


def _bucket(s3_endpoint, bucket: str) -> dict[str, str]:
    s3 = s3_endpoint.client()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {k: s3.head_object(Bucket=bucket, Key=k)["Metadata"]["sha256"] for k in keys}


def test_dry_run_then_copy_then_nothing_left(disk, s3_storage, s3_endpoint):
    output = _migrate(disk, "--dry-run")
    assert "[dry run] done: seen=4 copied=4" in output
    assert _bucket(s3_endpoint, s3_storage) == {}

    output = _migrate(disk)
    assert "done: seen=4 copied=4 already_there=0" in output and "mismatches=0" in output
    expected = {name: hashlib.sha256(data).hexdigest() for name, data in FILES.items()}
    assert _bucket(s3_endpoint, s3_storage) == expected
    for name, data in FILES.items():
        with default_storage.open(name, "rb") as handle:  # verified on read
            assert handle.read() == data

    assert "done: seen=4 copied=0 already_there=4" in _migrate(disk)


def test_a_stopped_run_resumes_where_it_was(disk, s3_storage, s3_endpoint):
    first = "dossiers/1/components/aa"
    default_storage.save(first, ContentFile(FILES[first]))  # copied before the stop
    assert "done: seen=4 copied=3 already_there=1" in _migrate(disk)
    assert len(_bucket(s3_endpoint, s3_storage)) == 4


def test_a_different_object_in_the_bucket_is_reported_not_overwritten(
    disk, s3_storage, s3_endpoint
):
    name = "personal/7/cc"
    default_storage.save(name, ContentFile(b"something else"))
    with pytest.raises(CommandError, match="mismatches=1"):
        _migrate(disk)
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"something else"
    assert len(_bucket(s3_endpoint, s3_storage)) == 4  # the other three were copied


def test_refuses_without_an_object_store(disk, settings):
    with pytest.raises(CommandError, match="TTHC_S3_BUCKET"):
        _migrate(disk)
