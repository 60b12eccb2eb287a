"""One malformed line does not refuse a file (issue 18): a line with an extra field or a quote
that is never closed becomes an error row ``malformed_line`` naming its line, the other rows
are computed (rows in = rows out); only a file that cannot be read at all is refused, naming
the line."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest

import osms_defects as od
from osms_defects.cli import main
from osms_defects.deductions.io import read_findings_lines
from osms_defects.errors import FindingsInputError

HEADER = "finding_id,provider_id,case_id,code,care_type,base_amount,monitoring_kind,detected_on\n"
GOOD = "F{n},P1,C{n},5.2,inpatient,1000.00,current,2023-05-03\n"


def _file(tmp_path: Path, *lines: str) -> Path:
    p = tmp_path / "f.csv"
    p.write_text(HEADER + "".join(lines), encoding="utf-8")
    return p


def test_extra_field_and_unclosed_quote_are_error_rows_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = _file(
        tmp_path,
        GOOD.format(n=1),
        GOOD.format(n=2).replace("\n", ",surplus\n"),  # line 3: 9 fields, header has 8
        'F3,P1,"C3,5.2,inpatient,1000.00,current,2023-05-03\n',  # line 4: quote never closed
        GOOD.format(n=4),
    )
    assert main(["deduct", str(p)]) == 1
    captured = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    assert len(rows) == 4  # rows in = rows out
    assert [r["status"] for r in rows] == ["deducted", "error", "error", "deducted"]
    # Прил. 1, код 5.2, гр. 6: 3 × 1000.00 = 3000.00 (п. 12, 30)
    assert rows[0]["amount"] == rows[3]["amount"] == "3000.00"
    assert rows[1]["error"].startswith("malformed_line: line 3 ")
    assert "9 fields where the header has 8" in rows[1]["error"]
    assert rows[2]["error"].startswith("malformed_line: line 4 ")
    assert "never closed" in rows[2]["error"]
    assert "errors 2" in captured.err and "total 6000.00" in captured.err
    batch = od.deduct_table(p)
    assert batch.frame.get_column("error").to_list()[1:3] == [rows[1]["error"], rows[2]["error"]]


def test_a_file_that_cannot_be_read_is_refused_with_the_line(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_bytes(HEADER.encode() + GOOD.format(n=1).encode() + b"F2,P1,C\xff\n")
    # a file that is not UTF-8 is read as Windows-1251 (issue 19: Excel's "CSV" in a Russian
    # locale); told it is UTF-8, the line of the first bad byte is named
    with pytest.raises(FindingsInputError, match=r"f\.csv:3: not utf-8 text .*--encoding"):
        read_findings_lines(p, encoding="utf-8")
    df, _ = read_findings_lines(p)
    assert df.get_column("case_id").to_list() == ["C1", "Cя"]
    p.write_text('finding_id,"code\n' + GOOD.format(n=1), encoding="utf-8")
    with pytest.raises(FindingsInputError, match=r"f\.csv:1: the header"):
        read_findings_lines(p)


def test_a_well_formed_file_takes_the_fast_path_unchanged(tmp_path: Path) -> None:
    p = _file(tmp_path, GOOD.format(n=1), 'F2,P1,"C,2",5.2,inpatient,1.00,current,2023-05-03\n')
    df, malformed = read_findings_lines(p)
    assert malformed == {} and df.get_column("case_id").to_list() == ["C1", "C,2"]


def test_jsonl_line_that_is_not_json_is_an_error_row(tmp_path: Path) -> None:
    p = tmp_path / "f.jsonl"
    good = ('{"code": "5.2", "care_type": "inpatient", "base_amount": "1000.00", '
            '"monitoring_kind": "current", "detected_on": "2023-05-03"}\n')  # fmt: skip
    p.write_text(good + "{not json\n" + good, encoding="utf-8")
    df, malformed = read_findings_lines(p)
    assert df.height == 3 and list(malformed) == [1]
    assert malformed[1].startswith("malformed_line: line 2 ")


# ---- screening registers ---------------------------------------------------------------------

REGISTER = (REPO_ROOT := Path(__file__).resolve().parents[1]) / "examples" / "register.csv"


def _register(tmp_path: Path) -> Path:
    lines = REGISTER.read_text(encoding="utf-8").splitlines()
    bad = [
        lines[1].replace("H-001", "H-X1") + ",surplus",  # line 3: an extra field
        'H-X2,hospitalization,"870101300001,CLINIC-A,inpatient,,,2023-01-02,2023-01-10,,,,',
    ]
    p = tmp_path / "reg.csv"
    p.write_text("\n".join([lines[0], lines[1], *bad, *lines[2:]]) + "\n", encoding="utf-8")
    return p


def test_a_register_with_malformed_lines_is_screened(tmp_path: Path) -> None:
    from osms_defects.screening import screen

    from .screening_reference import D2022

    p = _register(tmp_path)
    clean = screen(REGISTER, detected_on=D2022)
    res = screen(p, detected_on=D2022)
    assert res.n_records == clean.n_records + 2  # rows in = records counted
    assert res.errors.filter(pl.col("field") == "line").select("row", "value").rows() == [
        (2, "3"),
        (3, "4"),
    ]
    assert res.defects.height == clean.defects.height  # the other records screened as before
    assert "malformed CSV" in res.errors.get_column("message")[0]


def test_out_of_core_refuses_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = _register(tmp_path)
    assert main(["screen", str(p), "--detected-on", "2023-06-01", "--shards", "2"]) == 2
    err = capsys.readouterr().err
    assert f"{p}:3: malformed CSV" in err and "You might want" not in err


def test_a_register_header_naming_a_column_twice_is_refused(tmp_path: Path) -> None:
    from osms_defects.errors import RegisterError
    from osms_defects.screening import screen

    text = REGISTER.read_text(encoding="utf-8").replace("care_type", "provider_id", 1)
    p = tmp_path / "reg.csv"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(RegisterError, match="'provider_id' appears twice"):
        screen(p)


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_bytes(b"\xef\xbb\xbf" + (HEADER + GOOD.format(n=1) + "F2,x,y,z,1,2,3,4,5\n").encode())
    df, malformed = read_findings_lines(p)
    assert df.columns[0] == "finding_id" and list(malformed) == [1]
