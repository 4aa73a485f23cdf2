"""A small client for the simulator's admin API, used by tests, benchmarks and the demo.

hub = HubControl("http://127.0.0.1:8100")
hub.reset(everything=True)
hub.configure(units={"000.00.01.H56": {"username": "u", "password": "p"}})
hub.faults(HubControl.rule("tien-do", "http", 502, count=2))
hub.dossier("H56.01-260101-0001")
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class HubError(RuntimeError):
    """The admin API answered an error (the message is the simulator's)."""

    def __init__(self, status: int, body: Any) -> None:
        super().__init__(f"national hub admin API: HTTP {status}: {body}")
        self.status = status
        self.body = body


class HubControl:
    """Admin calls over plain urllib (no dependency, works without Django)."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 — the simulator's own URL
            f"{self.base_url}/_admin/{path}",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"} if data is not None else {},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                detail = json.loads(raw)
            except ValueError:
                detail = raw.decode("utf-8", "replace")
            raise HubError(exc.code, detail) from None
        return json.loads(raw) if raw else None

    # -- looking ---------------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """pid, dossier/event/pending-inbound counts; cheap enough to poll."""
        return self._call("GET", "health")

    def state(self) -> dict[str, Any]:
        """Everything (config, dossiers, inbound, payments, catalogue, faults, …)."""
        return self._call("GET", "state")

    def dossier(self, code: str) -> dict[str, Any] | None:
        """The hub's record: ``header``, ``TienDo``, ``MaDonVi``, ``first_seen``, …"""
        try:
            return self._call("GET", f"dossiers/{urllib.parse.quote(code, safe='')}")
        except HubError as exc:
            if exc.status == 404:
                return None
            raise

    def dossiers(self) -> dict[str, dict[str, Any]]:
        """code → {MaDonVi, TrangThaiHoSo, SoThuTu, events}."""
        return self._call("GET", "dossiers")

    def inbound(self) -> list[dict[str, Any]]:
        """Inbound records: ``envelope``, ``acknowledged``, ``acknowledged_by``, ``push``."""
        return self._call("GET", "inbound")

    def payments(self) -> dict[str, dict[str, Any]]:
        """MaThamChieu → {init, status, confirmation, ipn}."""
        return self._call("GET", "payments")

    def requests(self, limit: int = 100) -> list[dict[str, Any]]:
        """The last requests: method, path, service, status, action, latency_ms."""
        return self._call("GET", f"requests?limit={int(limit)}")

    # -- setting the scene -------------------------------------------------------------

    def reset(
        self,
        *,
        config: bool = False,
        catalogue: bool = False,
        datastore: bool = False,
        tokens: bool = False,
        everything: bool = False,
    ) -> dict[str, Any]:
        """Clear dossiers, inbound, payments, files, faults and figures; the flags also put
        config/catalogue back to the start-up seeds, empty the data store, drop tokens."""
        body = {
            "config": config,
            "catalogue": catalogue,
            "datastore": datastore,
            "tokens": tokens,
            "all": everything,
        }
        return self._call("POST", "reset", body)

    def configure(self, config: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Merge keys into the config (``units``, ``token_ttl``, ``province_push_url``, …)."""
        return self._call("POST", "config", {**(config or {}), **fields})

    @staticmethod
    def rule(match: str, kind: str, value: Any = None, count: int | None = None) -> dict[str, Any]:
        """A fault rule: kind ∈ latency, timeout, http, reset, error_code, validation."""
        return {"match": match, "kind": kind, "value": value, "count": count}

    def faults(self, *rules: dict[str, Any], append: bool = False) -> list[dict[str, Any]]:
        """Replace (or extend) the fault rules; returns the active list."""
        return self._call("POST", "faults", {"rules": list(rules), "append": append})

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def expire_tokens(self) -> None:
        """Every session and bearer token expires: the next call gets 401."""
        self._call("POST", "expire-tokens", {})

    def alter(self, code: str, **fields: Any) -> dict[str, Any]:
        """Change fields of the national header (as if the hub's copy drifted)."""
        return self._call("POST", f"records/{urllib.parse.quote(code, safe='')}", {"set": fields})

    def drop(self, code: str) -> dict[str, Any]:
        """Forget a dossier (as if the hub lost it)."""
        return self._call("POST", f"records/{urllib.parse.quote(code, safe='')}", {"drop": True})

    def drop_events_after(self, code: str, n: int) -> dict[str, Any]:
        """Keep only events with SoThuTu ≤ n; the dropped ones may be sent again."""
        path = f"records/{urllib.parse.quote(code, safe='')}"
        return self._call("POST", path, {"drop_events_after": n})

    def queue_inbound(
        self, envelope: dict[str, Any] | None = None, *, files_as_urls: bool = False, **fields: Any
    ) -> dict[str, Any]:
        """Queue (and push, if configured) an inbound envelope; returns it with MaBanTin and
        ThoiGianGui filled. ``files_as_urls``: TaiLieuNop[].Base64 → /tep/ download URLs."""
        body = {"envelope": {**(envelope or {}), **fields}, "files_as_urls": files_as_urls}
        return self._call("POST", "inbound", body)

    def set_catalogue(self, procedures: list[dict[str, Any]], merge: bool = False) -> int:
        """Replace (or merge into) the procedures served by LayThuTuc/LayDanhSachTTHC."""
        return self._call("POST", "catalogue", {"procedures": procedures, "merge": merge})["count"]

    def seed_datastore(self, items: dict[str, list[dict[str, Any]]]) -> int:
        """{SoDinhDanh: [results]}; attachments with ``Base64`` become /tep/ URLs."""
        return self._call("POST", "datastore", items)["count"]

    def set_counts(
        self, unit: str, tu_ngay: str, den_ngay: str, so_ho_so_tiep_nhan: int
    ) -> dict[str, Any]:
        """The national reporting total for exactly this unit and range."""
        body = {
            "MaDonVi": unit,
            "TuNgay": tu_ngay,
            "DenNgay": den_ngay,
            "SoHoSoTiepNhan": so_ho_so_tiep_nhan,
        }
        return self._call("POST", "counts", body)

    def set_indicators(self, unit: str, ky: str, chi_so: list[dict[str, Any]]) -> dict[str, Any]:
        """The official 766 values LayChiSo766 returns for a unit and period."""
        return self._call("POST", "indicators", {"MaDonVi": unit, "Ky": ky, "ChiSo": chi_so})

    def add_file(
        self, name: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> dict[str, Any]:
        """Store a file served at ``GET /tep/<id>``; returns {id, url, size}."""
        body = {
            "name": name,
            "content_type": content_type,
            "base64": base64.b64encode(data).decode("ascii"),
        }
        return self._call("POST", "files", body)

    # -- waiting -------------------------------------------------------------------------

    @staticmethod
    def wait_until(predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.05) -> T:
        """Poll until ``predicate()`` is truthy (pushes and downloads are asynchronous)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise TimeoutError(f"condition not met within {timeout} s")
            time.sleep(interval)
