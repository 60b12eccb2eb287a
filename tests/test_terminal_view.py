"""The terminal view (issue 19): on a terminal, a readable table and the totals; with
``--format`` (or not on a terminal) the machine format exactly as before."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pytest

from osms_defects.cli import _view, main

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_view, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "160")


@pytest.mark.usefixtures("terminal")
def test_deduct_on_a_terminal_is_a_table_with_totals(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deduct", str(EXAMPLES / "findings.csv")]) == 1
    out = capsys.readouterr().out
    assert "deductions of" in out and "F-2023-05-001" in out
    assert "by status" in out and "by provider" in out and "errors (4)" in out
    assert "3 416 403.78" in out  # the total deducted, grouped for reading
    assert "base_not_a_number" in out  # each error with its row and reason
    assert "finding_id,provider_id" not in out  # not the CSV


@pytest.mark.usefixtures("terminal")
def test_format_keeps_the_machine_format(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["deduct", str(EXAMPLES / "findings.csv"), "--format", "csv"]) == 1
    out = capsysbinary.readouterr().out
    assert pl.read_csv(io.BytesIO(out), infer_schema=False).height == 36


@pytest.mark.usefixtures("terminal")
def test_screen_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    main(["screen", str(EXAMPLES / "register.csv"), "--detected-on", "2023-06-01"])
    out = capsys.readouterr().out
    assert "potential defects of" in out and "H-002" in out and "rule,code" not in out


def test_not_a_terminal_is_csv(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert not _view.stdout_is_terminal()
    main(["deduct", str(EXAMPLES / "findings_clean.csv")])
    assert capsysbinary.readouterr().out.startswith(b"finding_id,provider_id")


def test_sample_help_prints_no_double_percent(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["sample", "--help"])
    out = capsys.readouterr().out
    assert "%%" not in out and "10 %" in out


@pytest.mark.usefixtures("terminal")
def test_deadline_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "provider_objection", "2024-06-14", "--edition", "2022"]) == 0
    out = capsys.readouterr().out
    assert "deadline provider_objection" in out and "п. 36" in out and "│" in out
    assert "\t" not in out
    assert main(["deadline", "--list"]) == 0
    out = capsys.readouterr().out
    assert "terms of the Rules" in out and "conclusion_delivery" in out and "\t" not in out
    assert main(["deadline", "--timeline", "2023-03-01"]) == 0
    out = capsys.readouterr().out
    assert "timeline" in out and "outcome" in out and "\t" not in out
    # --json stays the machine format on a terminal
    assert (
        main(["deadline", "provider_objection", "2024-06-14", "--edition", "2022", "--json"]) == 0
    )
    assert capsys.readouterr().out.lstrip().startswith("{")


@pytest.mark.usefixtures("terminal")
def test_lint_and_classifier_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint"]) == 0
    out = capsys.readouterr().out
    assert "lint of the packaged classifier" in out and "applicable_without_amount" in out
    assert "finding(s); the file loads" in out and "│" in out
    assert main(["lint", "--format", "text"]) == 0
    assert capsys.readouterr().out.startswith("2022-10-16: ")
    assert main(["classifier", "--on", "2023-01-01"]) == 0
    out = capsys.readouterr().out
    assert "edition 2022-10-16" in out and "5.2" in out and "Legend" in out and "│" in out
    assert main(["classifier", "--on", "2023-01-01", "--format", "table"]) == 0
    assert "│" not in capsys.readouterr().out


def test_deadline_lint_classifier_not_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    main(["deadline", "provider_objection", "2024-06-14", "--edition", "2022"])
    assert "\t" in capsys.readouterr().out
    main(["lint"])
    assert capsys.readouterr().out.startswith("2022-10-16: ")
    main(["classifier"])
    assert "│" not in capsys.readouterr().out


@pytest.mark.usefixtures("terminal")
def test_escalations_on_a_terminal_is_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    """The hand-worked example of tests/test_escalations.py (as of 15.06.2026): P-A's April,
    200 МРП × 4 325 = 865 000,00 tenge, summed 900 000,00, due 13.05.2026 — overdue."""
    args = ["escalations", str(EXAMPLES / "escalations_deductions.csv"), "--contracts",
            str(EXAMPLES / "escalations_contracts.csv"), "--as-of", "2026-06-15"]
    assert main(args) == 1  # rows not counted: said, exit 1, as with the CSV
    out = capsys.readouterr().out
    assert "п. 19–20" in out and "15.06.2026" in out
    line = next(x for x in out.splitlines() if "P-A" in x and "2026-04" in x)
    assert "overdue" in line and "900\u00a0000,00" in line and "865\u00a0000,00" in line
    assert "13.05.2026" in line
    assert "provider_id,contract_no" not in out  # not the CSV
    assert "--all lists them" in out
    assert main([*args, "--format", "csv"]) == 1
    assert capsys.readouterr().out.startswith("provider_id,contract_no")
