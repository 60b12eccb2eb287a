"""Outputs are safe to open and to send (issue 18; osms_defects.outputs):

* formula injection: a text cell from the data is text in every XLSX (deduct, conclusion,
  report) and is guarded with a leading ' in every CSV (OWASP), numbers untouched;
* ИИН: masked by default in every command (a column named for it, a value that is one, free
  text), kept with --no-mask, and the summary says which."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from openpyxl import load_workbook

from osms_defects.cli import main
from osms_defects.iin import iin_check_digit
from osms_defects.outputs import guard_csv_cell, looks_like_iin, mask_iin_frame, mask_iin_text

from .conftest import REPO

EXAMPLES = REPO / "examples"
FIX = REPO / "tests" / "fixtures"
EVIL = "=cmd|' /C calc'!A0"
#: a valid ИИН: born 15.07.1985 (850715), a man of the 20th century (3), check digit computed
IIN = "85071530001" + str(iin_check_digit("85071530001"))

HEADER = "finding_id,provider_id,case_id,code,care_type,base_amount,monitoring_kind,detected_on,patient_iin,note\n"


def _findings(tmp_path: Path) -> Path:
    p = tmp_path / "f.csv"
    p.write_text(
        HEADER
        + f'F1,"{EVIL}",C1,5.2,inpatient,287450.00,current,2023-05-03,{IIN},@SUM(A1)\n'
        + f"F2,P2,C2,5.2,inpatient,-1.00,current,2023-05-03,,пациент {IIN}\n",
        encoding="utf-8",
    )
    return p


def _formulas(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [
        str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
        if c.data_type == "f"
    ]  # fmt: skip


def test_the_iin_of_the_tests_is_valid() -> None:
    assert looks_like_iin(IIN) and IIN == "850715300013"


def test_deduct_xlsx_writes_text_never_a_formula(tmp_path: Path) -> None:
    out = tmp_path / "x.xlsx"
    assert main(["deduct", str(_findings(tmp_path)), "-o", str(out)]) == 1  # F2: base_negative
    assert _formulas(out) == []
    ws = load_workbook(out).worksheets[0]
    values = [c.value for c in ws[2]]
    assert EVIL in values and "@SUM(A1)" in values
    assert 862350 in values  # Прил. 1, код 5.2, гр. 6: 3 × 287450.00 (п. 12, 30); a number


def test_deduct_csv_is_guarded_unless_asked_not_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    p = _findings(tmp_path)
    main(["deduct", str(p)])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["provider_id"] == "'" + EVIL and rows[0]["note"] == "'@SUM(A1)"
    assert rows[1]["base_amount"] == "-1.00"  # a number is not a formula: untouched
    assert rows[0]["amount"] == "862350.00"
    main(["deduct", str(p), "--no-csv-guard"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["provider_id"] == EVIL


def test_deduct_masks_iin_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = _findings(tmp_path)
    main(["deduct", str(p), "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert IIN not in out and "********0013" in out
    assert "ИИН masked" in err and "patient_iin" in err
    main(["deduct", str(p), "--no-mask"])
    out, err = capsys.readouterr()
    assert IIN in out and "--no-mask" in err


def test_guard_and_mask_units() -> None:
    for bad in ("=1+1", "+A1", "-A1", "@x", "\tx", "\rx"):
        assert guard_csv_cell(bad) == "'" + bad
    for ok in ("-1.00", "+7", "12", "text", ""):
        assert guard_csv_cell(ok) == ok
    # a БИН (organisation) has the same check digit but no birth date: not masked
    bin_ = "12345678901"
    bin_ += str(iin_check_digit(bin_))
    text = f"ИИН {IIN}; {IIN}1; БИН 050540004455"
    assert mask_iin_text(text) == "ИИН ********0013; " + IIN + "1; БИН 050540004455"
    df = pl.DataFrame({"iin": ["123456789012"], "id": [IIN], "n": ["1"]})
    masked, cols = mask_iin_frame(df)
    assert cols == ["iin", "id"] and masked.row(0) == ("********9012", "********0013", "1")


def test_screen_prints_patient_id_masked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = tmp_path / "r.csv"
    lines = (EXAMPLES / "register.csv").read_text(encoding="utf-8").splitlines()
    body = [ln.replace("870101300001", IIN) for ln in lines[1:]]
    bad = f"X-1,hospitalization,{IIN},=EVIL(),inpatient,,,9999-01-02,9999-01-10,,,,"
    reg.write_text("\n".join([lines[0], *body, bad]) + "\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert main(["screen", str(reg), "-o", str(out), "--detected-on", "2023-06-01"]) == 1
    text = out.read_text(encoding="utf-8")
    errors = Path(f"{out}.errors.csv").read_text(encoding="utf-8")
    assert IIN not in text and "********0013" in text
    assert IIN not in errors
    assert "ИИН masked" in capsys.readouterr().err
    assert main(["screen", str(reg), "--detected-on", "2023-06-01"]) == 1  # errors on stderr
    captured = capsys.readouterr()
    assert IIN not in captured.out and IIN not in captured.err
    assert main(["screen", str(reg), "--detected-on", "2023-06-01", "--no-mask"]) == 1
    assert IIN in capsys.readouterr().out


def _conclusion(tmp_path: Path) -> Path:
    text = (EXAMPLES / "conclusion_annex2.yaml").read_text(encoding="utf-8")
    text = text.replace("findings: findings.csv", f"findings: {EXAMPLES / 'findings.csv'}")
    text = text.replace("fund_specialist: Ахметова А. Б.", f'fund_specialist: "{EVIL}"')
    text = text.replace(
        "  - Устранить выявленные", f"  - Пациент с ИИН {IIN} жаловался.\n  - Устранить выявленные"
    )
    p = tmp_path / "c.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_conclusion_workbook_text_and_free_text_iin(tmp_path: Path) -> None:
    p = _conclusion(tmp_path)
    out = tmp_path / "c.xlsx"
    assert main(["conclusion", "annex2", str(p), "-o", str(out)]) == 0
    assert _formulas(out) == []
    cells = [str(c.value) for row in load_workbook(out).worksheets[0].iter_rows() for c in row]
    assert EVIL in cells
    assert not any(IIN in c for c in cells) and any("********0013" in c for c in cells)
    html = tmp_path / "c.html"
    assert main(["conclusion", "annex2", str(p), "-o", str(html)]) == 0
    page = html.read_text(encoding="utf-8")
    assert IIN not in page and "Пациент с ИИН ********0013" in page
    assert main(["conclusion", "annex2", str(p), "-o", str(html), "--no-mask"]) == 0
    assert IIN in html.read_text(encoding="utf-8")


def test_report_annex4_provider_name_is_text(tmp_path: Path) -> None:
    con = tmp_path / "c.csv"
    rows = (FIX / "reports_contracts.csv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    assert "provider_name" in header
    i = header.index("provider_name")
    fixed = [rows[0]]
    for r in rows[1:]:
        cells = r.split(",")
        cells[i] = '"' + EVIL.replace('"', '""') + '"'
        fixed.append(",".join(cells))
    con.write_text("\n".join(fixed) + "\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    args = ["report", "annex4", "--period", "2023-Q2", "--deductions",
            str(FIX / "reports_deductions.csv"), "--contracts", str(con)]  # fmt: skip
    assert main([*args, "-o", str(out)]) == 0
    assert all(f.startswith(("=SUM(", "=ROUND(")) for f in _formulas(out))
    cells = [str(c.value) for row in load_workbook(out).worksheets[0].iter_rows() for c in row]
    assert any(EVIL in c for c in cells)
    csv_out = tmp_path / "r.csv"
    assert main([*args, "-o", str(csv_out)]) == 0
    assert "'" + EVIL.split("|")[0] in csv_out.read_text(encoding="utf-8")
