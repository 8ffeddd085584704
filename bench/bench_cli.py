"""The command line's own cost: start time against ``python -c pass``, and many files on every core.

    python bench/bench_cli.py [--runs N]

Each command runs as a fresh process, as a user runs it; wall time is the median of
``--runs`` runs (the machine's other work shows in the spread, so the baseline is taken in
the same run).  ``report parse`` of many files is timed against the same files read one
after another in one process, which says what the worker pool brings.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def wall(command: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    python = [sys.executable]
    gongkai = [sys.executable, "-m", "gongkai"]
    seed = str(sorted((FIXTURES / "seeds").glob("*.txt"))[0])
    texts = [str(p) for p in sorted((FIXTURES / "layouts").glob("*.txt")) + sorted((FIXTURES / "layouts").glob("*.md"))]
    texts += [str(p) for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    many = texts * max(1, 200 // len(texts))

    baseline = wall([*python, "-c", "pass"], args.runs)
    print(f"{'command':<44} {'wall (s)':>9} {'over python -c pass':>20}")
    for title, command in [
        ("python -c pass", [*python, "-c", "pass"]),
        ("gongkai --help", [*gongkai, "--help"]),
        ("gongkai report parse ONE.txt --json", [*gongkai, "report", "parse", seed, "--json"]),
        ("gongkai workdays is-workday 2024-10-08", [*gongkai, "workdays", "is-workday", "2024-10-08"]),
    ]:
        seconds = baseline if title == "python -c pass" else wall(command, args.runs)
        print(f"{title:<44} {seconds:>9.3f} {seconds - baseline:>19.3f}s")

    one_by_one = ("import sys; from gongkai.report.read import read_report\n"
                  "for name in sys.argv[1:]: read_report(name).dumps()")
    serial = wall([*python, "-c", one_by_one, *many], 1)
    pooled = wall([*gongkai, "report", "parse", *many, "--json"], 1)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"{len(many)} text reports: one process {len(many) / serial:.1f} reports/s, "
          f"gongkai report parse on {cores} cores {len(many) / pooled:.1f} reports/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
