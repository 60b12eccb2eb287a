"""``--edition ID`` on the commands: the way out of the 2024–2025 gap (orders No. 174 and
No. 103, whose texts are missing), computed and marked «edition chosen by the caller for a date
it does not govern» (reading E20)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osms_defects.cli import main

from .conftest import REPO


def test_deduct_in_the_gap_needs_and_takes_an_edition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "f.csv"
    src.write_text(
        "finding_id,code,care_type,base_amount,monitoring_kind,detected_on\n"
        "F1,5.2,inpatient,1000.00,current,2024-06-01\n",
        encoding="utf-8",
    )
    out = tmp_path / "d.jsonl"
    assert main(["deduct", str(src), "-o", str(out)]) == 1  # the row is an error
    (row,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert row["status"] == "error" and "174" in row["error"] and "--edition" in row["error"]
    capsys.readouterr()
    assert main(["deduct", str(src), "-o", str(out), "--edition", "2022"]) == 0
    (row,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    # Прил. 1 (2022), код 5.2, inpatient: 3 × the cost (сумма группы 5.0): 3 × 1000.00
    assert (row["status"], row["amount"], row["edition"]) == ("deducted", "3000.00", "2022-10-16")
    assert "chosen by the caller" in row["edition_note"]
    capsys.readouterr()
    # an unknown edition is a bad option for the run (exit 2, named), not an error in every row
    assert main(["deduct", str(src), "-o", str(out), "--edition", "1999"]) == 2
    assert "no classifier edition with id '1999'" in capsys.readouterr().err


def test_screen_under_a_chosen_edition_is_marked(tmp_path: Path) -> None:
    out = tmp_path / "s.csv"
    args = ["screen", str(REPO / "examples" / "register.csv"), "--detected-on", "2024-06-01"]
    assert main([*args, "-o", str(out)]) == 2  # the gap: no edition in force
    assert main([*args, "--edition", "2022", "-o", str(out)]) in (0, 1)
    text = out.read_text(encoding="utf-8")
    assert "2022-10-16" in text and "chosen by the caller" in text


def test_deadline_and_screening_in_the_window_of_order_19_are_marked() -> None:
    """Order No. 19 came into force on a day in 14–17.03.2026 (the exact day not established;
    default 16.03.2026, reading E18): a deadline or screening dated in the window is computed
    under the default edition and marked, naming the window."""
    import datetime as dt

    import polars as pl

    from osms_defects import deadlines as dl
    from osms_defects.screening import REGISTER_COLUMNS, screen

    before = dl.potential_defect_objection(dt.date(2026, 3, 15))
    assert before.edition == "2025-08-01" and "14.03.2026" in before.edition_note
    after = dl.potential_defect_objection(dt.date(2026, 3, 16))
    assert after.edition == "2026" and "17.03.2026" in after.edition_note
    assert dl.potential_defect_objection(dt.date(2026, 3, 18)).edition_note == ""
    reg = pl.DataFrame(
        [dict.fromkeys(REGISTER_COLUMNS) | {"record_id": "S1", "record_type": "service",
         "patient_id": "P1", "provider_id": "A", "care_type": "outpatient",
         "service_code": "K01", "referred_on": "2026-01-05", "service_date": "2026-03-02"}],
        schema=dict.fromkeys(REGISTER_COLUMNS, pl.String),
    )  # fmt: skip
    res = screen(reg, detected_on=dt.date(2026, 3, 16))
    notes = res.defects.get_column("note").to_list()
    assert notes and all("14.03.2026" in n for n in notes)


def test_conclusion_in_the_gap_takes_an_edition_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`conclusion --edition` (reading E20): Прил. 4 of a monitoring held in November 2024 — the
    gap of orders No. 174 and No. 103 — is refused without it, printed under the chosen edition
    with it, the findings deducted under that edition and the document saying so."""
    ex = REPO / "examples"
    text = (ex / "conclusion_2026_annex4.yaml").read_text(encoding="utf-8")
    for a, b in (("signed_on: 2026-11-23", "signed_on: 2024-11-23"),
                 ("held_from: 2026-11-16", "held_from: 2024-11-16"),
                 ("held_to: 2026-11-18", "held_to: 2024-11-18")):
        text = text.replace(a, b)
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    findings = (ex / "conclusion_2026_findings.csv").read_text(encoding="utf-8")
    (tmp_path / "conclusion_2026_findings.csv").write_text(
        findings.replace("2026-11-", "2024-11-"), encoding="utf-8")
    out = tmp_path / "c.html"
    args = ["conclusion", "2026-annex4", str(tmp_path / "c.yaml"), "-o", str(out)]
    assert main(args) == 2
    assert "--edition" in capsys.readouterr().err
    assert main([*args, "--edition", "2026"]) == 0
    err = capsys.readouterr().err
    assert "edition 2026 chosen by the caller for a date it does not govern" in err
    page = out.read_text(encoding="utf-8")
    assert "Редакция Правил, по которой составлен документ:" in page
    assert "chosen by the caller" in page and "№ 174" in page
    # section 9 as in November 2026 (the same findings deducted under the 2026 table):
    # 5.1/5.2 in гр. 4: 100 КПН × 1820.50 = 182 050,00
    assert "182\u00a0050,00" in page
    # a form of another edition is refused under the chosen one (2022 Прил. 2 is not 2026's)
    assert main(["conclusion", "annex2", str(ex / "conclusion_annex2.yaml"), "--edition",
                 "2026", "-o", str(tmp_path / "x.html")]) == 2
    assert "2026-annex" in capsys.readouterr().err
    assert main([*args, "--edition", "1999"]) == 2
    assert "no classifier edition with id '1999'" in capsys.readouterr().err
