"""Settings of the worker processes started by tests/ops_queues/test_worker_killed.py.

The test settings (same media folder as the test process), with Redis handing
back the job of a dead worker after 3 seconds instead of an hour
(``visibility_timeout``), checked every second: the test waits seconds, not
the production timeout, for the same mechanism.
"""

from tthc_portal.settings.test import *  # noqa: F403
from tthc_portal.settings.test import CELERY_BROKER_TRANSPORT_OPTIONS

VISIBILITY_TIMEOUT = 3

CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,
    "visibility_timeout": VISIBILITY_TIMEOUT,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
