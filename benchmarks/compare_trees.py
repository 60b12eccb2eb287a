"""Before/after speed of two source trees in ONE run on one machine (issue 16, "Speed kept").

Runs the benchmark scripts of this directory (``bench_deductions.py``: the ``deduct`` job,
``deduct_frame``, the scalar path; ``bench_screening.py``: screening a register) with
``PYTHONPATH`` pointing at each tree's ``src/`` in turn, alternating the trees ``--rounds`` times
so that both see the same load, and prints every figure of every round side by side.

    python benchmarks/compare_trees.py --before /path/to/old/checkout --after . \\
        [--n 1000000] [--screen-n 1000000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NUMBER = re.compile(r"([\d,]+\.?\d*)\s*(s|findings/s|rows/s|x)\b")


def run(tree: Path, script: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    done = subprocess.run(
        [sys.executable, str(HERE / script), *args], env=env, capture_output=True, text=True,
        check=False,
    )
    if done.returncode != 0:
        return f"FAILED ({done.returncode}): {done.stderr[-2000:]}"
    return done.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--before", type=Path, required=True)
    ap.add_argument("--after", type=Path, required=True)
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--screen-n", type=int, default=1_000_000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only", choices=("deductions", "screening"), help="run one benchmark only")
    a = ap.parse_args()
    for r in range(1, a.rounds + 1):
        for name, tree in (("before", a.before), ("after", a.after)):
            if a.only == "screening":
                break
            print(f"===== round {r}: {name} ({tree}) — deductions, {a.n:,} findings", flush=True)
            print(run(tree, "bench_deductions.py", str(a.n)), flush=True)
        for name, tree in (("before", a.before), ("after", a.after)):
            if a.only == "deductions":
                break
            print(f"===== round {r}: {name} ({tree}) — screening, {a.screen_n:,} records", flush=True)
            print(
                run(tree, "bench_screening.py", "--n", str(a.screen_n), "--repeat", "2",
                    "--keep", str(HERE / "_data"), "--format", "parquet"),
                flush=True,
            )


if __name__ == "__main__":
    main()
