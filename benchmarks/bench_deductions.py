"""Speed of the deduction engine (targets of issue 3; figures recorded in docs/deductions.md).

One run prints:
* the whole ``osms-defects deduct`` job on an N-row CSV (read, deduct_frame, write) against
  polars just reading that file (target: within 3×);
* the scalar path's findings per second, ``deduct()`` on prebuilt ``Finding`` objects and
  ``deduct_many`` on rows of text (target: at least 200,000 per second), each with the results
  kept in a list and streamed (each result dropped once used: what ``deduct_many`` is for).

Usage: python benchmarks/bench_deductions.py [N]   (default 1,000,000; try 100000 first)
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

import polars as pl

from osms_defects.classifier import load_classifier
from osms_defects.cli import build_parser, deduct_cmd
from osms_defects.deductions import Finding, Resolver, deduct, deduct_many
from osms_defects.deductions.frame import deduct_frame
from osms_defects.deductions.io import read_findings, write_deductions

OUT = Path(__file__).resolve().parent / "_data"

# (code, care type) pairs that Annex 1 prices, plus a few that are errors on purpose
PAIRS = [("5.2", "inpatient"), ("6.1", "inpatient"), ("3.3", "inpatient"), ("4.0", "inpatient"),
         ("1.1", "ambulatory_capitation"), ("6.7", "ambulatory_capitation"),
         ("7.1", "ambulatory_service"), ("8.2", "emergency"), ("9.0", "emergency"),
         ("10.0", "tuberculosis"), ("6.1", "tuberculosis"), ("8.1", "mental_health"),
         ("2.1", "inpatient"), ("11.0", "inpatient"), ("12.0", "rural")]  # fmt: skip
KINDS = ["current"] * 6 + ["unplanned", "targeted", "mortality", "proactive"]


def synthetic(n: int, seed: int = 20230515) -> pl.DataFrame:
    rnd = random.Random(seed)
    start = dt.date(2022, 10, 16)
    rows = []
    for i in range(n):
        code, care = rnd.choice(PAIRS)
        if rnd.random() < 0.002:
            code = "5.0"  # group code: an error row
        tiyn = rnd.randrange(1, 50_000_000)
        amount = f"{tiyn // 100}.{tiyn % 100:02d}"
        kind = rnd.choice(KINDS)
        det = start + dt.timedelta(days=rnd.randrange(450))
        rows.append(
            (
                f"F{i:08d}",
                f"P{rnd.randrange(200):03d}",
                f"C{rnd.randrange(n // 2 + 1):08d}",
                code,
                care,
                "" if code == "11.0" else amount,
                amount if code == "11.0" else "",
                kind,
                det.isoformat(),
                (det + dt.timedelta(days=3)).isoformat() if kind == "proactive" else "",
            )
        )
    cols = ["finding_id", "provider_id", "case_id", "code", "care_type", "base_amount",
            "documented_amount", "monitoring_kind", "detected_on", "conclusion_signed_on"]  # fmt: skip
    return pl.DataFrame(rows, schema=dict.fromkeys(cols, pl.String), orient="row")


def best(fn: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    OUT.mkdir(exist_ok=True)
    src = OUT / f"findings_{n}.csv"
    if not src.exists():
        synthetic(n).write_csv(src)
    dst = OUT / f"deductions_{n}.csv"
    load_classifier()  # warm the classifier cache (loaded once per process in real use)
    deduct_frame(synthetic(100))  # warm the penalty table

    def read() -> None:
        pl.read_csv(src, infer_schema=False)


    def job() -> None:
        # the CLI's own run(): read, check, deduct, write, summary (stderr is quiet here)
        # parsed by the CLI's own parser: every option at its default, whatever the version
        args = build_parser().parse_args(["deduct", str(src), "-o", str(dst)])
        err, sys.stderr = sys.stderr, io.StringIO()
        try:
            deduct_cmd.run(args)
        finally:
            sys.stderr = err

    # the baseline and the job measured in alternation, so that both see the same load
    pairs = []
    for _ in range(3):
        pairs.append((best(read, 1), best(job, 1)))
    t_read = min(p[0] for p in pairs)
    t_job = min(p[1] for p in pairs)
    pair_ratios = sorted(j / r for r, j in pairs)
    df = read_findings(src)
    t_frame = best(lambda: deduct_frame(df))
    out = deduct_frame(df)

    def write() -> None:
        with dst.open("wb") as fh:
            write_deductions(out, fh, "csv")

    t_write = best(write)

    def floor() -> None:  # polars alone: read the input, write the (precomputed) output
        pl.read_csv(src, infer_schema=False)
        out.write_csv(dst)

    t_floor = best(floor)
    size_in, size_out = src.stat().st_size, dst.stat().st_size
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"rows: {n:,}   load average before: {load}   cores: {os.cpu_count()}")
    print(f"polars read_csv (baseline):        {t_read:8.3f} s")
    print(f"deduct job (read+deduct+write):    {t_job:8.3f} s   ratio {t_job / t_read:5.2f}x (target <= 3x)")
    print("  ratio of each (read, job) pair:   " + ", ".join(f"{x:.2f}x" for x in pair_ratios))
    print(f"deduct_frame alone:                {t_frame:8.3f} s   ratio {t_frame / t_read:5.2f}x")

    print(f"write_csv of the result alone:     {t_write:8.3f} s   ratio {t_write / t_read:5.2f}x "
          f"(output {size_out / 1e6:.0f} MB vs input {size_in / 1e6:.0f} MB)")  # fmt: skip
    print(f"polars alone: read + write output: {t_floor:8.3f} s   ratio {t_floor / t_read:5.2f}x "
          "(no deduction at all: the floor of the job's ratio)")  # fmt: skip

    m = min(n, 200_000)
    rows = df.head(m).to_dicts()
    findings = [
        Finding(
            code=r["code"],
            care_type=r["care_type"],
            detected_on=dt.date.fromisoformat(r["detected_on"]),
            monitoring_kind=r["monitoring_kind"],
            base_amount=r["base_amount"] or None,
            documented_amount=r["documented_amount"] or None,
            conclusion_signed_on=(
                dt.date.fromisoformat(r["conclusion_signed_on"])
                if r["conclusion_signed_on"]
                else None
            ),
        )
        for r in rows
    ]
    res = Resolver(load_classifier())

    def stream_findings() -> None:  # as a streaming caller: each result used, then dropped
        for f in findings:
            deduct(f, res)

    def stream_rows() -> None:
        for _ in deduct_many(rows, res):
            pass

    # alternated, best of 3 each: kept in a list (the cyclic garbage collector then walks the
    # growing list and the 200,000 inputs on each full collection) and streamed
    t_scalar = t_rows = t_s_stream = t_r_stream = float("inf")
    for _ in range(3):
        t_scalar = min(t_scalar, best(lambda: [deduct(f, res) for f in findings], 1))
        t_s_stream = min(t_s_stream, best(stream_findings, 1))
        t_rows = min(t_rows, best(lambda: list(deduct_many(rows, res)), 1))
        t_r_stream = min(t_r_stream, best(stream_rows, 1))
    print(f"scalar deduct(Finding), kept:      {len(findings) / t_scalar:12,.0f} findings/s (target >= 200,000)")
    print(f"scalar deduct(Finding), streamed:  {len(findings) / t_s_stream:12,.0f} findings/s (target >= 200,000)")
    print(f"scalar deduct_many(rows), kept:    {len(rows) / t_rows:12,.0f} rows/s")
    print(f"scalar deduct_many(rows), streamed:{len(rows) / t_r_stream:12,.0f} rows/s")
    print("load average after: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
