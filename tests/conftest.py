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


def _outcomes(terminalreporter: Any, test_file: str,
              outcomes: tuple[str, ...] = ("passed", "failed", "error", "skipped")) -> dict[str, int]:
    return {
        outcome: sum(1 for r in terminalreporter.stats.get(outcome, [])
                     if test_file in getattr(r, "nodeid", ""))
        for outcome in outcomes
    }  # fmt: skip


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Under CI (OSMS_REQUIRE_SPARK=1) the log says how the Spark tests ended (issue 18: the
    distributed path is proven, not skipped); likewise the screenshot tests (issue 20: every
    document printed by Chromium and LibreOffice and checked against its form), whenever they
    ran or OSMS_REQUIRE_SCREENSHOTS=1."""
    if os.environ.get("OSMS_REQUIRE_SPARK") == "1":
        counts = _outcomes(terminalreporter, "test_screening_spark.py")
        terminalreporter.write_line(
            "Spark (tests/test_screening_spark.py, a local session): "
            + ", ".join(f"{n} {k}" for k, n in counts.items())
        )
    counts = _outcomes(terminalreporter, "test_screenshots.py",
                       ("passed", "failed", "error", "skipped", "xfailed", "xpassed"))
    if os.environ.get("OSMS_REQUIRE_SCREENSHOTS") == "1" or any(counts.values()):
        from .rendering import VERSIONS, tool_version

        tools = ", ".join(VERSIONS.get(t) or tool_version(t) for t in ("chromium", "soffice"))
        terminalreporter.write_line(
            f"Screenshots ({tools}): "
            + ", ".join(f"{n} {k}" for k, n in counts.items())
            + " (xfailed: the renderers' known bugs, tests/test_screenshots.py KNOWN_BUGS)"
        )
