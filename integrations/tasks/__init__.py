"""Celery tasks of the integrations app: thin, they load ids and call services.

One module per concern; Celery's autodiscovery imports this package."""

from ..paygov.tasks import paygov_reconcile_daily  # noqa: F401
from .inbound import *  # noqa: F403
from .reconcile import *  # noqa: F403
from .sync import *  # noqa: F403
