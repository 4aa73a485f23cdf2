"""Beat runs once: two beat processes on a real Redis, the second started by
mistake waits on the lock and sends nothing; when the first is killed (SIGKILL,
no clean release) the second takes over within the lock's TTL.

The beats are real `celery beat` processes of the project's app and scheduler
(tests/ops_queues/beat_launcher.py only swaps the schedule for one job every
half second to a private queue); who sent each job is read from the message's
``origin`` header (``gen<pid>@host``).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

REPO = Path(__file__).resolve().parents[2]
TTL = 2.0
TIMEOUT = 30.0


class Beats:
    def __init__(self, redis_url: str, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.queue = f"test-beat-{uuid.uuid4().hex[:10]}"
        self.lock_key = f"test:beat:lock:{self.queue}"
        self.client = redis.Redis.from_url(redis_url)
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("CELERY_", "DJANGO_", "TTHC_BEAT_"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="tthc_portal.settings.base",
            REDIS_URL=redis_url,
            TTHC_BEAT_LOCK_KEY=self.lock_key,
            TTHC_BEAT_LOCK_TTL=str(TTL),
            PYTHONUNBUFFERED="1",
        )
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(self) -> subprocess.Popen[bytes]:
        number = len(self.processes) + 1
        log = self.tmp_path / f"beat-{number}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.ops_queues.beat_launcher", self.queue,
                 str(self.tmp_path / f"schedule-{number}")],
                cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self.processes.append((process, log))
        return process

    def senders(self) -> list[int]:
        """The pid of the process that sent each job in the queue, oldest first."""
        raw = self.client.lrange(self.queue, 0, -1)
        origins = [json.loads(item)["headers"]["origin"] for item in reversed(raw)]
        return [int(origin.split("@")[0].removeprefix("gen")) for origin in origins]

    def log(self, process: subprocess.Popen[bytes]) -> str:
        path = next(log for p, log in self.processes if p is process)
        return path.read_text(errors="replace")

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}"
            for _, log in self.processes
        )

    def wait_for(self, condition: Callable[[], Any], what: str) -> Any:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        pytest.fail(f"timed out waiting for {what}\n{self.logs()}")

    def stop_all(self) -> None:
        for process, _ in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        self.client.delete(self.queue, self.lock_key)


@pytest.fixture
def beats(redis_url: str, tmp_path: Path) -> Iterator[Beats]:
    group = Beats(redis_url, tmp_path)
    try:
        yield group
    finally:
        group.stop_all()


def test_a_second_beat_waits_and_takes_over_when_the_first_dies(beats: Beats) -> None:
    first = beats.start()
    beats.wait_for(lambda: len(beats.senders()) >= 2, "the first beat to send jobs")
    second = beats.start()
    beats.wait_for(lambda: "waiting for the beat lock" in beats.log(second), "the second beat")

    # Longer than two TTLs: the holder renews its lock at every tick, so the
    # second one keeps waiting and every job comes from the first.
    time.sleep(2.5 * TTL)
    assert second.poll() is None, beats.logs()
    assert "acquired" not in beats.log(second)
    sent_while_both_ran = beats.senders()
    assert set(sent_while_both_ran) == {first.pid}, beats.logs()
    assert len(sent_while_both_ran) >= 8  # the holder kept scheduling meanwhile

    # The holder dies without releasing: the lock expires, the second takes over.
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=10)
    killed_at = time.monotonic()
    beats.wait_for(lambda: second.pid in beats.senders(), "the second beat to take over")
    assert time.monotonic() - killed_at < TTL + 5
    assert "acquired" in beats.log(second)
    senders = beats.senders()
    # The first beat's jobs, then the second's: never both at once.
    switch = senders.index(second.pid)
    assert set(senders[:switch]) == {first.pid} and set(senders[switch:]) == {second.pid}
