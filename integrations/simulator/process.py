"""Run the simulator as a real child process (tests, benchmarks, the demo).

A separate process means the portal's client crosses a real socket, and a test can stop
the hub ("hub down") and start it again on the same port with the same state file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from childserver import ChildServer, free_port

from .control import HubControl

__all__ = ["HubProcess", "free_port"]


class HubProcess(ChildServer):
    """``python -m integrations.simulator`` on a fixed port; stderr goes to ``log_path``."""

    name = "national hub"
    health_path = "/_admin/health"

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
        self.config_path = config_path
        self.catalogue_path = catalogue_path
        self.verbose = verbose
        super().__init__(
            host=host,
            port=port,
            log_path=Path(log_path) if log_path else self.state_path.with_suffix(".log"),
        )

    @property
    def control(self) -> HubControl:
        return HubControl(self.url)

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

    def prepare(self) -> None:
        super().prepare()
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
