"""Clients of the simulator's wire protocol for its own tests (both transport styles,
and a local listener standing in for the province's endpoints)."""

from __future__ import annotations

import base64
import http.client
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UNIT = "000.00.01.H56"
UNITS = {
    UNIT: {
        "username": "so-tp",
        "password": "mat-khau",
        "client_id": "cid-1",
        "client_secret": "cs-1",
    },
    "000.00.02.H56": {
        "username": "so-xd",
        "password": "mk2",
        "client_id": "cid-2",
        "client_secret": "cs-2",
    },
}


# -- helpers -----------------------------------------------------------------------------


class Http:
    """One keep-alive connection; answers (status, headers, parsed body)."""

    def __init__(self, url: str, timeout: float = 5.0) -> None:
        parts = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        headers = dict(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        self.conn.request(method, path, body=data, headers=headers)
        response = self.conn.getresponse()
        payload = response.read()
        kind = response.getheader("Content-Type", "")
        parsed: Any = payload
        if kind.startswith("application/json") and payload:
            parsed = json.loads(payload)
        elif kind.startswith("text/"):
            parsed = payload.decode()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed

    def close(self) -> None:
        self.conn.close()


def header(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "MaTTHC": "1.001234.000.00.00.H56",
        "TenTTHC": "Cấp giấy phép xây dựng",
        "ChuHoSo": "Nguyễn Văn A",
        "KenhThucHien": "2",
        "NoiNopHoSo": "2",
        "NgayNopHoSo": "20260105080000",
        "NgayTiepNhan": "20260105090000",
        "TrangThaiHoSo": "2",
        "SoThuTu": "1",
        **extra,
    }


def event(code: str, number: int, status: int = 4, **extra: Any) -> dict[str, Any]:
    return {
        "MaHoSo": code,
        "SoThuTu": str(number),
        "NguoiXuLy": "Trần Thị B",
        "ChucDanh": "Chuyên viên",
        "PhongBanXuLy": "Bộ phận một cửa",
        "ThoiDiemXuLy": f"2026010{min(number, 9)}100000",
        "NoiDungXuLy": f"Bước {number}",
        "TrangThai": str(status),
        "NgayBatDau": "20260105090000",
        "NgayKetThucTheoQuyDinh": "20260110170000",
        **extra,
    }


class Service:
    """The 2020 adapter style: login once, then ``POST /dvc/service``."""

    def __init__(self, url: str, unit: str = UNIT, user: str = "so-tp", pw: str = "mat-khau"):
        self.http = Http(url)
        self.unit = unit
        status, _, body = self.http.call(
            "POST", "/dvc/dang-nhap", {"username": user, "password": pw}, {"dstcode": unit}
        )
        assert status == 200 and body["error_code"] == 0, body
        self.session = body["session"]

    def __call__(self, name: str, data: Any) -> tuple[int, Any]:
        body = {"session": self.session, "madonvi": self.unit, "service": name, "data": data}
        status, _, reply = self.http.call("POST", "/dvc/service", body, {"dstcode": self.unit})
        return status, reply


class Rest:
    """The LGSP style: client-credentials token, then one path per operation."""

    def __init__(self, url: str, client_id: str = "cid-1", client_key: str = "cs-1") -> None:
        self.http = Http(url)
        basic = base64.b64encode(f"{client_id}:{client_key}".encode()).decode()
        status, _, body = self.http.call(
            "POST",
            "/lgsp/token",
            raw=b"grant_type=client_credentials",
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        assert status == 200 and body["token_type"] == "Bearer", body
        self.token = body["access_token"]

    def __call__(self, path: str, data: Any) -> tuple[int, Any]:
        auth = {"Authorization": f"Bearer {self.token}"}
        status, _, reply = self.http.call("POST", path, data, auth)
        return status, reply


class Listener:
    """A tiny local HTTP endpoint (the province's push endpoint, a PayGov partner, a
    result-file URL) that records what it receives and answers ``reply``."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.reply: tuple[int, bytes, str] = (200, b'{"error_code": 0}', "application/json")
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                outer.received.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length) if length else b"",
                    }
                )
                status, data, kind = outer.reply
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
