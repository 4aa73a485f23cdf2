"""Issue 18, item 6: active or malformed upload content is refused.

Staff open citizens' PDFs in desktop readers that run JavaScript: a PDF that
runs code, starts a program or carries files is refused, as is a file that
is also a web page (or a picture that is also a PDF), and an image that does
not decode in full under the pixel cap. Ordinary documents still pass.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from dossiers.models import DossierComponent
from dossiers.services.uploads import UploadRejected, check_upload
from tests.dossiers import attack_files as attack
from tests.dossiers.files import make_pdf, make_png, upload
from tests.dossiers.test_online_submission import (  # noqa: F401 - fixtures
    media_files,
    province,
    seeded_province,
)
from tests.dossiers.test_uploads import draft, post_file, slot  # noqa: F401 - fixtures

ACTIVE = "chứa mã lệnh hoặc tệp đính kèm ẩn"
POLYGLOT = "có chứa nội dung khác ngoài tài liệu"
TOO_LARGE = "có độ phân giải quá lớn"
DAMAGED = "bị hỏng hoặc không mở được"

REFUSED = [
    # PDFs that act when opened or clicked
    pytest.param("don.pdf", attack.pdf_open_action_js, ACTIVE, id="open-action-javascript"),
    pytest.param("don.pdf", attack.pdf_named_js, ACTIVE, id="names-tree-javascript"),
    pytest.param("don.pdf", attack.pdf_page_aa_launch, ACTIVE, id="page-aa-launch"),
    pytest.param("don.pdf", attack.pdf_link_launch, ACTIVE, id="link-launch-unc"),
    pytest.param("don.pdf", attack.pdf_embedded_file, ACTIVE, id="embedded-file"),
    pytest.param("don.pdf", attack.pdf_xfa_form, ACTIVE, id="xfa-form"),
    pytest.param("don.pdf", attack.pdf_rich_media, ACTIVE, id="rich-media"),
    pytest.param("don.pdf", attack.pdf_hex_escaped_js, ACTIVE, id="hex-escaped-names"),
    pytest.param("don.pdf", attack.pdf_js_in_object_stream, ACTIVE, id="js-in-object-stream"),
    pytest.param("don.pdf", attack.pdf_orphan_js, ACTIVE, id="orphan-js-object"),
    pytest.param(
        "don.pdf",
        lambda: attack.pdf_link_uri("file://attacker/share/x.pdf"),
        ACTIVE,
        id="link-to-file-uri",
    ),
    pytest.param(
        "don.pdf",
        lambda: attack.pdf_link_uri("\\\\attacker\\share\\x.pdf"),
        ACTIVE,
        id="link-to-network-share",
    ),
    pytest.param(
        "don.pdf",
        lambda: attack.pdf_link_uri("javascript:app.alert(1)"),
        ACTIVE,
        id="link-javascript-uri",
    ),
    # Polyglots
    pytest.param("don.pdf", attack.pdf_then_html, POLYGLOT, id="pdf-then-html"),
    pytest.param("don.pdf", attack.pdf_html_in_header_comment, POLYGLOT, id="pdf-html-comment"),
    pytest.param("anh.png", attack.png_with_svg_chunk, POLYGLOT, id="png-svg-chunk"),
    pytest.param("anh.jpg", attack.jpeg_with_script_comment, POLYGLOT, id="jpeg-iframe-comment"),
    pytest.param("anh.jpg", attack.jpeg_pdf_polyglot, POLYGLOT, id="jpeg-pdf-polyglot"),
    # Images that are not what their header says
    pytest.param("anh.png", attack.png_huge_garbage, TOO_LARGE, id="png-12000x12000-garbage"),
    pytest.param("anh.png", attack.png_bomb, TOO_LARGE, id="png-decompression-bomb"),
    pytest.param("anh.jpg", attack.jpeg_claiming_huge, TOO_LARGE, id="jpeg-30000x30000"),
    pytest.param("anh.png", attack.png_small_garbage, DAMAGED, id="png-garbage-data"),
    pytest.param("anh.jpg", attack.jpeg_truncated, DAMAGED, id="jpeg-truncated"),
    # Still refused, as before
    pytest.param("don.pdf", attack.pdf_broken_tail, DAMAGED, id="pdf-truncated"),
    pytest.param("don.pdf", attack.pdf_encrypted_with_js, ACTIVE, id="pdf-encrypted-js"),
    pytest.param(
        "don.pdf", attack.pdf_after_long_prefix, "không phải định dạng", id="pdf-long-prefix"
    ),
]


@pytest.mark.parametrize(("name", "build", "message"), REFUSED)
def test_an_attack_file_is_refused_with_a_message_naming_it(name, build, message):
    with pytest.raises(UploadRejected) as refused:  # a refusal, never a server error
        check_upload(upload(name, build()))

    text = str(refused.value)
    assert message in text
    assert f"“{name}”" in text


def test_the_active_content_message_tells_the_citizen_what_to_do():
    with pytest.raises(UploadRejected) as refused:
        check_upload(upload("to-khai.pdf", attack.pdf_open_action_js()))

    assert str(refused.value) == (
        "Tệp “to-khai.pdf” chứa mã lệnh hoặc tệp đính kèm ẩn (JavaScript, lệnh khởi chạy); "
        "vui lòng in ra PDF thường rồi tải lại."
    )


ACCEPTED = [
    pytest.param("don.pdf", make_pdf, id="plain-pdf"),
    pytest.param("don.pdf", lambda: make_pdf(pages=3), id="three-pages"),
    pytest.param("don.pdf", attack.pdf_link_uri, id="pdf-with-web-link"),
    pytest.param("don.pdf", lambda: attack.pdf_link_uri("mailto:a@b.vn"), id="pdf-mail-link"),
    pytest.param("don.pdf", attack.pdf_open_action_goto, id="open-on-page-one"),
    pytest.param("anh.png", make_png, id="png"),
    pytest.param("anh.jpg", attack.make_jpeg, id="jpeg"),
    pytest.param("anh.jpg", lambda: attack.make_jpeg(4000, 3000), id="12-megapixel-photo"),
]


@pytest.mark.parametrize(("name", "build"), ACCEPTED)
def test_an_ordinary_file_is_still_accepted(name, build):
    content = build()

    checked = check_upload(upload(name, content))

    assert checked.content == content
    assert checked.filename == name


def test_the_parser_finds_javascript_the_byte_scan_cannot_see():
    """The object-stream case is refused by walking the parsed objects: none
    of its active names is present in the raw bytes."""
    content = attack.pdf_js_in_object_stream()
    assert b"JavaScript" not in content and b"/JS" not in content
    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/OpenAction"]["/S"] == "/JavaScript"  # it is really there


def test_the_byte_scan_finds_javascript_the_parser_never_reaches():
    """The orphan object is refused by the raw scan: the parser, following
    the cross-reference table, does not know it exists."""
    reader = PdfReader(io.BytesIO(attack.pdf_orphan_js()))
    listed = {number for numbers in reader.xref.values() for number in numbers}
    assert 99 not in listed
    assert len(reader.pages) == 1


@pytest.mark.parametrize(
    ("name", "build"),
    [
        pytest.param("anh.png", attack.png_small_garbage, id="png-garbage-data"),
        pytest.param("anh.jpg", attack.jpeg_truncated, id="jpeg-truncated"),
    ],
)
def test_damaged_images_are_refused_even_after_weasyprint_relaxed_pillow(name, build):
    """Importing WeasyPrint (the portal's PDF renderer) sets Pillow's
    process-wide LOAD_TRUNCATED_IMAGES, which makes damaged data decode as
    grey. The check must not depend on whether a render ran before it."""
    import weasyprint  # noqa: F401 - imported for its side effect on Pillow
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True

    with pytest.raises(UploadRejected) as refused:
        check_upload(upload(name, build()))

    assert DAMAGED in str(refused.value)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is given back


def test_the_pixel_cap_is_a_setting():
    tthc = {**settings.TTHC, "MAX_IMAGE_PIXELS": 500}  # 40×20 = 800 pixels
    with override_settings(TTHC=tthc), pytest.raises(UploadRejected) as refused:
        check_upload(upload("anh.png", make_png()))

    assert TOO_LARGE in str(refused.value)


def test_pillows_bomb_warning_is_a_refusal_even_above_our_cap():
    """With the cap raised past Pillow's own limit, Pillow's warning (not an
    exception by default) must still refuse the file, not decode 144 MP."""
    tthc = {**settings.TTHC, "MAX_IMAGE_PIXELS": 500_000_000}
    with override_settings(TTHC=tthc), pytest.raises(UploadRejected) as refused:
        check_upload(upload("anh.png", attack.png_huge_garbage()))

    assert TOO_LARGE in str(refused.value)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        pytest.param("don.pdf", attack.pdf_open_action_js, ACTIVE, id="pdf-javascript"),
        pytest.param("don.pdf", attack.pdf_then_html, POLYGLOT, id="pdf-html-polyglot"),
        pytest.param("anh.png", attack.png_huge_garbage, TOO_LARGE, id="png-12000x12000"),
    ],
)
def test_the_issue_cases_are_refused_on_the_page_and_nothing_is_stored(
    client,
    draft,  # noqa: F811 - fixture
    slot,  # noqa: F811 - fixture
    name,
    build,
    message,
):
    before = media_files()

    response = post_file(client, draft, slot, name, build())

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DossierComponent.objects.filter(dossier=draft).exists()
    assert media_files() == before
