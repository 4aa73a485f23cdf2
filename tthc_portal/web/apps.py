from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "tthc_portal.web"
    label = "web"
    verbose_name = _("Giao diện")

    def ready(self) -> None:
        # Registers the portal's own `check --deploy` checks (demo parts).
        from celery.signals import task_postrun, task_prerun

        from tthc_portal import job_metrics
        from tthc_portal.metrics import collector_register, outbox_backlog

        from . import checks  # noqa: F401

        collector_register("notifications.outbox_backlog", outbox_backlog)
        collector_register("jobs.durations", job_metrics.job_families)
        collector_register("jobs.queues", job_metrics.queue_families)
        # Every job's duration and last success, recorded where it runs (the worker).
        task_prerun.connect(_job_started, weak=False, dispatch_uid="tthc-job-started")
        task_postrun.connect(_job_finished, weak=False, dispatch_uid="tthc-job-finished")


def _job_started(task_id=None, **kwargs) -> None:
    from tthc_portal.job_metrics import job_started

    if task_id:
        job_started(task_id)


def _job_finished(task_id=None, task=None, state=None, **kwargs) -> None:
    from tthc_portal.job_metrics import job_finished

    if task_id and task is not None:
        job_finished(task_id, task.name, ok=state == "SUCCESS")
