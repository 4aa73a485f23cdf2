"""With the object store configured, a citizen's upload goes through the real
upload view into the S3 bucket (private, with its SHA-256 recorded both ways)
and comes back byte for byte through the permission-checked download view."""

from __future__ import annotations

import hashlib
import urllib.parse
import urllib.request

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from dossiers.models import DossierComponent
from tests.dossiers.files import make_pdf
from tests.dossiers.test_online_submission import (
    CITIZEN,
    OTHER_CITIZEN,
    requirement_pks,
    start_draft,
    upload_file,
)
from tthc_portal.storage.s3 import PortalS3Storage

pytestmark = pytest.mark.django_db


def test_upload_lands_in_the_bucket_and_downloads_through_the_view(
    client, users, online_procedure, s3_storage, s3_endpoint
):
    content = make_pdf(pages=3)
    client.force_login(users[CITIZEN])
    dossier = start_draft(client, online_procedure)
    slot = requirement_pks(online_procedure)["Đơn đề nghị"]
    assert upload_file(client, dossier, slot, "don-de-nghi.pdf", content).status_code == 302

    component = DossierComponent.objects.get(dossier=dossier)
    assert isinstance(component.file.storage._wrapped, PortalS3Storage)
    s3 = s3_endpoint.client()
    head = s3.head_object(Bucket=s3_storage, Key=component.file.name, ChecksumMode="ENABLED")
    sha256 = hashlib.sha256(content).hexdigest()
    assert head["Metadata"]["sha256"] == sha256 == component.sha256
    assert "ChecksumSHA256" in head  # the server checked the upload itself
    # Private: only the owner's grant, nothing for AllUsers / AuthenticatedUsers.
    grants = s3.get_object_acl(Bucket=s3_storage, Key=component.file.name)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)

    url = reverse("dossiers:component_download", args=[dossier.pk, component.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Cache-Control"] == "private, no-store"

    # Another citizen gets the same 404 as for a file that does not exist.
    client.force_login(users[OTHER_CITIZEN])
    assert client.get(url).status_code == 404


def test_signed_urls_are_short_lived(s3_storage):
    name = default_storage.save("probe/signed.txt", _content(b"hello"))
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(default_storage.url(name)).query)
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
    with urllib.request.urlopen(default_storage.url(name), timeout=5) as reply:  # noqa: S310 - the test's own server
        assert reply.read() == b"hello"


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)
