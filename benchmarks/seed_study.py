"""The README's first command (natrium demo, the seed study) timed as a user
runs it: a new process, a new output folder, then again on the same folder
(everything already stored: only the report is written).

Goal (issue 13): under 2 minutes on 2 cores from a fresh install.

Run: python benchmarks/seed_study.py [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_S = 120.0


def _demo(out: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "natrium", "demo", "--out", str(out), "--json"],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    fresh, stored = [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "seed"
            fresh.append(_demo(out))
            stored.append(_demo(out))
    new, again = statistics.median(fresh), statistics.median(stored)
    print(f"seed study, new folder:      median {new:6.1f} s (min {min(fresh):.1f})")
    print(f"seed study, already stored:  median {again:6.1f} s")
    print(f"share of the 2-minute goal:  {new / GOAL_S:.0%} (goal < 100 %)")
    print(f"computing against resuming:  {new / again:.1f}x")


if __name__ == "__main__":
    main()
