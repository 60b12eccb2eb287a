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
