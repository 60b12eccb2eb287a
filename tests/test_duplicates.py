"""A finding_id given twice in one input is never deducted twice (issue 18; docs/deductions.md,
"Duplicate findings"): the first occurrence is computed, every later one is an error row
``duplicate_finding`` naming the row of the first; rows in = rows out, and the total is that of
the input without the repeats. A repeated CSV header or a repeated key in a JSONL line refuses
the input (exit 2), naming the column or the line."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

import osms_defects as od
from osms_defects.cli import main
from osms_defects.deductions.frame import RESULT_COLUMNS, deduct_frame, deductions_frame
from osms_defects.deductions.io import read_findings
from osms_defects.errors import FindingsInputError

HEADER = "finding_id,provider_id,case_id,code,care_type,base_amount,monitoring_kind,detected_on\n"
# Прил. 1, код 5.2, гр. 6 (inpatient): 3 × the case cost; 3 × 287450.00 = 862350.00 (п. 12, 30)
LINE = "F1,P1,C1,5.2,inpatient,287450.00,current,2023-05-03\n"
OTHER = "F2,P1,C2,5.2,inpatient,100000.00,current,2023-05-03\n"


def _run(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, str]]]:
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    code = main(["deduct", str(path)])
    out = capsys.readouterr().out
    return code, list(csv.DictReader(io.StringIO(out)))


def test_a_repeated_finding_is_deducted_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = _run(tmp_path, HEADER + LINE + OTHER + LINE.replace("F1,", " F1 ,"), capsys)
    assert code == 1  # done, one row is an error
    assert [r["status"] for r in rows] == ["deducted", "deducted", "error"]
    assert rows[0]["amount"] == "862350.00" and rows[1]["amount"] == "300000.00"
    assert rows[2]["amount"] == ""
    assert rows[2]["error"].startswith("duplicate_finding: finding_id F1 was already given in row 1")
    total = sum(Decimal(r["amount"]) for r in rows if r["status"] == "deducted")
    assert total == Decimal("1162350.00")


def test_both_paths_agree_and_the_first_occurrence_may_itself_be_an_error() -> None:
    rows = [
        {"finding_id": "A", "code": "99.9", "care_type": "inpatient", "base_amount": "1.00",
         "monitoring_kind": "current", "detected_on": "2023-05-03"},
        {"finding_id": "A", "code": "5.2", "care_type": "inpatient", "base_amount": "1.00",
         "monitoring_kind": "current", "detected_on": "2023-05-03"},
        {"finding_id": "", "code": "5.2", "care_type": "inpatient", "base_amount": "1.00",
         "monitoring_kind": "current", "detected_on": "2023-05-03"},
        {"finding_id": "", "code": "5.2", "care_type": "inpatient", "base_amount": "1.00",
         "monitoring_kind": "current", "detected_on": "2023-05-03"},
    ]  # fmt: skip
    scalar = list(od.deduct_many(rows))
    assert [d.error_kind for d in scalar] == [
        od.ErrorKind.UNKNOWN_CODE, od.ErrorKind.DUPLICATE_FINDING, None, None
    ]  # empty ids are not ids: both rows without one deduct
    import polars as pl

    frame = deduct_frame(pl.DataFrame(rows))
    assert frame.select(RESULT_COLUMNS).equals(deductions_frame(scalar))
    for policy in ("each", "max_per_case"):
        assert deduct_frame(pl.DataFrame(rows), case_policy=policy).select(
            RESULT_COLUMNS
        ).equals(deductions_frame(list(od.deduct_many(rows, case_policy=policy))))


def test_findings_objects_repeated() -> None:
    f = od.Finding(code="5.2", care_type="inpatient", base_amount="287450.00",
                   detected_on=dt.date(2023, 5, 3), finding_id="X")  # fmt: skip
    ds = list(od.deduct_many([f, f]))
    assert ds[0].amount == Decimal("862350.00")
    assert ds[1].status is od.Status.ERROR and ds[1].error_kind is od.ErrorKind.DUPLICATE_FINDING
    assert "row 1" in (ds[1].error_message or "")


def test_a_repeated_csv_header_refuses_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.csv"
    path.write_text(HEADER.replace("case_id", "code") + LINE, encoding="utf-8")
    with pytest.raises(FindingsInputError, match=r"column 'code' .*columns 3 and 4"):
        read_findings(path)
    assert main(["deduct", str(path)]) == 2
    assert "code" in capsys.readouterr().err


def test_a_repeated_jsonl_key_refuses_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text(
        '{"code": "5.2", "care_type": "inpatient", "base_amount": "1.00", '
        '"monitoring_kind": "current", "detected_on": "2023-05-03"}\n'
        '{"code": "5.2", "care_type": "inpatient", "base_amount": "1.00", '
        '"base_amount": "999.00", "monitoring_kind": "current", "detected_on": "2023-05-03"}\n',
        encoding="utf-8",
    )
    with pytest.raises(FindingsInputError, match=r"f\.jsonl:2: .*'base_amount' .*twice"):
        read_findings(path)
    assert main(["deduct", str(path)]) == 2
