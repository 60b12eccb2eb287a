from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

import osms_defects as od

# Hypothesis checks properties, not speed: its per-example deadline (200 ms) failed on a loaded
# CI machine (a first example 270 ms, the next 6 ms). Speed targets live in benchmarks/.
settings.register_profile("osms", deadline=None)
settings.load_profile("osms")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def clf() -> od.Classifier:
    return od.load_classifier()


@pytest.fixture(scope="session")
def ed2022(clf: od.Classifier) -> od.Edition:
    return clf.edition(id="2022-10-16")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Under CI (OSMS_REQUIRE_SPARK=1) the log says how the Spark tests ended (issue 18: the
    distributed path is proven, not skipped)."""
    if os.environ.get("OSMS_REQUIRE_SPARK") != "1":
        return
    counts = {
        outcome: sum(1 for r in terminalreporter.stats.get(outcome, [])
                     if "test_screening_spark.py" in getattr(r, "nodeid", ""))
        for outcome in ("passed", "failed", "error", "skipped")
    }  # fmt: skip
    terminalreporter.write_line(
        "Spark (tests/test_screening_spark.py, a local session): "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )
