"""The demo province fixtures live in tests/support/province.py (a plugin)."""

from __future__ import annotations

from tests.support.province import HEALTH, JUSTICE

__all__ = ["HEALTH", "JUSTICE"]

# Processing tests share a fixed workflow and a movable clock.
from tests.dossiers.processing import clock, workflow_procedure  # noqa: F401
