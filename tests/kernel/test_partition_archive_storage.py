"""Months past retention go to the object store (issue #17, item 4): the COPY
output gzip'd, its SHA-256 recorded and verified by reading the object back,
and the partition dropped only after that.

Each test runs in a transaction, so the partitions it creates or drops are
rolled back with it."""

from __future__ import annotations

import gzip
import hashlib
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

from tests.support.audit_rows import audit_event_insert
from tthc_portal.audit.models import AuditEvent
from tthc_portal.partitioning import (
    ArchiveError,
    _export,
    partitions_archive,
    partitions_ensure,
)

pytestmark = pytest.mark.postgres
OLD_MONTH = "audit_auditevent_2020_01"
NAME = f"partition-archive/{OLD_MONTH}.csv.gz"


def _exists(partition: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [partition])
        return cursor.fetchone()[0] is not None


@pytest.fixture
def old_and_recent() -> tuple[int, int]:
    partitions_ensure(today=date(2020, 1, 1), months_ahead=0)
    old = audit_event_insert("2020-01-15T08:00:00+07:00")
    recent = audit_event_insert("2026-11-15T08:00:00+07:00")
    with connection.cursor() as cursor:
        # The inserts' deferred foreign-key checks would block the DROP inside
        # this test's transaction; an archive run never sees fresh rows.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    return old, recent


def _archive(storage=None) -> list[str]:
    return partitions_archive(
        today=date(2026, 12, 1), retention_months={"audit_auditevent": 12}, storage=storage
    )


def _assert_archived(storage, names: list[str], old: int, recent: int) -> bytes:
    assert names == [NAME]
    with storage.open(NAME, "rb") as handle:
        data = handle.read()
    rows = gzip.decompress(data).decode().splitlines()
    assert rows[0].startswith("id,at,") and any(row.startswith(f"{old},") for row in rows[1:])
    with storage.open(f"{NAME}.sha256", "rb") as handle:
        recorded = handle.read().decode().split()
    assert recorded == [hashlib.sha256(data).hexdigest(), f"{OLD_MONTH}.csv.gz"]
    assert not _exists(OLD_MONTH)
    assert not AuditEvent.objects.filter(pk=old).exists()
    assert AuditEvent.objects.filter(pk=recent).exists()
    return data


def test_a_month_past_retention_is_stored_on_disk_verified_and_dropped(
    require_postgres, old_and_recent, tmp_path
) -> None:
    storage = FileSystemStorage(location=tmp_path)
    _assert_archived(storage, _archive(storage), *old_and_recent)
    assert (tmp_path / NAME).is_file()


def test_a_month_past_retention_goes_to_the_s3_bucket(
    require_postgres, old_and_recent, s3_storage, s3_endpoint
) -> None:
    data = _assert_archived(default_storage, _archive(), *old_and_recent)
    head = s3_endpoint.client().head_object(Bucket=s3_storage, Key=NAME)
    # The digest travels with the object: the store refuses a damaged read.
    assert head["Metadata"]["sha256"] == hashlib.sha256(data).hexdigest()


class _DamagingStorage(FileSystemStorage):
    """Stores faithfully, reads back one flipped byte (a damaged object)."""

    def _open(self, name, mode="rb"):
        handle = super()._open(name, mode)
        data = bytearray(handle.read())
        handle.close()
        data[len(data) // 2] ^= 0xFF
        return ContentFile(bytes(data), name=name)


def test_a_month_whose_object_fails_verification_stays_attached(
    require_postgres, old_and_recent, tmp_path
) -> None:
    old, _recent = old_and_recent
    with pytest.raises(ArchiveError, match=OLD_MONTH):
        _archive(_DamagingStorage(location=tmp_path))
    assert _exists(OLD_MONTH)
    assert AuditEvent.objects.filter(pk=old).exists()
    # The damaged upload is removed; no checksum claims it.
    assert not list(tmp_path.rglob("*.csv.gz*"))


def test_an_object_left_by_an_interrupted_run_is_reused_not_duplicated(
    require_postgres, old_and_recent, tmp_path
) -> None:
    """The export is byte-for-byte repeatable (no name or time in the gzip
    header): a run that stored the month and failed before the drop (a lock
    timeout on the detach) left the same object, which the next run recognises
    by its digest instead of storing a second copy under another name."""
    storage = FileSystemStorage(location=tmp_path)
    with connection.cursor() as cursor:
        assert _export(cursor, OLD_MONTH, storage) == NAME
    assert _exists(OLD_MONTH)

    _assert_archived(storage, _archive(storage), *old_and_recent)
    assert sorted(p.name for p in (tmp_path / "partition-archive").iterdir()) == [
        f"{OLD_MONTH}.csv.gz",
        f"{OLD_MONTH}.csv.gz.sha256",
    ]


def test_the_daily_job_archives_to_the_configured_storage(
    require_postgres, old_and_recent, settings, tmp_path
) -> None:
    from tthc_portal.web.tasks import partitions_maintain

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    settings.TTHC = {**settings.TTHC, "PARTITION_RETENTION_MONTHS": {"audit_auditevent": 12}}

    outcome = partitions_maintain.delay().get()

    assert NAME in outcome["archived"]
    _assert_archived(default_storage, [NAME], *old_and_recent)
