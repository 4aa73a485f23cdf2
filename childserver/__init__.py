"""A local HTTP server as a real child process: start, wait until healthy, stop.

The simulators of outside systems (the national hub, the national identity
provider) run as separate processes so the portal's clients cross a real
socket, and a test can stop one ("down") and start it again on the same port.
Standard library only, so any simulator can use it without the portal.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Self

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LOG_TAIL_BYTES = 4000


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class ChildServer(ABC):
    """Subclasses name the server, its command and its health path."""

    name = "server"
    health_path = "/healthz"
    start_timeout = 10.0

    def __init__(self, *, host: str, port: int | None, log_path: Path) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    @abstractmethod
    def command(self) -> list[str]:
        """The child's argv: our own interpreter running the simulator's module."""

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
        )
        return env

    def prepare(self) -> None:
        """Create what the child writes to before it starts."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)

    def log_tail(self) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return ""
        return data[-LOG_TAIL_BYTES:].decode("utf-8", "replace")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}{self.health_path}", timeout=1) as reply:  # noqa: S310 - our own loopback server
                return reply.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def start(self, timeout: float | None = None) -> Self:
        """Start and wait until the health path answers 200."""
        if self.running:
            return self
        self.prepare()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                self.command(),
                cwd=PROJECT_ROOT,
                env=self.environment(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        deadline = time.monotonic() + (timeout or self.start_timeout)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                code, self.process = self.process.returncode, None
                raise RuntimeError(
                    f"{self.name} exited early (code {code}); log {self.log_path}:\n"
                    f"{self.log_tail()}"
                )
            if self.healthy():
                return self
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(
            f"{self.name} did not answer within {timeout or self.start_timeout} s; "
            f"log {self.log_path}:\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (the server saves its state), then SIGKILL if it hangs."""
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
        """SIGKILL: a crash (only what the server already wrote survives)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self, timeout: float | None = None) -> Self:
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
