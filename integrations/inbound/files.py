"""Files of an inbound message: fetched (``DuongDanTaiTepTin``) or decoded (``Base64``),
then checked exactly like an upload (``dossiers.services.uploads.check_upload``).

A bad file is refused with its reason and the rest of the message goes on. A file the
hub could not serve *now* (timeout, refused connection, 5xx) defers the whole message:
nothing is kept or acknowledged, and the hub offers it again."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.services.uploads import CheckedUpload, UploadRejected, check_upload, safe_filename

from ..models import ReplyClass, SyncAttempt

if TYPE_CHECKING:  # envelope keeps messages through this module's payload_without_files
    from .envelope import Inbound

RETRY_LATER_HTTP = {408, 425, 429}
CHUNK = 64 * 1024
STORE_DIR = "inbound"


class FileDeferred(Exception):
    """A download failed for a reason that may pass; the message waits for the hub."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class InboundFile:
    index: int  # position in TaiLieuNop
    name: str
    component_code: str
    content: bytes | None = None
    checked: CheckedUpload | None = None
    reason: str = ""
    # DuocLayTuKhoDMQG "1": the national portal took it from the citizen's data store.
    from_store: bool = False

    @property
    def ok(self) -> bool:
        return self.checked is not None

    def problem(self) -> dict[str, str]:
        return {"file": self.name, "reason": self.reason}


def _limit() -> int:
    return int(settings.TTHC.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def file_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = data.get("TaiLieuNop")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def base64_decode(text: Any) -> bytes | None:
    """Bytes of a Base64 value (a ``data:…;base64,`` prefix and line breaks allowed)."""
    text = str(text or "")
    if text.startswith("data:") and "," in text[:200]:
        text = text.split(",", 1)[1]
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


class _Refused(Exception):
    pass


def _fetch(msg: Inbound, url: str, display: str) -> tuple[bytes, int]:
    """(content, size): at most limit + 1 bytes are read; ``size`` is the real or
    announced size so that the upload check can name it."""
    parts = urlsplit(url)
    hosts = (msg.target.options or {}).get("inbound_file_hosts") or []
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Refused(_("Đường dẫn tải tệp “%(name)s” không hợp lệ.") % {"name": display})
    if hosts and parts.hostname not in hosts:
        raise _Refused(
            _("Tệp “%(name)s” nằm ở máy chủ không được phép (%(host)s).")
            % {"name": display, "host": parts.hostname}
        )
    limit, target = _limit(), msg.target
    started = time.monotonic()
    status, reply_class, note = None, ReplyClass.OK, ""
    try:
        with requests.get(
            url, timeout=(target.connect_timeout, target.read_timeout), stream=True
        ) as response:
            status = response.status_code
            if status >= 500 or status in RETRY_LATER_HTTP:
                reply_class = ReplyClass.SERVER
                raise FileDeferred(
                    _("Chưa tải được tệp “%(name)s” (HTTP %(status)s); sẽ thử lại.")
                    % {"name": display, "status": status}
                )
            if status != 200:
                reply_class = ReplyClass.VALIDATION
                raise _Refused(
                    _("Không tải được tệp “%(name)s”: máy chủ trả về HTTP %(status)s.")
                    % {"name": display, "status": status}
                )
            announced = int(response.headers.get("Content-Length") or 0)
            if announced > limit:
                note = f"{announced} bytes announced"
                return b"", announced
            buffer = bytearray()
            for chunk in response.iter_content(CHUNK):
                buffer += chunk
                if len(buffer) > limit:
                    break
                if time.monotonic() - started > target.read_timeout:
                    raise requests.Timeout("whole download")
            note = f"{len(buffer)} bytes"
            return bytes(buffer), len(buffer)
    except requests.Timeout:
        reply_class = ReplyClass.TIMEOUT
        raise FileDeferred(
            _("Quá thời gian chờ khi tải tệp “%(name)s”; sẽ thử lại.") % {"name": display}
        ) from None
    except requests.ConnectionError:
        reply_class = ReplyClass.DOWN
        raise FileDeferred(
            _("Không kết nối được máy chủ tệp “%(name)s”; sẽ thử lại.") % {"name": display}
        ) from None
    except requests.RequestException as exc:
        reply_class = ReplyClass.VALIDATION
        raise _Refused(
            _("Không tải được tệp “%(name)s” (%(error)s).")
            % {"name": display, "error": type(exc).__name__}
        ) from None
    finally:
        msg.attempts.append(
            SyncAttempt(
                target=target, operation="inbound_file", url=url[:300], status_code=status,
                response_body=note, reply_class=reply_class,
                latency_ms=(time.monotonic() - started) * 1000, at=timezone.now(),
            )
        )  # fmt: skip


def _read_stored(path: str) -> tuple[bytes, int]:
    limit = _limit()
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read(limit + 1)
    except OSError:
        raise _Refused(_("Tệp lưu tạm “%(path)s” không còn.") % {"path": path}) from None
    return content, len(content)


def _bytes_of(msg: Inbound, item: dict[str, Any], display: str) -> tuple[bytes, int]:
    if item.get("stored"):
        return _read_stored(str(item["stored"]))
    if item.get("Base64"):
        raw = str(item["Base64"])
        if len(raw) > (_limit() + 3) * 4 // 3 + 1024:
            return b"", len(raw) * 3 // 4  # too big: refused by its size, not decoded
        content = base64_decode(raw)
        if content is None:
            raise _Refused(
                _("Nội dung Base64 của tệp “%(name)s” không hợp lệ.") % {"name": display}
            )
        return content, len(content)
    if item.get("invalid_base64"):
        raise _Refused(_("Nội dung Base64 của tệp “%(name)s” không hợp lệ.") % {"name": display})
    if item.get("DuongDanTaiTepTin"):
        return _fetch(msg, str(item["DuongDanTaiTepTin"]), display)
    raise _Refused(
        _("Tệp “%(name)s” không có nội dung (thiếu đường dẫn và Base64).") % {"name": display}
    )


def files_collect(msg: Inbound, items: list[dict[str, Any]]) -> list[InboundFile]:
    """Every item fetched and checked; raises FileDeferred when one must wait."""
    files = []
    for index, item in enumerate(items):
        name = str(item.get("TenTepDinhKem") or "").strip()
        display = safe_filename(name)
        current = InboundFile(index, name or display, str(item.get("MaThanhPhanHoSo") or ""))
        current.from_store = str(item.get("DuocLayTuKhoDMQG") or "") == "1"
        try:
            content, size = _bytes_of(msg, item, display)
            current.content = content
            upload = InMemoryUploadedFile(io.BytesIO(content), None, name, None, size, None)
            current.checked = check_upload(upload)
        except (_Refused, UploadRejected) as exc:
            current.reason = exc.message if isinstance(exc, UploadRejected) else str(exc)
        files.append(current)
    return files


def _store(message_id: str, index: int, name: str, content: bytes) -> str:
    folder = f"{STORE_DIR}/{safe_filename(message_id)}"
    return default_storage.save(f"{folder}/{index:02d}-{safe_filename(name)}", ContentFile(content))


def payload_without_files(
    msg: Inbound, files: list[InboundFile] | None, *, attached: set[int], store: bool = True
) -> tuple[dict[str, Any], list[str]]:
    """The envelope to keep, and the stored paths no longer needed.

    Base64 contents become their size and hash; a file not attached to a dossier
    (message parked or refused, or file refused) is written under
    ``inbound/<MaBanTin>/`` so that nothing the citizen sent is lost — unless
    ``store`` is false (a duplicate: the first copy has it). Items read from storage
    (a retried message) keep their path unless now attached."""
    by_index = {f.index: f for f in files or []}
    envelope = dict(msg.envelope)
    data = dict(msg.data)
    items, released = [], []
    for index, raw in enumerate(file_items(data)):
        item = dict(raw)
        if "Base64" in item:
            known = by_index.get(index)
            content = known.content if known and known.content else base64_decode(item["Base64"])
            del item["Base64"]
            if content is None:
                item["invalid_base64"] = True
            else:
                item["size"], item["sha256"] = len(content), hashlib.sha256(content).hexdigest()
                if index not in attached:
                    item["stored"] = _store(
                        msg.message_id, index, str(item.get("TenTepDinhKem")), content
                    )
        elif item.get("stored") and index in attached:
            released.append(item.pop("stored"))
        items.append(item)
    if "TaiLieuNop" in data:
        data["TaiLieuNop"] = items
    envelope["DuLieu"] = data
    return envelope, released
