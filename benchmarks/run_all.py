#!/usr/bin/env python
"""Every benchmark in one run, each printing its table, written together to ``benchmarks/results.md``.

Usage: .venv/bin/python benchmarks/run_all.py          (what `make bench` runs; BENCH_SECONDS a page, default 8)

The sizes are chosen so that the whole run stays under 20 minutes on a 2-core machine: the figures at those
sizes are the ones ``benchmarks/README.md`` reports with their targets. Each benchmark starts and stops its own
servers; they run one after the other, never at the same time, so one does not load the machine for another.
The results file starts with the commit, the date and the load average before and after each benchmark:
read a figure only against the baseline measured in its own section.
"""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.md"


def benchmarks(seconds):
    return [
        ("Public pages against the floor", ["pages.py", seconds]),
        ("Request submission against the floor's POST", ["submissions.py", seconds]),
        ("Passport lookup at 10 k, 1 M and 10 M tracked passports", ["passport_lookup.py", seconds]),
        ("The officers' queues at scale", ["officer_queue.py"]),
        ("Passport status import, 100,000 rows", ["passport_import.py", "100000"]),
        ("Outbox throughput, 5,000 emails", ["outbox_throughput.py", "5000"]),
        ("Passport status auto-reply, end to end", ["autoreply_latency.py", "200", "10"]),
    ]


def load():
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main():
    seconds = os.environ.get("BENCH_SECONDS") or "8"
    python = str(ROOT / ".venv" / "bin" / "python")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "unknown"
    started = time.monotonic()
    sections, failed = [], []
    for title, (script, *arguments) in benchmarks(seconds):
        print(f"== {title}", file=sys.stderr, flush=True)
        load_before, begun = load(), time.monotonic()
        result = subprocess.run([python, str(ROOT / "benchmarks" / script), *arguments], cwd=ROOT,
                                stdout=subprocess.PIPE, text=True)
        took = time.monotonic() - begun
        if result.returncode:
            failed.append(script)
        sections.append(
            f"## {title}\n\n`.venv/bin/python benchmarks/{' '.join([script, *arguments])}`: {took:.0f} s, load "
            f"average {load_before} before, {load()} after{'' if not result.returncode else ', **failed**'}\n\n"
            f"{result.stdout.strip()}\n")
    total = time.monotonic() - started
    header = (f"# Benchmark results\n\nWritten by `make bench` (`benchmarks/run_all.py`) at "
              f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on commit {commit}, {os.cpu_count()} cores: "
              f"{total / 60:.1f} minutes in all. What each figure is measured against, and its target, is in "
              f"`benchmarks/README.md`.\n")
    RESULTS.write_text("\n".join([header, *sections]))
    print(f"{RESULTS.relative_to(ROOT)} written: {total / 60:.1f} minutes", file=sys.stderr)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
