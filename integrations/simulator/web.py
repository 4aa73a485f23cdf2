"""Tiny request/response types and HTML helpers shared by the simulator's handlers.

Handlers are plain functions ``(state, Request) -> Response`` so the HTTP plumbing
(keep-alive, faults, the request log) lives in one place, ``server.py``.
"""

from __future__ import annotations

import html
import json
import re
import urllib.parse
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

_UNSET: Any = object()


class BadRequest(Exception):
    """The body could not be parsed; answered 400."""


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # names lower-cased
    body: bytes
    base_url: str
    service: str = ""
    _json: Any = field(default=_UNSET, repr=False)

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def json(self) -> Any:
        if self._json is _UNSET:
            if not self.body.strip():
                self._json = {}
            else:
                try:
                    self._json = json.loads(self.body)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise BadRequest(f"Nội dung JSON không hợp lệ: {exc}") from exc
        return self._json

    def form(self) -> dict[str, str]:
        pairs = urllib.parse.parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return dict(pairs)

    def params(self) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.query, keep_blank_values=True))


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)
    action: str = ""  # "" answer; "reset" close with RST; "drop" close without answering


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(status: int, obj: Any) -> Response:
    return Response(status, dumps(obj))


def html_response(status: int, text: str) -> Response:
    return Response(status, text.encode("utf-8"), "text/html; charset=utf-8")


def redirect(location: str) -> Response:
    return Response(303, b"", "text/plain; charset=utf-8", [("Location", location)])


def not_found(message: str = "Không tìm thấy đường dẫn") -> Response:
    return json_response(404, {"error_code": -1, "message": message})


# -- multipart/form-data ---------------------------------------------------------------

UploadedFile = tuple[str, str, bytes]  # (file name, content type, bytes)


def parse_multipart(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, list[UploadedFile]]]:
    """A small multipart parser (``cgi`` is gone): fields as text, files as bytes."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise BadRequest("Thiếu boundary của multipart/form-data")
    delimiter = b"--" + match.group(1).encode("latin-1")
    fields: dict[str, str] = {}
    files: dict[str, list[UploadedFile]] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        if part.startswith(b"\r\n"):
            part = part[2:]
        head, _, data = part.partition(b"\r\n\r\n")
        if data.endswith(b"\r\n"):
            data = data[:-2]
        headers = Message()
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip()] = value.strip()
        field_name = headers.get_param("name", header="content-disposition")
        if not isinstance(field_name, str):
            continue
        filename = headers.get_filename()
        if filename is None:
            fields[field_name] = data.decode("utf-8", "replace")
        elif filename or data:
            ctype = headers.get_content_type() if headers.get("content-type") else ""
            files.setdefault(field_name, []).append((filename, ctype, data))
    return fields, files


# -- HTML ------------------------------------------------------------------------------

e = html.escape

_CSS = """
body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1a1a1a;
background:#f6f7f9;line-height:1.5}
header{background:#a4161a;color:#fff;padding:.75rem 1.5rem}
header a{color:#fff}
header .brand{font-weight:700;margin:0}
main{max-width:60rem;margin:1.5rem auto;background:#fff;padding:1.5rem;border-radius:.5rem;
box-shadow:0 1px 3px rgba(0,0,0,.1)}
footer{text-align:center;font-size:.85rem;color:#555;padding:1rem}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.4rem .6rem;text-align:left;vertical-align:top}
th{background:#eef1f5}
label{display:block;font-weight:600;margin-top:.75rem}
input[type=text],input[type=email],input[type=tel],select,textarea{width:100%;
padding:.45rem;border:1px solid #888;border-radius:.25rem;box-sizing:border-box;font:inherit}
input[type=checkbox]{margin-right:.4rem}
.checkbox label{display:inline;font-weight:400}
button{margin-top:1rem;padding:.55rem 1.2rem;font:inherit;border:0;border-radius:.25rem;
background:#a4161a;color:#fff;cursor:pointer}
button.secondary{background:#555}
button:focus,a:focus,input:focus,select:focus,textarea:focus{outline:3px solid #f4b400;
outline-offset:2px}
.ma-ho-so{font-size:1.6rem;font-weight:700;letter-spacing:.05em;background:#fff4d6;
padding:.5rem 1rem;display:inline-block;border:2px solid #a4161a;border-radius:.25rem}
.error{color:#a4161a;font-weight:600}
.hint{color:#555;font-size:.9rem}
.ok{color:#1b6e20;font-weight:600}
"""


def page(title: str, body: str, status: int = 200) -> Response:
    """The national-portal layout: Vietnamese, no external assets, keyboard-friendly."""
    text = (
        '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<link rel="icon" href="data:,">\n'  # no favicon request (and no 404 in the console)
        f"<title>{e(title)} — Cổng DVC quốc gia (mô phỏng)</title>\n<style>{_CSS}</style>\n"
        "</head>\n<body>\n<header>\n"
        '<p class="brand">Cổng Dịch vụ công quốc gia <span>(bản mô phỏng cục bộ)</span></p>\n'
        '<nav aria-label="Điều hướng chính"><a href="/cong-dvc/">Danh sách thủ tục</a></nav>\n'
        f'</header>\n<main id="noi-dung">\n<h1>{e(title)}</h1>\n{body}\n</main>\n'
        "<footer>Máy mô phỏng dùng cho phát triển và kiểm thử — không phải hệ thống thật."
        "</footer>\n</body>\n</html>\n"
    )
    return html_response(status, text)


def format_stamp(value: Any) -> str:
    """``yyyyMMddHHmmss`` → ``dd/mm/yyyy HH:MM:SS`` (anything else is shown as is)."""
    text = str(value or "")
    if len(text) == 14 and text.isdigit():
        return f"{text[6:8]}/{text[4:6]}/{text[0:4]} {text[8:10]}:{text[10:12]}:{text[12:14]}"
    return text


def format_money(value: Any) -> str:
    text = str(value or "0")
    if text.isdigit():
        return f"{int(text):,}".replace(",", ".")
    return text
