"""Run the simulator as a real child process (tests, benchmarks, the demo).

A separate process means the portal's client crosses a real socket, and a test can stop
the hub ("hub down") and start it again on the same port with the same state file.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .control import HubControl

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class HubProcess:
    """``python -m integrations.simulator`` on a fixed port; stderr goes to ``log_path``."""

    def __init__(
        self,
        state_path: str | Path,
        port: int | None = None,
        host: str = "127.0.0.1",
        config_path: str | Path | None = None,
        catalogue_path: str | Path | None = None,
        verbose: bool = False,
        log_path: str | Path | None = None,
    ) -> None:
        self.state_path = Path(state_path)
        self.host = host
        self.port = port or free_port(host)
        self.config_path = config_path
        self.catalogue_path = catalogue_path
        self.verbose = verbose
        self.log_path = Path(log_path) if log_path else self.state_path.with_suffix(".log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def control(self) -> HubControl:
        return HubControl(self.url)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "integrations.simulator", "--host", self.host]
        cmd += ["--port", str(self.port), "--state", str(self.state_path)]
        if self.config_path:
            cmd += ["--config", str(self.config_path)]
        if self.catalogue_path:
            cmd += ["--catalogue", str(self.catalogue_path)]
        if self.verbose:
            cmd.append("--verbose")
        return cmd

    def start(self, timeout: float = 10.0) -> HubProcess:
        """Start and wait until ``GET /_admin/health`` answers."""
        if self.running:
            return self
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
        )
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 — our own interpreter and module
                self.command(),
                cwd=PROJECT_ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"national hub exited early; see {self.log_path}")
            try:
                with urllib.request.urlopen(f"{self.url}/_admin/health", timeout=1) as reply:  # noqa: S310
                    if reply.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"national hub did not answer within {timeout} s; see {self.log_path}")

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM (the hub writes its state file), then SIGKILL if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL: a crash (only what the persister already wrote survives)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self, timeout: float = 10.0) -> HubProcess:
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> HubProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
