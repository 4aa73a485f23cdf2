"""The simulator's HTTP server: HTTP/1.1 keep-alive, routing, faults, the request log,
and ``serve()`` with a clean shutdown (state written on SIGTERM/SIGINT).

Speed matters (benchmarks push 100,000 events through one keep-alive connection): each
answer is written with one ``sendall`` and TCP_NODELAY, nothing is logged unless verbose,
and nothing touches the disk on the request path.
"""

from __future__ import annotations

import json
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.parse
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from . import admin, api, auth, faults, paygov, portal
from .state import HubState
from .web import BadRequest, Request, Response, json_response, not_found, page, redirect

_FAULT_FREE = ("/_admin/", "/tep/")


def route(state: HubState, req: Request) -> Response:
    """One request → one answer (or a ``reset``/``drop`` action)."""
    path = req.path
    if path.startswith("/_admin/"):
        return admin.handle(state, req)
    if path.startswith("/tep/"):
        return _serve_file(state, path[len("/tep/") :])
    if path == "/dvc/service" and req.method == "POST":
        req.service = api.service_name(req)
    if state.faults and not path.startswith(_FAULT_FREE):
        faulty = faults.apply(state, path, req.service)
        if faulty is not None:
            return faulty
    if req.method == "POST":
        if path == "/dvc/service":
            return api.call_service(state, req)
        name = api.REST_PATHS.get(path)
        if name is not None:
            req.service = name
            return api.call_rest(state, req, name)
        if path == "/dvc/dang-nhap":
            return auth.login(state, req)
        if path == "/lgsp/token":
            return auth.issue_token(state, req)
        if path == "/paygov/khoi-tao":
            return paygov.init(state, req)
        if path == "/paygov/truy-van":
            return paygov.query(state, req)
        if path.startswith("/paygov/thanh-toan/") and path.endswith("/xac-nhan"):
            ref = urllib.parse.unquote(path[len("/paygov/thanh-toan/") : -len("/xac-nhan")])
            return paygov.confirm(state, req, ref)
        if path.startswith("/cong-dvc/nop/"):
            return portal.submit(state, req, urllib.parse.unquote(path[len("/cong-dvc/nop/") :]))
        if path.startswith("/cong-dvc/ho-so/") and path.endswith("/rut"):
            code = urllib.parse.unquote(path[len("/cong-dvc/ho-so/") : -len("/rut")])
            return portal.withdraw(state, req, code)
    elif req.method == "GET":
        if path in ("/", "/cong-dvc"):
            return redirect("/cong-dvc/")
        if path == "/cong-dvc/":
            return portal.list_page(state)
        if path.startswith("/cong-dvc/nop/"):
            code = urllib.parse.unquote(path[len("/cong-dvc/nop/") :])
            return portal.form_page(state, code)
        if path.startswith("/cong-dvc/ho-so/"):
            return portal.status_page(state, urllib.parse.unquote(path[len("/cong-dvc/ho-so/") :]))
        if path.startswith("/paygov/thanh-toan/"):
            ref = urllib.parse.unquote(path[len("/paygov/thanh-toan/") :])
            return paygov.payment_page(state, req, ref)
    if path.startswith("/cong-dvc/"):
        return page("Không tìm thấy trang", "<p>Đường dẫn không tồn tại.</p>", 404)
    return not_found()


def _serve_file(state: HubState, file_id: str) -> Response:
    with state.lock:
        meta = state.files.get(urllib.parse.unquote(file_id))
    if meta is None:
        return not_found("Không có tệp này")
    name = urllib.parse.quote(meta["name"])
    return Response(
        200,
        meta["data"],
        meta["content_type"],
        [("Content-Disposition", f"attachment; filename*=UTF-8''{name}")],
    )


_date_cache: list[Any] = [0, ""]


def _http_date() -> str:
    """The Date header, formatted once per second."""
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return _date_cache[1]


class HubServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], state: HubState, verbose: bool = False) -> None:
        super().__init__(address, Handler)
        self.state = state
        self.verbose = verbose
        self.reset_sockets: set[socket.socket] = set()

    def shutdown_request(self, request: Any) -> None:
        # A "reset" fault: close with SO_LINGER 0 and no FIN first, so the client sees RST.
        if request in self.reset_sockets:
            self.reset_sockets.discard(request)
            request.close()
            return
        super().shutdown_request(request)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MoPhongTrucQuocGia/1.0"
    sys_version = ""
    timeout = 300  # an idle keep-alive connection is closed after five minutes
    server: HubServer
    fast_headers: dict[str, str]

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def handle_one_request(self) -> None:
        """Parse the request line and headers ourselves: the stock parser goes through the
        ``email`` package and costs more than everything else a progress call does."""
        try:
            line = self.rfile.readline(65537)
        except (TimeoutError, OSError):
            self.close_connection = True
            return
        if not line:
            self.close_connection = True
            return
        if line in (b"\r\n", b"\n"):  # stray CRLF between keep-alive requests
            return
        self.raw_requestline = line
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or len(line) > 65536 or not parts[2].startswith("HTTP/1."):
            self.close_connection = True
            self._send(json_response(400, {"error_code": -1, "message": "Yêu cầu không hợp lệ"}))
            return
        self.command, self.path, self.request_version = parts
        headers: dict[str, str] = {}
        for _ in range(200):
            raw = self.rfile.readline(65537)
            if raw in (b"\r\n", b"\n", b""):
                break
            name, sep, value = raw.decode("latin-1").partition(":")
            if sep:
                key = name.strip().lower()
                value = value.strip()
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
        self.fast_headers = headers
        connection = headers.get("connection", "").lower()
        if self.request_version == "HTTP/1.0":
            self.close_connection = "keep-alive" not in connection
        else:
            self.close_connection = "close" in connection
        if headers.get("expect", "").lower() == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        if self.command not in ("GET", "POST", "PUT", "DELETE", "HEAD"):
            self.close_connection = True
            self._send(
                json_response(501, {"error_code": -1, "message": "Phương thức không hỗ trợ"})
            )
            return
        self._handle("GET" if self.command == "HEAD" else self.command)

    def _read_body(self) -> bytes:
        headers = self.fast_headers
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _base_url(self) -> str:
        configured = str(self.server.state.config.get("public_url") or "").rstrip("/")
        if configured:
            return configured
        host = self.fast_headers.get("host") or "{}:{}".format(*self.server.server_address[:2])
        return f"http://{host}"

    def _handle(self, method: str) -> None:
        started = time.perf_counter()
        state = self.server.state
        path, _, query = self.path.partition("?")
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        req = Request(method, path, query, self.fast_headers, body, self._base_url())
        try:
            response = route(state, req)
        except BadRequest as exc:
            response = json_response(400, {"error_code": -1, "message": str(exc)})
        except Exception as exc:  # a simulator bug: answer 500 and say so on stderr
            traceback.print_exc()
            response = json_response(500, {"error_code": -1, "message": f"Lỗi máy mô phỏng: {exc}"})
        if response.action == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.server.reset_sockets.add(self.connection)
            self.close_connection = True
        elif response.action == "drop":
            self.close_connection = True
        else:
            self._send(response)
        elapsed = (time.perf_counter() - started) * 1000
        status = response.status if not response.action else 0
        entry = {
            "at": round(time.time(), 3),
            "method": method,
            "path": path,
            "service": req.service,
            "status": status,
            "action": response.action,
            "latency_ms": round(elapsed, 2),
        }
        state.requests.append(entry)  # deque.append is atomic
        if self.server.verbose:
            label = f" {req.service}" if req.service else ""
            outcome = response.action or str(status)
            sys.stderr.write(f"national-hub: {method} {path}{label} → {outcome} {elapsed:.1f} ms\n")

    def _send(self, response: Response) -> None:
        try:
            phrase = HTTPStatus(response.status).phrase
        except ValueError:
            phrase = "Error"
        lines = [
            f"HTTP/1.1 {response.status} {phrase}",
            f"Server: {self.server_version}",
            f"Date: {_http_date()}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(response.body)}",
        ]
        lines += [f"{name}: {value}" for name, value in response.headers]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
        payload = head if self.command == "HEAD" else head + response.body
        try:
            self.wfile.write(payload)
        except OSError:
            self.close_connection = True


def load_json(path: str | Path | None) -> Any:
    if not path:
        return None
    return json.loads(Path(path).read_text(encoding="utf-8"))


def make_server(
    host: str = "127.0.0.1",
    port: int = 8100,
    state_path: str | Path | None = None,
    config: dict[str, Any] | None = None,
    catalogue: list[dict[str, Any]] | None = None,
    verbose: bool = False,
) -> HubServer:
    """A ready (bound, not yet serving) server; ``serve()`` runs it in the foreground."""
    state = HubState(Path(state_path) if state_path else None, config, catalogue)
    return HubServer((host, port), state, verbose)


def serve(
    host: str = "127.0.0.1",
    port: int = 8100,
    state_path: str | Path | None = None,
    config_path: str | Path | None = None,
    catalogue_path: str | Path | None = None,
    verbose: bool = False,
) -> None:
    """Run until SIGTERM/SIGINT, then write the state file and return."""
    config = load_json(config_path) or {}
    catalogue = load_json(catalogue_path) or []
    if isinstance(catalogue, dict):  # {"procedures": [...]} is accepted too
        catalogue = catalogue.get("procedures") or catalogue.get("items") or []
    server = make_server(host, port, state_path, config, catalogue, verbose)
    state = server.state
    state.start_persister()
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        stop.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="hub-http", daemon=True
    )
    thread.start()
    bound = server.server_address
    print(
        f"national-hub: listening on http://{bound[0]}:{bound[1]}/ "
        f"(state: {state.path or 'memory only'})",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not stop.wait(0.2):
            pass
    finally:
        server.shutdown()
        server.server_close()
        state.stop_persister()
        print("national-hub: stopped, state written", file=sys.stderr, flush=True)
