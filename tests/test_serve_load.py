"""benchmarks/bench_serve.py runs (a small, bounded run: localhost, 40 requests): concurrent
clients posting batches get every answer right, with zero errors. The figures of a full run
are in docs/serve.md; this test only keeps the script working."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_load_script_small_run() -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_serve
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    result = bench_serve.main(["--clients", "4", "--batch", "20", "--requests", "40",
                               "--duration", "60"])  # fmt: skip
    assert result["errors"] == 0, result["error_kinds"]
    assert result["requests_ok"] == 40
    assert result["p50_ms"] > 0 and result["findings_per_s"] > 0


def test_load_script_refuses_other_hosts() -> None:
    import pytest

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import bench_serve
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    for url in ("http://10.0.0.1:8080", "http://example.org", "http://192.168.1.2"):
        with pytest.raises(SystemExit):
            bench_serve.main(["--url", url, "--requests", "1"])
