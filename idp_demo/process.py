"""Run the demo IdP as a real child process (tests, the demo).

with IdpProcess(tmp_path / "idp", redirect_uris=["http://127.0.0.1:8000/cb"]) as idp:
    requests.get(idp.discovery_url)
    idp.control.fault("expired")
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import requests

from .control import IdpControl

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CLIENT_SECRET = "demo-idp-secret"  # noqa: S105 — the simulator's demo client
LOG_TAIL_BYTES = 4000


def free_port(host: str = "127.0.0.1") -> int:
    # Same helper as integrations.simulator.process; repeated so idp_demo imports
    # nothing from the portal's packages.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class IdpProcess:
    """``python -m idp_demo`` on a fixed port; stdout and stderr go to ``log_path``."""

    def __init__(
        self,
        var_dir: str | Path,
        port: int | None = None,
        host: str = "127.0.0.1",
        client_id: str = "tthc-portal",
        client_secret: str = DEFAULT_CLIENT_SECRET,
        redirect_uris: Sequence[str] = ("http://127.0.0.1:8000/tai-khoan/dang-nhap/vneid/xong/",),
        post_logout_redirect_uris: Sequence[str] = ("http://127.0.0.1:8000/",),
        log_path: str | Path | None = None,
        issuer: str | None = None,
    ) -> None:
        self.var_dir = Path(var_dir)
        self.host = host
        self.port = port or free_port(host)
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = list(redirect_uris)
        self.post_logout_redirect_uris = list(post_logout_redirect_uris)
        self.log_path = Path(log_path) if log_path else self.var_dir / "idp-demo.log"
        self.issuer = issuer
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer or self.url}/.well-known/openid-configuration"

    @property
    def control(self) -> IdpControl:
        return IdpControl(self.url)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def command(self) -> list[str]:
        cmd = [sys.executable, "-m", "idp_demo", "--host", self.host, "--port", str(self.port)]
        cmd += ["--var-dir", str(self.var_dir), "--client-id", self.client_id]
        cmd += ["--client-secret", self.client_secret]
        for uri in self.redirect_uris:
            cmd += ["--redirect-uri", uri]
        for uri in self.post_logout_redirect_uris:
            cmd += ["--post-logout-redirect-uri", uri]
        if self.issuer:
            cmd += ["--issuer", self.issuer]
        return cmd

    def log_tail(self) -> str:
        try:
            data = self.log_path.read_bytes()
        except OSError:
            return ""
        return data[-LOG_TAIL_BYTES:].decode("utf-8", "replace")

    def start(self, timeout: float = 30.0) -> IdpProcess:
        """Start and wait until ``GET /healthz`` answers."""
        if self.running:
            return self
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p
        )
        # The child sets its own settings module; do not hand it the parent's.
        env.pop("DJANGO_SETTINGS_MODULE", None)
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
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
                code = self.process.returncode
                self.process = None
                raise RuntimeError(
                    f"demo IdP exited early (code {code}); log {self.log_path}:\n{self.log_tail()}"
                )
            try:
                if requests.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(
            f"demo IdP did not answer within {timeout} s; log {self.log_path}:\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, then SIGKILL if it hangs."""
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
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self, timeout: float = 30.0) -> IdpProcess:
        self.stop()
        return self.start(timeout)

    def __enter__(self) -> IdpProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
