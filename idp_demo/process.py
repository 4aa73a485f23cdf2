"""Run the demo IdP as a real child process (tests, the demo).

with IdpProcess(tmp_path / "idp", redirect_uris=["http://127.0.0.1:8000/cb"]) as idp:
    requests.get(idp.discovery_url)
    idp.control.fault("expired")
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from childserver import ChildServer

from .control import IdpControl

DEFAULT_CLIENT_SECRET = "demo-idp-secret"  # noqa: S105 — the simulator's demo client


class IdpProcess(ChildServer):
    """``python -m idp_demo`` on a fixed port; stdout and stderr go to ``log_path``."""

    name = "demo IdP"
    health_path = "/healthz"
    start_timeout = 30.0

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
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = list(redirect_uris)
        self.post_logout_redirect_uris = list(post_logout_redirect_uris)
        self.issuer = issuer
        super().__init__(
            host=host,
            port=port,
            log_path=Path(log_path) if log_path else self.var_dir / "idp-demo.log",
        )

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer or self.url}/.well-known/openid-configuration"

    @property
    def control(self) -> IdpControl:
        return IdpControl(self.url)

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

    def environment(self) -> dict[str, str]:
        env = super().environment()
        # The child sets its own settings module; do not hand it the parent's.
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def prepare(self) -> None:
        super().prepare()
        self.var_dir.mkdir(parents=True, exist_ok=True)
