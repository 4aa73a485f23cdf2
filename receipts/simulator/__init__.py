"""The local receipt provider: a standard-library HTTP server in its own process.

ReceiptProviderProcess(state_path).start() → .url, .control (admin calls)."""

from __future__ import annotations

import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

from childserver import ChildServer

__all__ = ["ReceiptProviderControl", "ReceiptProviderProcess"]


class ReceiptProviderControl:
    """Admin calls over plain urllib (works without Django)."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, name: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(  # noqa: S310 - the simulator's own URL
            f"{self.base_url}/_admin/{name}", data=data, method=method,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
            return json.loads(reply.read() or b"null")

    def reset(self, *, everything: bool = False) -> None:
        self._call("POST", "reset", {"everything": everything})

    def faults(self, *rules: dict[str, Any]) -> None:
        self._call("POST", "faults", list(rules))

    def configure(self, **config: Any) -> dict[str, Any]:
        return self._call("POST", "config", config)

    def report(self) -> None:
        """Every receipt held is now with the tax authority."""
        self._call("POST", "report", {})

    def receipts(self) -> list[dict[str, Any]]:
        return self._call("GET", "receipts")

    @staticmethod
    def rule(match: str, kind: str, value: Any = None, count: int | None = 1) -> dict[str, Any]:
        return {"match": match, "kind": kind, "value": value, "count": count}


class ReceiptProviderProcess(ChildServer):
    name = "receipt provider"
    health_path = "/healthz"

    def __init__(
        self, state_path: str | Path, port: int | None = None, host: str = "127.0.0.1"
    ) -> None:
        self.state_path = Path(state_path)
        super().__init__(host=host, port=port, log_path=self.state_path.with_suffix(".log"))

    @property
    def control(self) -> ReceiptProviderControl:
        return ReceiptProviderControl(self.url)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "receipts.simulator", "--host", self.host,
                "--port", str(self.port), "--state", str(self.state_path)]  # fmt: skip
