"""`make bench`: every benchmark, printing measured figures (never a pass/fail test).

`python -m benchmarks sync indicators` runs only the named modules."""

from __future__ import annotations

import sys
import time

from .harness import machine, setup

MODULES = (
    "calendar", "catalogue", "dossiers", "search", "queueing", "bulk", "indicators",
    "publication", "sync",
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    names = sys.argv[1:] if argv is None else argv
    unknown = [name for name in names if name not in MODULES]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(MODULES)}")
        return 2
    setup()
    from . import (
        bulk,
        calendar,
        catalogue,
        dossiers,
        indicators,
        publication,
        queueing,
        search,
        sync,
    )

    modules = {"calendar": calendar, "catalogue": catalogue, "dossiers": dossiers,
               "search": search, "queueing": queueing, "bulk": bulk, "indicators": indicators,
               "publication": publication, "sync": sync}  # fmt: skip
    print(f"# TTHC portal benchmarks — {machine()}")
    started = time.perf_counter()
    for name in names or MODULES:
        modules[name].run()
    print(f"\nTotal {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
