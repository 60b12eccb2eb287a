"""``osms-defects deadline NAME DATE [--edition ID]`` and ``deadline --list`` (issue 7)."""

from __future__ import annotations

import json

import pytest

from osms_defects.cli import main


def test_2026_term_by_date(capsys: pytest.CaptureFixture[str]) -> None:
    # п. 26: detected Fri 20 March 2026; 23–25 March off → Wed 1 April
    assert main(["deadline", "potential_defect_objection", "2026-03-20"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2026-04-01\tп. 26 Правил (ред. 2026)\t")
    assert main(["deadline", "conclusion_objection", "2026-03-20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due"] == "2026-03-30" and data["edition"] == "2026"
    assert data["reference"] == "п. 56, 57 Правил"


def test_missing_term_and_gap_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "proactive_remedy", "2026-06-01"]) == 2
    err = capsys.readouterr().err
    assert "2022-10-16" in err and "proactive" in err and "п. 4" in err
    assert main(["deadline", "conclusion_delivery", "2024-06-14"]) == 2
    assert "№ 174" in capsys.readouterr().err


def test_edition_override(capsys: pytest.CaptureFixture[str]) -> None:
    # п. 58 (2022): signed Wed 17 July 2024, day 45 Sat 31 August → Mon 2 September
    assert main(["deadline", "proactive_remedy", "2024-07-17", "--edition", "2022"]) == 0
    assert capsys.readouterr().out.startswith("2024-09-02\tп. 58 Правил (ред. 2022-10-16)")
    assert main(["deadline", "proactive_remedy", "2024-07-17", "--edition", "1999"]) == 2


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--list"]) == 0
    out = capsys.readouterr().out
    assert "# edition 2022-10-16" in out and "# edition 2026" in out
    assert "2026\tpotential_defect_objection\t+5 working_days\tп. 26 Правил" in out
    assert "2022-10-16\tunplanned_notice\t-1 working_days\tп. 51 Правил" in out
    assert main(["deadline", "--list", "--edition", "2026", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["edition"] for r in rows} == {"2026"}
    assert "proactive_remedy" not in {r["name"] for r in rows}
    assert main(["deadline", "--list", "conclusion_delivery"]) == 2
    assert main(["deadline"]) == 2
    assert "NAME and DATE" in capsys.readouterr().err
