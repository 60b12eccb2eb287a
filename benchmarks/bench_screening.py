"""Screening speed and memory on a generated register (issue 5).

Generates a realistic register (default 10,000,000 records: 80 % services, 10 %
hospitalizations, 9 % emergency calls, 1 % deaths, over 2023, with patterns planted at known
rates), writes it as Parquet, then prints in ONE run:

* the time polars takes just to read the file (the baseline),
* the time of ``screen()`` on the same file (read + validate + all six rules),
* their ratio (target ≤ 4×) and the peak memory of the process (target < 4 GiB),
* the planted patterns against what the rules found.

    PYTHONPATH=src python benchmarks/bench_screening.py --n 200000
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from osms_defects.screening import screen


def generate(n: int, seed: int = 7) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    n_patients = max(n // 8, 10)
    n_providers = max(n // 5000, 5)
    base = np.datetime64("2023-01-01")
    kinds = rng.choice(4, size=n, p=[0.80, 0.10, 0.09, 0.01])
    day = base + rng.integers(0, 365, size=n).astype("timedelta64[D]")
    patient = rng.integers(0, n_patients, size=n)
    provider = rng.integers(0, n_providers, size=n)
    # services: 2 % PCR, 20 % with a referral 0..14 days before (КДУ)
    code = np.where(rng.random(n) < 0.02, "PCR-COVID19", "A" + (rng.integers(0, 500, n)).astype(str))
    referred = day - rng.integers(0, 15, size=n).astype("timedelta64[D]")
    has_ref = rng.random(n) < 0.20
    stay = rng.integers(0, 12, size=n).astype("timedelta64[D]")
    minutes = rng.integers(0, 24 * 60, size=n).astype("timedelta64[m]")
    reg_delay = rng.integers(0, 14, size=n).astype("timedelta64[D]")
    is_s, is_h, is_c, is_d = (kinds == k for k in range(4))
    nat = np.datetime64("NaT")
    df = pl.DataFrame(
        {
            "record_id": np.char.add("R", np.arange(n).astype(str)),
            "record_type": np.array(["service", "hospitalization", "emergency_call", "death"])[kinds],
            "patient_id": np.char.add("8", np.char.zfill(patient.astype(str), 11)),
            "provider_id": np.char.add("PRV", provider.astype(str)),
            "care_type": np.array(["ambulatory_service", "inpatient", "emergency", "ambulatory_capitation"])[kinds],
            "service_code": np.where(is_s, code, ""),
            "service_date": np.where(is_s, day, nat),
            "admitted_on": np.where(is_h, day, nat),
            "discharged_on": np.where(is_h, day + stay, nat),
            "referred_on": np.where(is_s & has_ref, referred, nat),
            "call_at": np.where(is_c, day.astype("datetime64[m]") + minutes, np.datetime64("NaT", "m")).astype("datetime64[ms]"),
            "died_on": np.where(is_d, day, nat),
            "death_registered_on": np.where(is_d, day + reg_delay, nat),
        }
    )
    # planted exact duplicates: 0.5 % of services copied with a new id
    dup = df.filter(pl.col("record_type") == "service").sample(fraction=0.005, seed=seed)
    dup = dup.with_columns(pl.format("D{}", pl.col("record_id")).alias("record_id"))
    return pl.concat([df, dup]).with_columns(
        pl.col("service_date", "admitted_on", "discharged_on", "referred_on", "died_on", "death_registered_on").cast(pl.Date),
        pl.col("call_at").cast(pl.Datetime("us")),
        pl.when(pl.col("service_code") == "").then(None).otherwise(pl.col("service_code")).alias("service_code"),
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000_000, help="records (default 10,000,000)")
    ap.add_argument("--csv", action="store_true", help="use CSV instead of Parquet")
    args = ap.parse_args()
    t = time.perf_counter()
    df = generate(args.n)
    print(f"generated {df.height:,} records in {time.perf_counter() - t:.1f}s", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("register.csv" if args.csv else "register.parquet")
        if args.csv:
            df.write_csv(path)
        else:
            df.write_parquet(path)
        planted_dups = df.filter(pl.col("record_id").str.starts_with("D")).height
        del df
        t = time.perf_counter()
        read = pl.read_csv(path, infer_schema=False) if args.csv else pl.read_parquet(path)
        read_s = time.perf_counter() - t
        rows = read.height
        del read
        t = time.perf_counter()
        res = screen(path)
        screen_s = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux → GiB
    fmt = "CSV" if args.csv else "Parquet"
    print(f"records:            {rows:,} ({fmt})")
    print(f"polars read:        {read_s:8.2f} s")
    print(f"screen (all rules): {screen_s:8.2f} s   ratio {screen_s / read_s:5.2f}x (target <= 4x)")
    print(f"peak memory (RSS):  {peak:8.2f} GiB (target < 4 GiB)")
    print(f"data errors:        {res.errors.height:,}")
    print(f"planted duplicates: {planted_dups:,} copies (each flags >= 2 records)")
    for r in res.by_rule().iter_rows(named=True):
        print(f"  {r['rule']:<24} {r['code']:<5} {r['potential_defects']:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
