"""pyHanko runs its own asyncio loop (``asyncio.run``) inside its synchronous
API, which fails when the caller's thread already runs a loop (an async view,
or a test driving Playwright). Such calls go to a short-lived worker thread;
they touch no database connection, only the bytes and keys already loaded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def off_loop(fn: Callable[[], T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()
