"""examples/analysis.ipynb runs from top to bottom (so it never goes stale)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("osms_defects.deductions") is None
    or importlib.util.find_spec("nbclient") is None
    or importlib.util.find_spec("matplotlib") is None,
    reason="needs the deduction engine, nbclient and matplotlib",
)


def test_notebook_executes(monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.chdir(REPO)
    # the kernel runs this interpreter and imports the package from this checkout
    src = str(REPO / "src")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(REPO / "examples" / "analysis.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(REPO)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "ИТОГО" in html  # the report rendered as a table
    assert "********" in html  # ИИН masked in the conclusion
    # the second part: the Rules in force today (2026), checked on the executed outputs
    text = "".join(
        o.get("text", "") if o.get("output_type") == "stream" else o.get("data", {}).get("text/plain", "")
        for o in outputs
    )
    # the 2026 edition as an HTML table (its order: Annex 1 as rewritten by order No. 19)
    assert "27.02.2026 № 19" in html
    # the deduction explained under edition id "2026" with reading E4 named; 5.0 group, column 4 of
    # ru.txt:361 prints "100 КПН/ПН": 100 × 1820.50 = 182050.00 tenge
    assert "edition 2026" in text and "редакция 2026" in text
    assert "[E4: KPN]" in text and "182050.00" in text
    # reading S7: two 2022 screening rules have no 2026 code and do not run, with the reason
    assert "NOT RUN repeat_emergency_call" in text
    assert "NOT RUN late_death_registration" in text
    assert "not_applicable" in text
    # п. 26-27: no objection within five working days, the potential defect counts as confirmed
    assert "п. 26 Правил" in text and "overdue" in text
