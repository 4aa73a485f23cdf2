"""Server-side checks on every uploaded file, before anything is stored.

Each rejection carries a Vietnamese message naming what was wrong. Files
are stored under a random name in private storage, outside the web root.
What is inside a file (active PDF content, polyglots, image decoding) is
checked in ``upload_content``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

import magic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .upload_content import UploadRejected, image_check, pdf_check, polyglot_check

__all__ = ["ALLOWED_TYPES", "CheckedUpload", "UploadRejected", "check_upload", "safe_filename"]

# Detected MIME type → extensions a file of that type may carry.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
}
_UNSAFE = re.compile(r"[^\w.\- ()]+", re.UNICODE)


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    filename: str
    content_type: str
    size: int
    sha256: str
    page_count: int | None


def safe_filename(name: str) -> str:
    """Keep only the last path component and harmless characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = PureWindowsPath(PurePosixPath(name).name).name  # drops "../", "C:\\…\\"
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name).strip(" .")
    if not name:
        name = "tep"
    stem, dot, ext = name.rpartition(".")
    if dot and len(name) > 120:
        name = f"{stem[:110]}.{ext[:10]}"
    return name[:120]


def _max_bytes() -> int:
    return int(settings.TTHC.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def check_upload(upload: UploadedFile) -> CheckedUpload:
    original = upload.name or ""
    display = safe_filename(original)
    limit = _max_bytes()
    if upload.size is not None and upload.size > limit:
        raise UploadRejected(
            _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá mức cho phép %(limit)s.")
            % {"name": display, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRejected(
            _("Tệp “%(name)s” vượt quá dung lượng cho phép %(limit)s.")
            % {"name": display, "limit": filesizeformat(limit)}
        )
    if not content:
        raise UploadRejected(_("Tệp “%(name)s” rỗng (0 byte).") % {"name": display})
    if "/" in original or "\\" in original or "\x00" in original:
        # Browsers send a bare file name: one carrying a path is an attack.
        raise UploadRejected(
            _("Tên tệp “%(name)s” không hợp lệ: tên tệp không được chứa đường dẫn thư mục.")
            % {"name": original[:80]}
        )
    detected = magic.from_buffer(content[:4096], mime=True)
    extensions = ALLOWED_TYPES.get(detected)
    if extensions is None:
        raise UploadRejected(
            _(
                "Tệp “%(name)s” không phải định dạng được chấp nhận (PDF, JPG, PNG); "
                "nội dung tệp được nhận diện là “%(type)s”."
            )
            % {"name": display, "type": detected}
        )
    if not display.lower().endswith(extensions):
        raise UploadRejected(
            _(
                "Phần mở rộng của tệp “%(name)s” không khớp với nội dung (%(type)s). "
                "Vui lòng đặt đúng đuôi tệp, ví dụ %(ext)s."
            )
            % {"name": display, "type": detected, "ext": extensions[0]}
        )
    polyglot_check(content, detected, display)
    page_count = pdf_check(content, display) if detected == "application/pdf" else None
    if detected.startswith("image/"):
        image_check(content, detected, display)
    return CheckedUpload(
        content=content,
        filename=display,
        content_type=detected,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        page_count=page_count,
    )
