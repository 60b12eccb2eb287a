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
