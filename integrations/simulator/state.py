"""In-memory state of the simulated national hub, persisted to one JSON file.

One lock guards everything: requests are tiny, so contention is cheap, and a single lock
keeps every snapshot consistent. Disk writes stay off the request path: a background thread
writes the file at most once per second when something changed, and once more on shutdown.
"""

from __future__ import annotations

import base64
import copy
import json
import os
import secrets
import sys
import threading
import time
from collections import deque
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

VN_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

DEFAULT_CONFIG: dict[str, Any] = {
    "units": {},
    "token_ttl": 3600,
    "province_push_url": "",
    "province_push_token": "",
    "paygov_partners": {},
    "datastore_secret": "kho-du-lieu-demo",
    "fetch_results": False,
    "strict_catalogue": False,
    "public_url": "",
    "code_prefix": "",
}
DEFAULT_PAYGOV_PARTNERS = {"TTHC-DEMO": "paygov-demo-secret"}

# Keys written to the state file. Faults and the request log are runtime only, so a
# restarted hub comes back healthy.
PERSISTED = (
    "config",
    "dossiers",
    "inbound",
    "payments",
    "catalogue",
    "datastore",
    "counts",
    "indicators",
    "sessions",
    "tokens",
    "seq",
)


def now_vn() -> datetime:
    return datetime.now(VN_TZ)


def stamp(moment: datetime | None = None) -> str:
    """A ``yyyyMMddHHmmss`` date in Asia/Ho_Chi_Minh, the hub's only date format."""
    return (moment or now_vn()).strftime("%Y%m%d%H%M%S")


def as_int(value: Any) -> int | None:
    """Header values are strings on the wire; accept ints too, refuse anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


class HubState:
    """Everything the simulator knows. Callers take ``lock`` (re-entrant) around reads and
    writes of the public dicts and call ``touch()`` after a change."""

    def __init__(
        self,
        path: Path | None = None,
        config: dict[str, Any] | None = None,
        catalogue: list[dict[str, Any]] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.path = Path(path) if path else None
        self.seed_config: dict[str, Any] = {**copy.deepcopy(DEFAULT_CONFIG), **(config or {})}
        self.seed_catalogue = {str(p["MATTHC"]): p for p in catalogue or [] if p.get("MATTHC")}
        self.config: dict[str, Any] = copy.deepcopy(self.seed_config)
        self.catalogue: dict[str, dict[str, Any]] = copy.deepcopy(self.seed_catalogue)
        self.dossiers: dict[str, dict[str, Any]] = {}
        self.seen: dict[str, set[int]] = {}  # MaHoSo → SoThuTu already stored (not persisted)
        self.event_count = 0
        self.inbound: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.datastore: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}
        self.indicators: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.sessions: dict[str, dict[str, Any]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        self.seq: dict[str, int] = {}
        self.faults: list[dict[str, Any]] = []
        self.requests: deque[dict[str, Any]] = deque(maxlen=1000)
        self.dirty = False
        self.started = time.time()
        self._save_lock = threading.Lock()
        self._stop = threading.Event()
        self._interval = 1.0
        if self.path and self.path.exists():
            self._load(config or {}, catalogue or [])

    # -- persistence -------------------------------------------------------------------

    def _load(self, config: dict[str, Any], catalogue: list[dict[str, Any]]) -> None:
        assert self.path is not None
        data = json.loads(self.path.read_text(encoding="utf-8") or "{}")
        for key in PERSISTED:
            if key in data:
                setattr(self, key, data[key])
        # Start-up options win over what the file remembers.
        self.config = {**copy.deepcopy(DEFAULT_CONFIG), **self.config, **config}
        self.catalogue.update({str(p["MATTHC"]): p for p in catalogue if p.get("MATTHC")})
        self.files = {
            fid: {**meta, "data": base64.b64decode(meta.pop("base64", ""))}
            for fid, meta in data.get("files", {}).items()
        }
        self.seen = {}
        self.event_count = 0
        for code, record in self.dossiers.items():
            numbers = {as_int(e.get("SoThuTu")) or 0 for e in record.get("TienDo", [])}
            self.seen[code] = numbers
            self.event_count += len(record.get("TienDo", []))

    def snapshot(self, with_files: bool = True) -> dict[str, Any]:
        """The persisted part of the state (caller holds the lock)."""
        data: dict[str, Any] = {key: getattr(self, key) for key in PERSISTED}
        data["version"] = 1
        data["files"] = {
            fid: {
                **{k: v for k, v in meta.items() if k != "data"},
                **(
                    {"base64": base64.b64encode(meta["data"]).decode("ascii")} if with_files else {}
                ),
                "size": len(meta["data"]),
            }
            for fid, meta in self.files.items()
        }
        return data

    def touch(self) -> None:
        self.dirty = True

    def save(self, force: bool = False) -> None:
        """Write the state file atomically when something changed (or when forced)."""
        if not self.path:
            return
        with self._save_lock:
            started = time.perf_counter()
            with self.lock:
                if not (self.dirty or force):
                    return
                text = json.dumps(self.snapshot(), ensure_ascii=False, separators=(",", ":"))
                self.dirty = False
            held = time.perf_counter() - started
            # Serialising holds the lock; keep that under ~10 % of the time on huge states.
            self._interval = max(1.0, held * 10)
            tmp = self.path.with_name(self.path.name + ".tmp")
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                tmp.write_text(text, encoding="utf-8")
                os.replace(tmp, self.path)
            except OSError as exc:
                self.dirty = True
                print(f"national-hub: cannot write {self.path}: {exc}", file=sys.stderr)

    def start_persister(self) -> threading.Thread:
        def loop() -> None:
            while not self._stop.wait(self._interval):
                self.save()

        thread = threading.Thread(target=loop, name="hub-persister", daemon=True)
        thread.start()
        return thread

    def stop_persister(self) -> None:
        self._stop.set()
        self.save()

    # -- small shared helpers ---------------------------------------------------------

    def next_seq(self, name: str) -> int:
        with self.lock:
            value = self.seq.get(name, 0) + 1
            self.seq[name] = value
            self.dirty = True
            return value

    def add_file(self, name: str, content_type: str, data: bytes) -> str:
        file_id = secrets.token_urlsafe(12)
        with self.lock:
            self.files[file_id] = {
                "name": name,
                "content_type": content_type or "application/octet-stream",
                "data": data,
                "created": stamp(),
            }
            self.dirty = True
        return file_id

    def paygov_partners(self) -> dict[str, str]:
        return self.config.get("paygov_partners") or DEFAULT_PAYGOV_PARTNERS

    def reset(
        self,
        *,
        config: bool = False,
        catalogue: bool = False,
        datastore: bool = False,
        tokens: bool = False,
    ) -> None:
        """Forget dossiers, inbound messages, payments, files, faults and admin figures;
        config, catalogue, data store and tokens only when asked (back to the start seeds)."""
        with self.lock:
            self.dossiers.clear()
            self.seen.clear()
            self.event_count = 0
            self.inbound.clear()
            self.payments.clear()
            self.files.clear()
            self.counts.clear()
            self.indicators.clear()
            self.faults.clear()
            self.requests.clear()
            if config:
                self.config = copy.deepcopy(self.seed_config)
            if catalogue:
                self.catalogue = copy.deepcopy(self.seed_catalogue)
            if datastore:
                self.datastore = {}
            if tokens:
                self.sessions.clear()
                self.tokens.clear()
            self.dirty = True
