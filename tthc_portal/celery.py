"""The Celery application.

Tasks stay thin: they load ids and call a service. Periodic jobs are declared
here so the schedule is reviewed with the code that runs it.
"""

import os
from fnmatch import fnmatchcase
from typing import Any

from celery import Celery
from celery.schedules import crontab
from celery.signals import task_postrun, task_prerun

# Production by default, as for wsgi.py: importing the package (which imports
# this module) must never switch a server to development settings.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tthc_portal.settings.production")

app = Celery("tthc_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Each log line of a job carries its task id (tthc_portal/logs.py).
@task_prerun.connect
def _log_task_started(task_id=None, **kwargs) -> None:
    from tthc_portal.logs import task_started

    task_started(task_id=task_id)


@task_postrun.connect
def _log_task_finished(**kwargs) -> None:
    from tthc_portal.logs import task_finished

    task_finished()


# --- Queues by kind -----------------------------------------------------------
# Each kind of job has its own queue and its own workers (docker-compose.yml), so a
# backlog of one kind (a national-hub outage, a nightly 766 run) never delays
# another (the PDF a citizen waits for at the desk, an SMS). `make run` starts one
# worker that consumes them all (scripts/run-dev).
DEFAULT_QUEUE = "default"
SYNC_QUEUE = "sync"  # national systems: DVCQG sync, inbound, catalogue, PayGov, figures
DOCUMENTS_QUEUE = "documents"  # PDF render, signing, e-receipt issue
NOTIFICATIONS_QUEUE = "notifications"  # SMS and e-mail sends
INDICATORS_QUEUE = "indicators"  # 766 recomputations
SWEEPS_QUEUE = "sweeps"  # beat housekeeping: deadlines, requeues, purges
QUEUES = (
    DEFAULT_QUEUE,
    SYNC_QUEUE,
    DOCUMENTS_QUEUE,
    NOTIFICATIONS_QUEUE,
    INDICATORS_QUEUE,
    SWEEPS_QUEUE,
)
# Jobs published before queues by kind existed sit in Celery's "celery" queue;
# the default workers drain it too (docker-compose.yml, scripts/run-dev).
LEGACY_QUEUE = "celery"

# Task name (fnmatch pattern) → queue; the first match wins, so exact names come
# before their app's pattern. Every project task must match a rule
# (tests/ops_queues/test_task_routing.py): a new task is classified, not left
# to fall into "default" by accident.
TASK_QUEUE_RULES: tuple[tuple[str, str], ...] = (
    ("dossiers.tasks.document_render", DOCUMENTS_QUEUE),
    ("receipts.tasks.receipt_issue", DOCUMENTS_QUEUE),
    ("tthc_portal.notifications.tasks.outbox_send", NOTIFICATIONS_QUEUE),
    ("tthc_portal.notifications.tasks.outbox_send_batch", NOTIFICATIONS_QUEUE),
    ("queueing.tasks.appointment_reminders_send", NOTIFICATIONS_QUEUE),
    # A holiday edit moves stored deadlines now, not at the next sweep.
    ("dossiers.tasks.deadlines_recompute_for_days", DEFAULT_QUEUE),
    ("integrations.tasks.*", SYNC_QUEUE),
    ("indicators.tasks.recompute_runs_requeue", SWEEPS_QUEUE),
    ("indicators.tasks.*", INDICATORS_QUEUE),
    ("tthc_portal.notifications.tasks.outbox_flush", SWEEPS_QUEUE),
    ("dossiers.tasks.deadlines_sweep", SWEEPS_QUEUE),
    ("dossiers.tasks.documents_requeue", SWEEPS_QUEUE),
    ("feedback.tasks.feedback_sweep", SWEEPS_QUEUE),
    ("procedures.tasks.*", SWEEPS_QUEUE),
    ("receipts.tasks.receipts_sweep", SWEEPS_QUEUE),
    ("records.tasks.*", SWEEPS_QUEUE),  # retention and disposal runs
    ("tthc_portal.web.tasks.submissions_purge", SWEEPS_QUEUE),
    ("tthc_portal.web.tasks.partitions_maintain", SWEEPS_QUEUE),  # monthly partitions
    ("tthc_portal.workdays.tasks.calendar_ensure_years", SWEEPS_QUEUE),
    # Housekeeping by its name: purges and sweeps of any app.
    ("*_purge", SWEEPS_QUEUE),
    ("*_sweep", SWEEPS_QUEUE),
)


def queue_for_task(name: str) -> str | None:
    """The queue a task is routed to, or None when no rule names it."""
    for pattern, queue in TASK_QUEUE_RULES:
        if fnmatchcase(name, pattern):
            return queue
    return None


def route_task(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any):
    """Celery router: by task name. An explicit ``queue=`` in apply_async wins
    (Celery merges the caller's options over the route)."""
    queue = queue_for_task(name)
    return {"queue": queue} if queue else None


app.conf.task_default_queue = DEFAULT_QUEUE
app.conf.task_routes = (route_task,)
# Acknowledge after the job ran and re-queue it when its worker dies, one job
# at a time per process (settings/base.py says so too; repeated here so the
# guarantee does not depend on a settings module): every task is idempotent
# (claims by compare-and-set), so a redelivered job finishes or finds it done.
app.conf.task_acks_late = True
app.conf.task_reject_on_worker_lost = True
app.conf.worker_prefetch_multiplier = 1

# Beat runs once: each beat process waits for a lock in Redis before it
# schedules anything (tthc_portal/beat.py), so a second beat started by mistake
# sends nothing twice.
app.conf.beat_scheduler = "tthc_portal.beat:LockedScheduler"

app.conf.beat_schedule = {
    # Safety net: messages whose after-commit dispatch was lost (broker down,
    # worker killed) are picked up again.
    "notifications-flush-outbox": {
        "task": "tthc_portal.notifications.tasks.outbox_flush",
        "schedule": 60.0,
    },
    "procedures-activate-versions": {
        "task": "procedures.tasks.catalogue_activate",
        "schedule": crontab(minute=5),
    },
    "procedures-publication-sweep": {
        "task": "procedures.tasks.publication_sweep",
        "schedule": crontab(minute=15),
    },
    # Papers whose render was lost (worker killed, broker down at commit) are
    # re-queued one reclaim window (TTHC RENDER_RECLAIM_SECONDS, 2 min) after
    # their claim or dispatch; the sweep runs often so the delay stays short.
    "dossiers-requeue-documents": {
        "task": "dossiers.tasks.documents_requeue",
        "schedule": 30.0,
    },
    # Due-soon / overdue flags on dossiers and steps; heads asked for apologies.
    "dossiers-deadlines-sweep": {
        "task": "dossiers.tasks.deadlines_sweep",
        "schedule": crontab(minute="*/10"),
    },
    "feedback-sweep": {
        "task": "feedback.tasks.feedback_sweep",
        "schedule": crontab(minute="*/15"),
    },
    # 766 recomputations asked for while the broker was down.
    "indicators-requeue-runs": {
        "task": "indicators.tasks.recompute_runs_requeue",
        "schedule": 60.0,
    },
    "indicators-nightly": {
        "task": "indicators.tasks.compute_current_period",
        "schedule": crontab(hour=1, minute=30),
    },
    # National sync: whatever is due (backoffs, lost dispatches); the commit of
    # each transition dispatches its dossier at once.
    "integrations-sync-flush": {
        "task": "integrations.tasks.sync_flush",
        "schedule": 30.0,
    },
    # Messages from DVCQG the push did not deliver (LayHoSoMoi / XacNhanHoSoMoi).
    "integrations-inbound-pull": {
        "task": "integrations.tasks.inbound_pull",
        "schedule": 300.0,
    },
    # National procedures changed since the last run → draft versions to review.
    "integrations-catalogue-pull": {
        "task": "integrations.tasks.catalogue_pull",
        "schedule": crontab(hour=2, minute=10),
    },
    # Official figures before the nightly 766 computation, which reads them.
    "integrations-national-figures-nightly": {
        "task": "integrations.tasks.national_figures_nightly",
        "schedule": crontab(hour=1, minute=0),
    },
    # PayGov QUERY for payments whose confirmation never arrived (and yesterday's paid).
    "integrations-paygov-reconcile": {
        "task": "integrations.tasks.paygov_reconcile_daily",
        "schedule": crontab(hour=2, minute=15),
    },
    "integrations-reconcile-nightly": {
        "task": "integrations.tasks.reconcile_nightly",
        "schedule": crontab(hour=2, minute=0),
    },
    "integrations-sync-alert": {
        "task": "integrations.tasks.sync_alert_check",
        "schedule": crontab(minute="*/15"),
    },
    "integrations-sync-log-purge": {
        "task": "integrations.tasks.sync_log_purge",
        "schedule": crontab(hour=3, minute=15),
    },
    "indicators-nightly-quarter-year": {
        "task": "indicators.tasks.compute_current_quarter_year",
        "schedule": crontab(hour=1, minute=50),
    },
    "receipts-sweep": {"task": "receipts.tasks.receipts_sweep", "schedule": 60.0},
    "queueing-appointment-reminders": {
        "task": "queueing.tasks.appointment_reminders_send",
        "schedule": crontab(hour=16, minute=0),
    },
    "web-idempotency-purge": {
        "task": "tthc_portal.web.tasks.submissions_purge",
        "schedule": crontab(hour=3, minute=40),
    },
    "workdays-ensure-next-year": {
        "task": "tthc_portal.workdays.tasks.calendar_ensure_years",
        "schedule": crontab(hour=1, minute=5),
    },
    # PostgreSQL: next months' partitions ahead, months past retention archived.
    "web-partitions-maintain": {
        "task": "tthc_portal.web.tasks.partitions_maintain",
        "schedule": crontab(hour=2, minute=20),
    },
    # Records retention (Law on Archives 2024): this month's disposal lists.
    "records-disposal-propose": {
        "task": "records.tasks.disposal_propose",
        "schedule": crontab(day_of_month=1, hour=3, minute=20),
    },
    # Approved lists whose destruction task was lost (Circular 06/2025: within 15 days).
    "records-disposal-execute-due": {
        "task": "records.tasks.disposal_execute_due",
        "schedule": crontab(hour=3, minute=45),
    },
    "notifications-purge": {
        "task": "tthc_portal.notifications.tasks.notifications_purge",
        "schedule": crontab(hour=3, minute=50),
    },
}
