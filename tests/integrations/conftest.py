"""Fixtures of the national-integration tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from integrations.simulator import HubControl, HubProcess

# -----------------------------------------------------------------------------------------
# National-hub simulator (integrations.simulator) — a real HTTP server in a child process.
#
#   national_hub         function scope: the session's hub, reset (everything, config
#                        included); returns NationalHub(url, control, process).
#   hub_process_factory  function scope: factory(**HubProcess kwargs) → a started, private
#                        HubProcess (own port and state file) the test may .stop(), .kill(),
#                        .start() or .restart() on the same port ("hub down" tests); all are
#                        stopped at the end.
#   _hub_process         session scope: the shared process behind national_hub.
# -----------------------------------------------------------------------------------------


@dataclass
class NationalHub:
    url: str
    control: HubControl
    process: HubProcess


@pytest.fixture(scope="session")
def _hub_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    process = HubProcess(tmp_path_factory.mktemp("national-hub") / "state.json").start()
    yield process
    process.stop()


@pytest.fixture
def national_hub(_hub_process: HubProcess) -> NationalHub:
    if not _hub_process.running:  # a test stopped it: bring it back on the same port
        _hub_process.start()
    _hub_process.control.reset(everything=True)
    return NationalHub(url=_hub_process.url, control=_hub_process.control, process=_hub_process)


@pytest.fixture
def hub_process_factory(tmp_path: Path) -> Iterator[Callable[..., HubProcess]]:
    created: list[HubProcess] = []

    def factory(**kwargs: Any) -> HubProcess:
        kwargs.setdefault("state_path", tmp_path / f"national-hub-{len(created)}.json")
        process = HubProcess(**kwargs)
        created.append(process)
        return process.start()

    yield factory
    for process in created:
        process.stop()


# ----------------------------- end of the national-hub block -----------------------------


# The demo province and the movable clock of the dossier tests, for every integration test.
from tests.dossiers.processing import clock, workflow_procedure  # noqa: E402, F401


@pytest.fixture
def listener():
    """A local HTTP endpoint standing in for the province (pushes, PayGov confirmations)."""
    from tests.integrations.simulator_helpers import Listener

    endpoint = Listener()
    yield endpoint
    endpoint.close()
