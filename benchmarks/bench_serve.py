"""Load test of ``osms-defects serve``: N concurrent clients post batches of findings to
``POST /deduct`` and the script reports requests/s, findings/s, p50/p99 latency and errors.

Bounded in count and in time (``--requests``, ``--duration``), localhost only: it starts its
own server on a free 127.0.0.1 port (``--workers``) unless ``--url`` names one, and refuses a
URL that is not a loopback address. Every answer is checked: HTTP 200, one deduction per
finding, and the batch's total equal to the library's (computed once, before the run); any
other answer is an error.

    python benchmarks/bench_serve.py                       # 8 clients, 100 findings a batch
    python benchmarks/bench_serve.py --clients 32 --batch 1000 --requests 400 --workers 2

Figures measured are in docs/serve.md.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests/serve_server.py: the server in a subprocess

from tests.serve_server import running_server  # noqa: E402


def batch_rows(size: int, request: int) -> list[dict[str, Any]]:
    """``size`` findings from examples/findings_clean.csv (cycled), with ids unique to the
    request (a repeated finding_id would be a duplicate error, not a deduction)."""
    from osms_defects.deductions.io import read_findings

    base = read_findings(REPO / "examples" / "findings_clean.csv").to_dicts()
    rows = []
    for i in range(size):
        row = dict(base[i % len(base)])
        row["finding_id"] = f"R{request}-F{i}"
        row["case_id"] = f"R{request}-C{i // 3}"
        rows.append(row)
    return rows


def expected_total(rows: list[dict[str, Any]]) -> str:
    from osms_defects.deductions.engine import deduct_many

    total = sum(
        (d.amount for d in deduct_many(rows) if d.status.value == "deducted" and d.amount),
        Decimal("0"),
    )
    return f"{total:.2f}"


def _loopback(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _run(url: str, args: argparse.Namespace) -> dict[str, Any]:
    # one body for every request (ids unique within it); its expected total from the library
    rows = batch_rows(args.batch, 0)
    body = json.dumps({"findings": rows}).encode()
    want_total = expected_total(rows)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    next_request = 0
    stop_at = time.monotonic() + args.duration
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)

    async with httpx.AsyncClient(base_url=url, timeout=args.timeout, limits=limits) as client:

        async def one_client() -> None:
            nonlocal next_request
            while next_request < args.requests and time.monotonic() < stop_at:
                next_request += 1
                t0 = time.perf_counter()
                try:
                    r = await client.post(
                        "/deduct", content=body, headers={"content-type": "application/json"}
                    )
                    dt = time.perf_counter() - t0
                    if r.status_code != 200:
                        why = f"HTTP {r.status_code}"
                    else:
                        got = r.json()
                        ok = (
                            len(got["deductions"]) == len(rows)
                            and got["summary"]["total"] == want_total
                            and got["summary"]["errors"] == 0
                        )
                        why = "" if ok else "wrong answer"
                except httpx.HTTPError as exc:
                    dt = time.perf_counter() - t0
                    why = type(exc).__name__
                if why:
                    errors[why] = errors.get(why, 0) + 1
                else:
                    latencies.append(dt)

        t0 = time.perf_counter()
        await asyncio.gather(*(one_client() for _ in range(args.clients)))
        elapsed = time.perf_counter() - t0

    done = len(latencies)
    lat = sorted(latencies)

    def pct(p: float) -> float:
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else float("nan")

    return {
        "clients": args.clients,
        "batch": args.batch,
        "workers": args.workers if not args.url else None,
        "requests_ok": done,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "seconds": round(elapsed, 2),
        "requests_per_s": round(done / elapsed, 1) if elapsed else 0.0,
        "findings_per_s": round(done * args.batch / elapsed) if elapsed else 0,
        "p50_ms": round(pct(0.50), 1),
        "p99_ms": round(pct(0.99), 1),
        "mean_ms": round(statistics.fmean(lat) * 1000, 1) if lat else float("nan"),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    p.add_argument("--batch", type=int, default=100, help="findings per request (default 100)")
    p.add_argument("--requests", type=int, default=400, help="requests in all (default 400)")
    p.add_argument("--duration", type=float, default=60, help="stop after S seconds (default 60)")
    p.add_argument("--timeout", type=float, default=60, help="per-request timeout (default 60 s)")
    p.add_argument("--workers", type=int, default=1, help="server worker processes (default 1)")
    p.add_argument("--url", help="a running server on this machine (default: start one)")
    args = p.parse_args(argv)
    if not (0 < args.requests <= 100_000 and 0 < args.duration <= 600 and args.clients <= 256):
        p.error("bounded runs only: --requests 1..100000, --duration ≤ 600 s, --clients ≤ 256")
    if args.url:
        if not _loopback(args.url):
            p.error(f"{args.url}: not a loopback address; the load test targets this machine only")
        result = asyncio.run(_run(args.url, args))
    else:
        with running_server("--workers", str(args.workers), "--log-level", "error") as url:
            result = asyncio.run(_run(url, args))
    print(json.dumps(result, ensure_ascii=False))
    print(
        f"| {result['clients']} | {result['batch']} | {args.workers} | {result['requests_ok']} | "
        f"{result['requests_per_s']} | {result['findings_per_s']:,} | {result['p50_ms']} | "
        f"{result['p99_ms']} | {result['errors']} |"
    )
    return result


if __name__ == "__main__":
    main()
