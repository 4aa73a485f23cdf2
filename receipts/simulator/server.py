"""The simulated receipt provider: Viettel-shaped REST/JSON (token, createInvoice with a
transactionUuid, search by transactionUuid, cancelTransactionInvoice; a replacement is a
createInvoice with adjustmentType 3), standard library only, its own process.

Admin API (``/_admin/``): ``health``, ``reset``, ``receipts`` (every receipt held, for
tests), ``faults`` (rules), ``config`` (accounts, ``unique_keys``), ``report`` (mark the
receipts as sent to the tax authority: no technical void afterwards).

Fault rules ``{"match", "kind", "value", "count"}``; ``match`` is a substring of the path
or ``"*"``; ``count`` how many requests it still applies to (null: until cleared):

- ``timeout``: the request is processed, then the answer waits ``value`` seconds (the
  client's read timeout fires although the receipt exists: the dangerous case);
- ``http``: answer HTTP ``value`` (default 500) without processing;
- ``duplicate``: the request is processed but answered with the "transactionUuid already
  used" error, as a replayed request behind a load balancer would be.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PREFIX = "/services/einvoiceapplication/api"
ISSUE = PREFIX + "/InvoiceAPI/InvoiceWS/createInvoice/"
VIEW = PREFIX + "/InvoiceAPI/InvoiceUtilsWS/searchInvoiceByTransactionUuid"
VOID = PREFIX + "/InvoiceAPI/InvoiceWS/cancelTransactionInvoice"
KINDS = ("timeout", "http", "duplicate")


class State:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.reset(everything=True)
        if path and path.exists():
            data = json.loads(path.read_text("utf-8"))
            self.receipts = data.get("receipts", [])
            self.config.update(data.get("config", {}))

    def reset(self, *, everything: bool = False) -> None:
        self.receipts: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []
        self.tokens: set[str] = set()
        if everything:
            self.config: dict[str, Any] = {"accounts": {}, "unique_keys": True}

    def save(self) -> None:
        if self.path:
            payload = {"receipts": self.receipts, "config": self.config}
            self.path.write_text(json.dumps(payload, ensure_ascii=False), "utf-8")

    def fault_for(self, path: str) -> dict[str, Any] | None:
        with self.lock:
            for rule in list(self.faults):
                if rule["match"] == "*" or rule["match"] in path:
                    if rule["count"] is not None:
                        rule["count"] -= 1
                        if rule["count"] <= 0:
                            self.faults.remove(rule)
                    return rule
        return None


def _error(code: str, description: str, status: int = 400) -> tuple[int, dict]:
    return status, {"errorCode": code, "description": description, "result": None}


def _ok(result: Any) -> tuple[int, dict]:
    return 200, {"errorCode": None, "description": None, "result": result}


def _issue(state: State, tax_code: str, body: dict) -> tuple[int, dict]:
    general = body.get("generalInvoiceInfo") or {}
    key = str(general.get("transactionUuid") or "")
    items = body.get("itemInfo") or []
    if not key or not items or not general.get("templateCode") or not general.get("invoiceSeries"):
        return _error("INVALID_DATA", "Thiếu transactionUuid, ký hiệu hoặc dòng phí")
    with state.lock:
        if state.config.get("unique_keys", True) and any(
            r["transactionUuid"] == key for r in state.receipts
        ):
            return _error("DUPLICATE_TRANSACTION_UUID", "transactionUuid đã được sử dụng")
        original = None
        if str(general.get("adjustmentType")) == "3":
            original = next(
                (r for r in state.receipts if r["invoiceNo"] == general.get("originalInvoiceId")),
                None,
            )
            if original is None:
                return _error("ORIGINAL_NOT_FOUND", "Không tìm thấy biên lai bị thay thế")
            if original["status"] != "issued":
                return _error("INVOICE_REPLACED_OR_CANCELLED", "Biên lai đã bị thay thế hoặc hủy")
        number = int(general.get("invoiceNumber") or len(state.receipts) + 1)
        invoice_no = f"{general['invoiceSeries']}{number:08d}"
        if any(
            r["invoiceNo"] == invoice_no and r["supplierTaxCode"] == tax_code
            for r in state.receipts
        ):
            return _error("INVOICE_NUMBER_USED", "Số biên lai đã được sử dụng")
        row = {
            "supplierTaxCode": tax_code,
            "transactionUuid": key,
            "templateCode": general["templateCode"],
            "invoiceSeries": general["invoiceSeries"],
            "invoiceNumber": number,
            "invoiceNo": invoice_no,
            "status": "issued",
            "reported": False,
            "replaces": original["invoiceNo"] if original else None,
            "total": (body.get("summarizeInfo") or {}).get("totalAmountWithTax"),
            "buyerName": (body.get("buyerInfo") or {}).get("buyerName", ""),
            "items": items,
            "issuedAt": int(time.time() * 1000),
        }
        if original is not None:
            original["status"] = "replaced"
        state.receipts.append(row)
    return _ok({"supplierTaxCode": tax_code, "invoiceNo": invoice_no, "invoiceNumber": number,
                "transactionID": key, "reservationCode": secrets.token_hex(5).upper()})  # fmt: skip


def _view(state: State, body: dict) -> tuple[int, dict]:
    key, tax_code = body.get("transactionUuid"), body.get("supplierTaxCode")
    with state.lock:
        rows = [
            dict(r) for r in state.receipts
            if r["transactionUuid"] == key and r["supplierTaxCode"] == tax_code
        ]  # fmt: skip
    return _ok(rows)


def _void(state: State, body: dict) -> tuple[int, dict]:
    with state.lock:
        row = next(
            (
                r for r in state.receipts
                if r["invoiceNo"] == body.get("invoiceNo")
                and r["supplierTaxCode"] == body.get("supplierTaxCode")
            ),
            None,
        )  # fmt: skip
        if row is None:
            return _error("INVOICE_NOT_FOUND", "Không tìm thấy biên lai")
        if row["status"] != "issued":
            return _error("INVOICE_REPLACED_OR_CANCELLED", "Biên lai đã bị thay thế hoặc hủy")
        if row["reported"]:
            return _error("INVOICE_SENT_TO_TAX", "Biên lai đã gửi cơ quan thuế, không hủy được")
        if not str(body.get("additionalReferenceDesc") or "").strip():
            return _error("REASON_REQUIRED", "Thiếu lý do hủy")
        row["status"] = "voided"
        row["voidReason"] = body["additionalReferenceDesc"]
    return _ok({"invoiceNo": row["invoiceNo"], "status": "voided"})


def _login(state: State, body: dict) -> tuple[int, dict]:
    accounts = state.config.get("accounts") or {}
    user, password = body.get("username"), body.get("password")
    if accounts and accounts.get(user) != password:
        return 401, {"error": "invalid_grant", "errorCode": "AUTH"}
    token = secrets.token_urlsafe(16)
    with state.lock:
        state.tokens.add(token)
    return 200, {"access_token": token, "token_type": "bearer", "expires_in": 3600}


def _admin(state: State, method: str, path: str, body: Any) -> tuple[int, Any]:
    name = path[len("/_admin/") :].strip("/")
    if name == "health":
        return 200, {"ok": True}
    if name == "receipts" and method == "GET":
        with state.lock:
            return 200, [dict(r) for r in state.receipts]
    if method != "POST":
        return 405, {"error": "method"}
    if name == "reset":
        with state.lock:
            state.reset(everything=bool((body or {}).get("everything")))
        return 200, {"ok": True}
    if name == "faults":
        rules = []
        for rule in body or []:
            if rule.get("kind") not in KINDS or not str(rule.get("match", "")).strip():
                return 400, {"error": f"rule must have match and kind in {KINDS}"}
            rules.append({"match": str(rule["match"]), "kind": rule["kind"],
                          "value": rule.get("value"), "count": rule.get("count")})  # fmt: skip
        with state.lock:
            state.faults[:] = rules
        return 200, {"ok": True}
    if name == "config":
        with state.lock:
            state.config.update(body or {})
        return 200, state.config
    if name == "report":
        with state.lock:
            for row in state.receipts:
                row["reported"] = True
        return 200, {"ok": True}
    return 404, {"error": "not found"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "MoPhongBienLai/1.0"
    server: Server

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            return None

    def do_GET(self) -> None:
        state = self.server.state
        if self.path in ("/healthz", "/_admin/health"):
            return self._send(200, {"ok": True})
        if self.path.startswith("/_admin/"):
            return self._send(*_admin(state, "GET", self.path, None))
        return self._send(404, {"error": "not found"})

    def do_POST(self) -> None:
        state = self.server.state
        body = self._body()
        path = self.path
        if path.startswith("/_admin/"):
            return self._send(*_admin(state, "POST", path, body))
        if not isinstance(body, dict):
            return self._send(*_error("INVALID_JSON", "Dữ liệu không phải JSON"))
        if path == "/auth/login":
            return self._send(*_login(state, body))
        token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if state.config.get("accounts") and token not in state.tokens:
            return self._send(401, {"errorCode": "AUTH", "description": "token"})
        rule = state.fault_for(path)
        if rule is not None and rule["kind"] == "http":
            return self._send(int(rule["value"] or 500), {"error": "simulated"})
        if path.startswith(ISSUE):
            answer = _issue(state, path[len(ISSUE) :], body)
        elif path == VIEW:
            answer = _view(state, body)
        elif path == VOID:
            answer = _void(state, body)
        else:
            answer = (404, {"error": "not found"})
        if rule is not None and rule["kind"] == "timeout":
            time.sleep(float(rule["value"] or 5))
        if rule is not None and rule["kind"] == "duplicate" and answer[0] == 200:
            answer = _error("DUPLICATE_TRANSACTION_UUID", "transactionUuid đã được sử dụng")
        # The client may have given up (its timeout): the receipt exists all the same.
        with contextlib.suppress(OSError):
            self._send(*answer)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: State, verbose: bool) -> None:
        super().__init__(address, Handler)
        self.state = state
        self.verbose = verbose


def serve(host: str, port: int, state_path: str | None = None, verbose: bool = False) -> None:
    state = State(Path(state_path) if state_path else None)
    server = Server((host, port), state, verbose)

    def stop(*_args: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        state.save()
        server.server_close()
