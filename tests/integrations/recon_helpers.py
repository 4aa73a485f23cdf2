"""Shared set-up of the reconciliation and dashboard tests: dossiers moved through
the real lifecycle services and synced to the simulator over HTTP."""

from __future__ import annotations

from dataclasses import dataclass

from dossiers.models import Dossier
from integrations.models import Target
from tests.dossiers.processing import in_processing, received
from tests.integrations.lifecycle_helpers import supplemented_then_withdrawn
from tests.integrations.sync_helpers import drain_all, hub_target


@dataclass
class Scene:
    target: Target
    received: Dossier  # national statuses 1, 2
    processing: Dossier  # 1, 2, 4
    withdrawn: Dossier  # 1, 2, 4, 5, 4, 7
    other: Dossier  # 1, 2, 4


def synced_scene(hub, users, procedure, clock) -> Scene:
    """Four dossiers of the Department of Justice, every row acknowledged by the hub."""
    target = hub_target(hub.url)
    scene = Scene(
        target,
        received(users, procedure, clock, 2025, 3, 3, 8, 30),
        in_processing(users, procedure, clock, 2025, 3, 3, 9, 0),
        supplemented_then_withdrawn(users, procedure, clock, day=4),
        in_processing(users, procedure, clock, 2025, 3, 5, 9, 0),
    )
    drain_all()
    for dossier in (scene.received, scene.processing, scene.withdrawn, scene.other):
        dossier.refresh_from_db()
    return scene
