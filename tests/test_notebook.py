"""examples/analysis.ipynb runs from top to bottom (so it never goes stale), draws its plots
inline (PNG outputs) and is stored with its outputs, from the cells of tools/make_notebook.py."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("osms_defects.deductions") is None
    or importlib.util.find_spec("nbclient") is None
    or importlib.util.find_spec("matplotlib") is None,
    reason="needs the deduction engine, nbclient and matplotlib",
)


def _make_notebook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_notebook", REPO / "tools" / "make_notebook.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _outputs(nb: Any) -> list[Any]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def _images(nb: Any) -> int:
    return sum("image/png" in o.get("data", {}) for o in _outputs(nb))


def test_stored_notebook_has_its_outputs_and_current_cells() -> None:
    import nbformat

    stored = nbformat.read(REPO / "examples" / "analysis.ipynb", as_version=4)
    fresh = _make_notebook().build()
    # regenerate with `python tools/make_notebook.py` after editing its cells
    assert [(c.cell_type, c.source) for c in stored.cells] == [
        (c.cell_type, c.source) for c in fresh.cells
    ]
    assert all(c.get("execution_count") for c in stored.cells if c.cell_type == "code")
    assert _images(stored) >= 2  # the pandas bar chart and the two-panel figure
    assert not [o for o in _outputs(stored) if o.get("output_type") == "error"]
    assert "matplotlib.use(" not in "".join(c.source for c in stored.cells)
    streams = "".join(o.get("text", "") for o in _outputs(stored) if o.get("output_type") == "stream")
    assert "total 3416403.78 tenge" in streams and "exact total: 3416403.78" in streams


def test_notebook_executes(monkeypatch: pytest.MonkeyPatch) -> None:
    import nbformat

    monkeypatch.chdir(REPO)
    monkeypatch.setenv("MPLBACKEND", "Agg")  # as a CI might set it: the notebook still draws inline
    nb = nbformat.read(REPO / "examples" / "analysis.ipynb", as_version=4)
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs = []
    _make_notebook().execute(nb)
    assert os.environ.get("MPLBACKEND") == "Agg"  # restored
    assert _images(nb) >= 2  # plots rendered inline as PNG
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outputs)
    assert "ИТОГО" in html  # the report rendered as a table
    streams = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    # the month's totals (examples/findings.csv), by the summary and by pandas' amount_tiyn
    assert "deducted 26, recorded 2, warnings 4, errors 4, total 3416403.78 tenge" in streams
    assert "exact total: 3416403.78" in streams
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
