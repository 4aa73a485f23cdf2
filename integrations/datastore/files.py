"""Fetching a file the data store names (``DuongDan``): only from the hub's own
host (or hosts the target lists), with the upload size cap, logged."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.services import DossierError

from ..models import ReplyClass, SyncAttempt, Target
from ..transport import http_session


def _allowed(target: Target, url: str) -> bool:
    """The store's links point at the hub; anything else would let a reply make
    the portal fetch arbitrary addresses."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return False
    hosts = {urlsplit(target.base_url).netloc, *(target.options or {}).get("file_hosts", [])}
    return parts.netloc in hosts


def store_file_download(target: Target, url: str, *, dossier_id: int | None = None) -> bytes:
    if not _allowed(target, url):
        raise DossierError(_("Đường dẫn tệp của kho dữ liệu không thuộc hệ thống liên thông."))
    limit = int(settings.TTHC.get("MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
    started = time.monotonic()
    status, content, reply_class, note = None, b"", ReplyClass.DOWN, ""
    try:
        with http_session(target).get(
            url, stream=True, timeout=(target.connect_timeout, target.read_timeout)
        ) as response:
            status = response.status_code
            if status == 200:
                chunks, size = [], 0
                for chunk in response.iter_content(64 * 1024):
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > limit:  # stop reading: check_upload names the limit
                        break
                content = b"".join(chunks)
                reply_class, note = ReplyClass.OK, f"{len(content)} bytes"
            else:
                reply_class = ReplyClass.SERVER if status >= 500 else ReplyClass.VALIDATION
                note = response.text[:500]
    except requests.Timeout as exc:
        reply_class, note = ReplyClass.TIMEOUT, f"{type(exc).__name__}: {exc}"
    except requests.RequestException as exc:
        reply_class, note = ReplyClass.DOWN, f"{type(exc).__name__}: {exc}"
    SyncAttempt.objects.create(
        target=target, dossier_id=dossier_id, operation="datastore_file", url=url[:300],
        status_code=status, response_body=note, reply_class=reply_class,
        latency_ms=(time.monotonic() - started) * 1000, at=timezone.now(),
    )  # fmt: skip
    if reply_class != ReplyClass.OK:
        raise DossierError(_("Không tải được tệp từ kho dữ liệu, xin thử lại sau."))
    return content
