"""The processing fixtures (fixed workflow, movable clock) for the backup tests."""

from tests.dossiers.processing import clock, workflow_procedure  # noqa: F401
