"""An object whose bytes changed after upload is refused on read, with a clear
error in the log, and never reaches the citizen through the download view."""

from __future__ import annotations

import hashlib
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from dossiers.models import DossierComponent
from tests.dossiers.files import make_pdf
from tests.dossiers.test_online_submission import CITIZEN, requirement_pks, start_draft, upload_file
from tthc_portal.storage.s3 import ChecksumMismatch

pytestmark = pytest.mark.django_db


def _corrupt(s3_endpoint, bucket: str, key: str) -> None:
    """Rewrite the object's bytes but keep the digest recorded at upload (bit rot)."""
    s3 = s3_endpoint.client()
    head = s3.head_object(Bucket=bucket, Key=key)
    body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    damaged = bytes([body[0] ^ 0xFF]) + body[1:]
    s3.put_object(Bucket=bucket, Key=key, Body=damaged, Metadata=head["Metadata"])


def test_a_changed_object_is_refused_and_logged(s3_storage, s3_endpoint, caplog):
    name = default_storage.save("probe/result.pdf", ContentFile(b"%PDF-1.7 original"))
    with default_storage.open(name, "rb") as handle:
        assert handle.read() == b"%PDF-1.7 original"
    _corrupt(s3_endpoint, s3_storage, name)

    with (
        caplog.at_level(logging.ERROR, logger="tthc_portal.storage"),
        pytest.raises(ChecksumMismatch) as refused,
    ):
        default_storage.open(name, "rb")
    expected = hashlib.sha256(b"%PDF-1.7 original").hexdigest()
    assert refused.value.expected == expected and refused.value.actual != expected
    assert "corrupted" in str(refused.value) and name in str(refused.value)
    (record,) = caplog.records
    assert record.getMessage().startswith(f"storage.checksum_mismatch object={name} ")
    assert record.object == name and record.expected == expected


def test_the_download_view_never_streams_a_corrupted_component(
    client, users, online_procedure, s3_storage, s3_endpoint
):
    client.force_login(users[CITIZEN])
    dossier = start_draft(client, online_procedure)
    slot = requirement_pks(online_procedure)["Đơn đề nghị"]
    upload_file(client, dossier, slot, "don.pdf", make_pdf())
    component = DossierComponent.objects.get(dossier=dossier)
    _corrupt(s3_endpoint, s3_storage, component.file.name)

    # Raised while opening, before any status line or byte is sent.
    with pytest.raises(ChecksumMismatch):
        client.get(reverse("dossiers:component_download", args=[dossier.pk, component.pk]))
