"""Reconciliation with the hub, official figures, resync, and the sync's housekeeping."""

from .alert import sync_alert_check, sync_log_purge
from .figures import national_figures_fetch
from .resync import ResyncError, difference_resync, dossier_resync
from .run import reconcile_run

__all__ = [
    "ResyncError",
    "difference_resync",
    "dossier_resync",
    "national_figures_fetch",
    "reconcile_run",
    "sync_alert_check",
    "sync_log_purge",
]
