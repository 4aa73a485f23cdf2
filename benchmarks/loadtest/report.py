"""Print Locust's CSV statistics as the load test's summary table."""

from __future__ import annotations

import csv
import sys


def rows(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(bare_csv: str, mix_csv: str, users: str, seconds: str, catalogue_csv: str = "") -> None:
    bare = next(r for r in rows(bare_csv) if r["Name"] == "Aggregated")
    bare_rps = float(bare["Requests/s"])
    print(
        f"\nReference: bare Django view {bare_rps:.0f} requests/s "
        f"(p95 {bare['95%']} ms, {bare['Failure Count']} errors)"
    )
    if catalogue_csv:
        alone = next(r for r in rows(catalogue_csv) if r["Name"] == "Aggregated")
        rps = float(alone["Requests/s"])
        print(
            f"Catalogue page alone: {rps:.0f} requests/s = {rps / bare_rps:.0%} of the bare view "
            f"(p95 {alone['95%']} ms, {alone['Failure Count']} errors)"
        )
    print(f"Peak mix: {users} users for {seconds} s\n")
    header = f"{'request':42} {'count':>7} {'err':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
    print(header)
    print("-" * len(header))
    for r in rows(mix_csv):
        name = r["Name"] if r["Name"] != "Aggregated" else "ALL"
        print(
            f"{name[:42]:42} {r['Request Count']:>7} {r['Failure Count']:>5} "
            f"{float(r['Requests/s']):7.1f} {r['50%']:>6} {r['95%']:>6} {r['99%']:>6}"
        )
    print("\n(times in ms; page views target p95 ≤ 300 ms, submissions with uploads ≤ 1 s)")


if __name__ == "__main__":
    main(*sys.argv[1:6])
