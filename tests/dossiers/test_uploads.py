"""Uploads through the page (the issue's "done" criteria): every bad file is
refused with its own Vietnamese message on the page and leaves nothing stored;
good files are stored privately under a random name with their hash."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from dossiers.models import Dossier, DossierComponent, Status
from tests.dossiers.files import EXE, make_pdf, make_png, upload
from tests.dossiers.test_online_submission import (  # noqa: F401 - fixtures
    CITIZEN,
    form_data,
    media_files,
    province,
    seeded_province,
)

BOUNDARY = "----tthc-upload-test"


@pytest.fixture
def draft(client: Client, users, online_procedure) -> Dossier:
    client.force_login(users[CITIZEN])
    response = client.post(reverse("dossiers:submit_start", args=[online_procedure.pk]))
    assert response.status_code == 302
    dossier = Dossier.objects.get(applicant=users[CITIZEN])
    # Data saved before the uploads must survive a rejected file.
    client.post(
        reverse("dossiers:draft", args=[dossier.pk]), form_data(applicant_phone="0987654321")
    )
    return dossier


@pytest.fixture
def slot(online_procedure) -> int:
    return online_procedure.current_version.components.get(name="Đơn đề nghị").pk


def url(dossier: Dossier, requirement_pk: int) -> str:
    return reverse("dossiers:upload", args=[dossier.pk, requirement_pk])


def post_file(
    client: Client,
    dossier: Dossier,
    requirement_pk: int,
    name: str,
    content: bytes,
    *,
    htmx: bool = False,
):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        url(dossier, requirement_pk), {"file": upload(name, content)}, headers=headers
    )


def post_raw(
    client: Client, dossier: Dossier, requirement_pk: int, disposition: str, content: bytes
):
    """A hand-made multipart body: the test client (like a browser) would strip
    the directories from the name, an attacker's script does not."""
    body = (
        (
            f"--{BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="file"; {disposition}\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )
    return client.post(
        url(dossier, requirement_pk), body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )


def corrupted_pdf() -> bytes:
    good = make_pdf()
    return b"%PDF-1.7\n" + bytes(range(256)) * 4 + good[len(good) // 3 : len(good) // 2]


REJECTIONS = [
    pytest.param("don.pdf", b"", "rỗng (0 byte)", id="empty"),
    pytest.param("don.pdf", EXE, "không phải định dạng được chấp nhận", id="renamed-exe"),
    pytest.param("don.pdf", corrupted_pdf(), "bị hỏng hoặc không mở được", id="corrupted-pdf"),
    pytest.param("anh.pdf", make_png(), "không khớp với nội dung", id="png-named-pdf"),
    pytest.param(
        "..\\..\\x.pdf", make_pdf(), "không được chứa đường dẫn thư mục", id="windows-traversal"
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), REJECTIONS)
def test_a_bad_file_is_refused_on_the_page_and_nothing_is_stored(
    client, draft, slot, name, content, message
):
    before = media_files()

    response = post_file(client, draft, slot, name, content)

    assert response.status_code == 400
    text = response.content.decode()
    assert message in text
    assert 'data-testid="slot-error"' in text  # shown in the slot it concerns
    assert 'value="0987654321"' in text  # the saved form data is still there
    assert not DossierComponent.objects.filter(dossier=draft).exists()
    assert media_files() == before


@pytest.mark.parametrize(
    "disposition",
    [
        'filename="../../etc/passwd.pdf"',
        "filename*=UTF-8''..%2F..%2Fx.pdf",  # RFC 2231 encoding, decoded by the parser
        'filename="a/&#46;&#46;/b.pdf"',  # HTML entities, unescaped by the parser
    ],
)
def test_a_name_with_a_directory_is_refused_even_from_a_crafted_request(
    client, draft, slot, disposition
):
    before = media_files()

    response = post_raw(client, draft, slot, disposition, make_pdf())

    assert response.status_code == 400
    assert "không được chứa đường dẫn thư mục" in response.content.decode()
    assert not DossierComponent.objects.filter(dossier=draft).exists()
    assert media_files() == before


def test_an_oversize_file_is_refused_with_the_limit_in_the_message(client, draft, slot):
    before = media_files()
    content = make_pdf(pages=30)
    assert len(content) > 2048
    with override_settings(TTHC={**settings.TTHC, "MAX_UPLOAD_BYTES": 2048}):
        form_page = client.get(reverse("dossiers:draft", args=[draft.pk])).content.decode()
        response = post_file(client, draft, slot, "don.pdf", content)

    assert "tối đa 2,0\xa0KB" in form_page or "tối đa 2,0 KB" in form_page
    assert response.status_code == 400
    assert "vượt quá mức cho phép" in response.content.decode()
    assert not DossierComponent.objects.filter(dossier=draft).exists()
    assert media_files() == before


def test_with_htmx_the_refusal_replaces_only_the_slot(client, draft, slot):
    before = media_files()

    response = post_file(client, draft, slot, "don.pdf", EXE, htmx=True)

    assert response.status_code == 200  # htmx swaps 2xx only
    text = response.content.decode()
    assert "<html" not in text and text.lstrip().startswith(
        f'<section class="card slot" id="slot-{slot}"'
    )
    assert "không phải định dạng được chấp nhận" in text
    assert media_files() == before


def test_posting_without_a_file_asks_for_one(client, draft, slot):
    response = client.post(url(draft, slot), {})

    assert response.status_code == 400
    assert "Vui lòng chọn tệp cần tải lên." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "pages"),
    [
        pytest.param("Đơn đề nghị (bản ký).pdf", make_pdf(pages=3), "application/pdf", 3, id="pdf"),
        pytest.param("anh-chan-dung.png", make_png(), "image/png", None, id="png"),
    ],
)
def test_a_good_file_is_stored_privately_under_a_random_name(
    client, draft, slot, name, content, content_type, pages
):
    before = media_files()

    response = post_file(client, draft, slot, name, content)

    assert response.status_code == 302
    component = DossierComponent.objects.get(dossier=draft)
    assert component.original_filename == name
    assert component.content_type == content_type
    assert component.size == len(content)
    assert component.sha256 == hashlib.sha256(content).hexdigest()
    assert component.page_count == pages
    assert re.fullmatch(rf"dossiers/{draft.pk}/components/[0-9a-f]{{32}}", component.file.name)
    added = media_files() - before
    assert len(added) == 1
    stored = added.pop()
    assert stored.read_bytes() == content
    assert Path(settings.STORAGES["default"]["OPTIONS"]["location"]) in stored.parents
    assert Path(settings.STATIC_ROOT) not in stored.parents
    assert name not in str(stored)
    # The applicant downloads it back under its (sanitised) original name.
    download = client.get(reverse("dossiers:component_download", args=[draft.pk, component.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Type"] == content_type


def test_removing_a_file_deletes_it_and_the_draft_stays_editable(
    client, draft, slot, django_capture_on_commit_callbacks
):
    post_file(client, draft, slot, "don.pdf", make_pdf())
    component = DossierComponent.objects.get(dossier=draft)
    stored = Path(component.file.path)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("dossiers:component_remove", args=[draft.pk, component.pk]),
            headers={"HX-Request": "true"},
        )

    assert response.status_code == 200
    assert "Đã xóa tệp “don.pdf”." in response.content.decode()
    assert not DossierComponent.objects.filter(pk=component.pk).exists()
    assert not stored.exists()
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_upload_still_requires_the_csrf_token(users, draft, slot):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users[CITIZEN])
    before = media_files()

    forged = browser.post(url(draft, slot), {"file": upload("don.pdf", make_pdf())})

    assert forged.status_code == 403
    assert not DossierComponent.objects.filter(dossier=draft).exists()
    assert media_files() == before
    form_page = browser.get(reverse("dossiers:draft", args=[draft.pk]))
    token = form_page.cookies["csrftoken"].value
    accepted = browser.post(
        url(draft, slot),
        {"file": upload("don.pdf", make_pdf()), "csrfmiddlewaretoken": token},
    )
    assert accepted.status_code == 302
    assert DossierComponent.objects.filter(dossier=draft).count() == 1
