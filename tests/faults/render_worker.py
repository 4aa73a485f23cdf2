"""Test-only Celery worker launcher for tests/faults/test_render_worker_killed.py.

    python -m tests.faults.render_worker -Q documents --pool=solo ...

It runs the project's own Celery app unchanged, except that, when
RENDER_FAULT_SLOW_SECONDS and RENDER_FAULT_MARKER are set, the first render in
this worker (across its pool processes: the marker file records it) sleeps
after the paper was claimed, so the test can kill the process mid-render. The
marker holds the pid of the process that sleeps. Production code has no hook.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from celery import signals

SLOW_SECONDS = "RENDER_FAULT_SLOW_SECONDS"
MARKER = "RENDER_FAULT_MARKER"
RENDER_TASK = "dossiers.tasks.document_render"


@signals.task_prerun.connect
def _slow_first_render(sender: Any = None, **kwargs: Any) -> None:
    seconds = float(os.environ.get(SLOW_SECONDS) or 0)
    marker = os.environ.get(MARKER, "")
    if getattr(sender, "name", "") != RENDER_TASK or not seconds or not marker:
        return
    from dossiers.services.pdf import render

    if getattr(render.html_to_pdf, "fault_slow", False):
        return
    original = render.html_to_pdf

    def slow(html: str) -> bytes:
        # html_to_pdf runs after the claim: the row is "rendering" meanwhile.
        path = Path(marker)
        if not path.exists():
            path.write_text(str(os.getpid()))
            time.sleep(seconds)
        return original(html)

    slow.fault_slow = True  # type: ignore[attr-defined]
    render.html_to_pdf = slow


def main() -> None:
    from tthc_portal.celery import app

    app.worker_main(["worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
