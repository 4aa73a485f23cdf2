"""The Celery application.

Tasks stay thin: they load ids and call a service. Periodic jobs are declared
here so the schedule is reviewed with the code that runs it.
"""

import os

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


# Papers (receipts, results) have their own queue, so a backlog of other jobs
# never delays the PDF a citizen is waiting for. Every worker command
# (scripts/run-dev, docker-compose.yml) must consume it: -Q celery,documents.
DOCUMENTS_QUEUE = "documents"
app.conf.task_routes = {"dossiers.tasks.document_render": {"queue": DOCUMENTS_QUEUE}}

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
}
