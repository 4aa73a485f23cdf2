"""`make bench`: every benchmark, printing measured figures (never a pass/fail test)."""

from __future__ import annotations

import sys
import time

from .harness import machine, setup


def main() -> int:
    setup()
    from . import calendar, catalogue, dossiers, indicators

    print(f"# TTHC portal benchmarks — {machine()}")
    started = time.perf_counter()
    for module in (calendar, catalogue, dossiers, indicators):
        module.run()
    print(f"\nTotal {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
