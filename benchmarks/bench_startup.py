"""Start-up time (issue 19): ``import osms_defects`` and ``osms-defects --version`` against
``import pydantic`` (the floor: the package's models are pydantic). Target: within 3x.

Each command runs in a fresh interpreter ``--runs`` times (default 15); the median wall time is
printed with its ratio to pydantic's. Exit 1 when a ratio is over ``--limit`` (default 3).

    python benchmarks/bench_startup.py [--runs N] [--limit 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

CASES: dict[str, list[str]] = {
    "import pydantic": [sys.executable, "-c", "import pydantic"],
    "import osms_defects": [sys.executable, "-c", "import osms_defects"],
    "osms-defects --version": [sys.executable, "-m", "osms_defects", "--version"],
    # for reference, not held to the target: what the lazy imports avoid
    "import polars (reference)": [sys.executable, "-c", "import polars"],
}
HELD = ("import osms_defects", "osms-defects --version")


def median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--limit", type=float, default=3.0)
    args = ap.parse_args()
    if shutil.which(sys.executable) is None:  # pragma: no cover
        return 2
    base = median_time(CASES["import pydantic"], args.runs)
    worst = 0.0
    print(f"{'command':<28} {'median s':>9} {'x pydantic':>11}")
    for name, cmd in CASES.items():
        t = base if name == "import pydantic" else median_time(cmd, args.runs)
        ratio = t / base
        if name in HELD:
            worst = max(worst, ratio)
        print(f"{name:<28} {t:>9.3f} {ratio:>11.2f}")
    print(f"worst held ratio {worst:.2f} (limit {args.limit})")
    return 0 if worst <= args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
