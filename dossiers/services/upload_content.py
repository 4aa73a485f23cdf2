"""What is inside an upload: active PDF content, polyglots, image decoding.

Staff open citizens' PDFs in desktop readers that run JavaScript, start
programs and follow links to network shares, and browsers sniff content: a
file is accepted only if it is *just* a document or *just* a picture.
Checks run on bytes already read and type-detected by ``check_upload``.
"""

from __future__ import annotations

import io
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from . import DossierError


class UploadRejected(DossierError):
    pass


# The PDF specification lets "%PDF-" start anywhere in the first 1024 bytes;
# anything beyond that is another file the PDF is hiding behind.
PDF_HEADER_WINDOW = 1024
# Browsers sniff a file's start and HTML parsers read its end: markup in
# either is a page a browser could run, whatever the file claims to be.
MARKUP_WINDOW = 8 * 1024
_MARKUP = re.compile(rb"<(?:!doctype\s+html|html|script|svg|iframe|body|object|embed)", re.I)

# 40 megapixels is well above a phone's default photo (12-24 MP) or an A4
# page scanned at 600 dpi (35 MP), and bounds the memory one decode takes
# (about 160 MB as RGBA). Overridable as settings.TTHC["MAX_IMAGE_PIXELS"].
MAX_IMAGE_PIXELS = 40_000_000
_PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}

# PDF names that make a reader run code, start or open other files, or carry
# files and active forms; refused wherever they appear, as key or as value.
_ACTIVE_NAMES = frozenset(
    {
        "JavaScript",
        "Launch",
        "EmbeddedFile",
        "EmbeddedFiles",
        "FileAttachment",
        "RichMedia",
        "RichMediaExecute",
        "XFA",
        "GoToE",  # go to an embedded file
        "GoToR",  # open another file: a UNC path leaks the Windows login
        "ImportData",
        "SubmitForm",
        "Rendition",  # may carry its own /JS
    }
)
_WEB_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_URI_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# A name token: "/" then regular characters (PDF 32000-1, 7.2.2 and 7.3.5).
_RAW_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /\[\]()<>{}%]+)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# /JS is short enough to occur by chance in compressed data: only count it
# when followed by a script (string, hex string or reference), as in an action.
_RAW_JS_VALUE = re.compile(rb"[\x00\t\n\x0c\r ]*(?:\((?!\))|<[0-9A-Fa-f\s]|\d+\s+\d+\s+R)")


def _rejected_active(display: str) -> UploadRejected:
    return UploadRejected(
        _(
            "Tệp “%(name)s” chứa mã lệnh hoặc tệp đính kèm ẩn (JavaScript, lệnh khởi chạy); "
            "vui lòng in ra PDF thường rồi tải lại."
        )
        % {"name": display}
    )


def _rejected_damaged_pdf(display: str) -> UploadRejected:
    return UploadRejected(
        _("Tệp PDF “%(name)s” bị hỏng hoặc không mở được. Vui lòng quét hoặc xuất lại tệp.")
        % {"name": display}
    )


def polyglot_check(content: bytes, detected: str, display: str) -> None:
    """Refuse a document or picture that is also a web page or a PDF."""
    head, tail = content[:MARKUP_WINDOW], content[-MARKUP_WINDOW:]
    pdf_at = content.find(b"%PDF-", 0, PDF_HEADER_WINDOW + 5)
    # A PDF must start within the window; a picture must not hold a PDF a
    # reader would open as a document.
    other = pdf_at == -1 if detected == "application/pdf" else pdf_at != -1
    if other or _MARKUP.search(head) or _MARKUP.search(tail):
        raise UploadRejected(
            _(
                "Tệp “%(name)s” có chứa nội dung khác ngoài tài liệu (mã trang web hoặc một "
                "tệp khác ghép vào); vui lòng xuất hoặc chụp lại tệp rồi tải lại."
            )
            % {"name": display}
        )


def _raw_active_names(data: bytes) -> bool:
    """Look for active names in the bytes themselves, so that an object the
    parser never reaches (orphaned, in an old revision, in a damaged part a
    reader would repair) is seen too. Names escaped as #xx are decoded."""
    for match in _RAW_NAME.finditer(data):
        name = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), match[1])
        if name.decode("latin-1") in _ACTIVE_NAMES:
            return True
        if name == b"JS" and _RAW_JS_VALUE.match(data, match.end()):
            return True
    return False


def _pdf_objects(reader: Any) -> Iterator[Any]:
    """Every dictionary and stream in the file: reachable from the trailer
    (catalogue, name trees, pages, annotations and their actions) or listed
    in the cross-reference table, including objects in object streams."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack: list[Any] = [reader.trailer]
    for generation, numbers in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in numbers)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen: set[tuple[int, int]] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams included
            yield item
            stack.extend(item.values())  # unresolved: references are followed once
        elif isinstance(item, ArrayObject):
            stack.extend(item)


def _foreign_uri(uri: Any) -> bool:
    """A link to anything but the web, mail or phone: file:, javascript:, or a
    network share (\\\\host\\x), which makes Windows send the staff login."""
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    target = str(uri or "").strip().lower()
    if target.startswith(("\\\\", "//")):
        return True
    scheme = _URI_SCHEME.match(target)
    return bool(scheme) and scheme[1] not in _WEB_SCHEMES


def _active_dictionary(obj: Any) -> bool:
    from pypdf.generic import ByteStringObject, NameObject, StreamObject, TextStringObject

    for key, value in obj.items():
        if key[1:] in _ACTIVE_NAMES:
            return True
        if isinstance(value, NameObject) and value[1:] in _ACTIVE_NAMES:
            return True
        if key == "/EF":  # a file specification with the file inside
            return True
        if key == "/JS" and isinstance(
            obj[key], StreamObject | TextStringObject | ByteStringObject
        ):
            return True
    if obj.get("/S") == "/URI" and _foreign_uri(obj.get("/URI")):
        return True
    if obj.get("/Type") == "/ObjStm":
        # Objects packed here but left out of the table are invisible to the
        # walk; a repairing reader may still find them.
        return _raw_active_names(obj.get_data())
    return False


def pdf_check(content: bytes, display: str) -> int:
    """Open the PDF, refuse active content, return its page count."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if _raw_active_names(content):
        raise _rejected_active(display)
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            # Encrypted strings and streams cannot be inspected.
            raise UploadRejected(
                _("Tệp PDF “%(name)s” đang được đặt mật khẩu; vui lòng gỡ mật khẩu rồi tải lại.")
                % {"name": display}
            )
        pages = len(reader.pages)
        if pages == 0:
            raise PdfReadError("no pages")
        reader.pages[0].extract_text()
        active = any(_active_dictionary(obj) for obj in _pdf_objects(reader))
    except UploadRejected:
        raise
    except Exception:  # pypdf raises many kinds on damaged files
        raise _rejected_damaged_pdf(display) from None
    if active:
        raise _rejected_active(display)
    return pages


def _max_pixels() -> int:
    return int(settings.TTHC.get("MAX_IMAGE_PIXELS", MAX_IMAGE_PIXELS))


_PILLOW_STRICT = threading.Lock()


@contextmanager
def _strict_pillow() -> Iterator[None]:
    """Make Pillow fail on damaged data for the duration of one check.

    WeasyPrint sets ``ImageFile.LOAD_TRUNCATED_IMAGES = True`` for the whole
    process when imported (the portal renders its PDFs with it); Pillow then
    fills truncated or undecodable data with grey and raises nothing. Both
    that flag and the warnings filter are process-wide, hence the lock; a
    render running meanwhile only loads the portal's own images.
    """
    from PIL import Image, ImageFile

    with _PILLOW_STRICT, warnings.catch_warnings():
        # Pillow only warns between its own cap and twice that: refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        tolerant = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant


def image_check(content: bytes, detected: str, display: str) -> None:
    """Decode the whole picture under a pixel cap: a header is not a picture."""
    from PIL import Image

    limit = _max_pixels()
    formats = [_PIL_FORMATS[detected]]
    too_large = UploadRejected(
        _(
            "Ảnh “%(name)s” có độ phân giải quá lớn (tối đa %(limit)s triệu điểm ảnh); "
            "vui lòng giảm kích thước ảnh rồi tải lại."
        )
        % {"name": display, "limit": f"{limit / 1_000_000:g}"}
    )
    try:
        with _strict_pillow():
            with Image.open(io.BytesIO(content), formats=formats) as image:
                width, height = image.size  # from the header; nothing decoded yet
                if width * height > limit:
                    raise too_large
                image.verify()  # structure and checksums
            with Image.open(io.BytesIO(content), formats=formats) as image:
                image.load()  # every pixel: garbage or truncated data fails here
    except UploadRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except Exception:
        raise UploadRejected(
            _("Ảnh “%(name)s” bị hỏng hoặc không mở được.") % {"name": display}
        ) from None
