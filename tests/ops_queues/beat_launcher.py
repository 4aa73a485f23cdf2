"""Test-only Celery beat launcher for tests/ops_queues/test_beat_runs_once.py.

    python -m tests.ops_queues.beat_launcher QUEUE SCHEDULE_FILE

The project's Celery app and its beat scheduler (tthc_portal.beat) unchanged,
except the schedule: one job every half second, published to a private queue
so the test can count who sent what without touching the real queues.
"""

from __future__ import annotations

import sys

TICK_TASK = "tests.ops_queues.beat_tick"


def main() -> None:
    from tthc_portal.celery import app

    queue, schedule_file = sys.argv[1], sys.argv[2]
    app.conf.beat_schedule = {
        "test-tick": {"task": TICK_TASK, "schedule": 0.5, "options": {"queue": queue}}
    }
    app.start(["beat", "--loglevel=INFO", "-s", schedule_file])


if __name__ == "__main__":
    main()
