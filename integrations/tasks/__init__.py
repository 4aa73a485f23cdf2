"""Celery tasks of the integrations app: thin, they load ids and call services.

One module per concern; Celery's autodiscovery imports this package."""

from .inbound import *  # noqa: F403
from .reconcile import *  # noqa: F403
from .sync import *  # noqa: F403
