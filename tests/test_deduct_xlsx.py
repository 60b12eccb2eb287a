"""``deduct -o out.xlsx`` writes a workbook like the reports (issue 19, XLSX item): amounts as
numbers in a money format written from their decimal text, dates as dates, a frozen bold
header with an autofilter, column widths; text cells stay text, never formulas."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import polars as pl
from openpyxl import load_workbook

from osms_defects.cli import main
from osms_defects.deductions.io import XLSX_DATE_FORMAT, XLSX_MONEY_FORMAT

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FINDINGS = EXAMPLES / "findings.csv"


def _both(tmp_path: Path) -> tuple[Path, list[dict[str, str]]]:
    xl, csv = tmp_path / "d.xlsx", tmp_path / "d.csv"
    main(["deduct", str(FINDINGS), "-o", str(xl)])
    main(["deduct", str(FINDINGS), "-o", str(csv)])
    rows = pl.read_csv(csv, infer_schema=False).fill_null("").to_dicts()
    return xl, rows


def test_amounts_are_numbers_with_a_money_format(tmp_path: Path) -> None:
    xl, rows = _both(tmp_path)
    ws = load_workbook(xl).worksheets[0]
    header = [c.value for c in ws[1]]
    col = header.index("amount")
    base = header.index("base_amount")
    seen = 0
    for excel_row, want in zip(ws.iter_rows(min_row=2), rows, strict=True):
        cell = excel_row[col]
        if want["amount"] == "":
            assert cell.value in (None, "")
            continue
        assert cell.data_type == "n" and cell.number_format == XLSX_MONEY_FORMAT
        assert isinstance(cell.value, int | float)
        assert Decimal(str(cell.value)) == Decimal(want["amount"])
        seen += 1
        if re.fullmatch(r"[0-9]+(\.[0-9]+)?", want["base_amount"]):
            assert excel_row[base].number_format == XLSX_MONEY_FORMAT
    assert seen > 20


def test_the_cells_hold_the_decimal_text_itself(tmp_path: Path) -> None:
    """Exact: the <v> of an amount cell is the CSV's text (``206150.28``), not a float's
    shortest repr or ``%.16g`` of one."""
    xl, rows = _both(tmp_path)
    with zipfile.ZipFile(xl) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    values = re.findall(r'<c r="N\d+"[^>]*t="n"[^>]*><v>([^<]*)</v>', sheet)
    want = [r["amount"] for r in rows if r["amount"] != ""]
    assert values == want


def test_dates_are_dates(tmp_path: Path) -> None:
    xl, rows = _both(tmp_path)
    ws = load_workbook(xl).worksheets[0]
    header = [c.value for c in ws[1]]
    for name in ("detected_on", "conclusion_signed_on", "remedy_due"):
        j = header.index(name)
        for excel_row, want in zip(ws.iter_rows(min_row=2), rows, strict=True):
            cell = excel_row[j]
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", want[name]):
                assert cell.is_date and cell.number_format == XLSX_DATE_FORMAT, (name, want)
                assert isinstance(cell.value, dt.datetime)
                assert cell.value.date() == dt.date.fromisoformat(want[name])
            elif want[name] == "":
                assert cell.value in (None, "")
            else:  # not an ISO date: the text as it was, as text
                assert cell.value == want[name] and cell.data_type == "s"


def test_frozen_header_filter_and_widths(tmp_path: Path) -> None:
    xl, rows = _both(tmp_path)
    ws = load_workbook(xl).worksheets[0]
    assert ws.freeze_panes == "A2"
    ncol = ws.max_column
    from openpyxl.utils import get_column_letter

    assert ws.auto_filter.ref == f"A1:{get_column_letter(ncol)}{len(rows) + 1}"
    assert all(c.font.b for c in ws[1])
    widths = {k: v.width for k, v in ws.column_dimensions.items()}
    assert len(widths) == ncol
    assert all(8 <= w <= 60 for w in widths.values())
    header = [c.value for c in ws[1]]
    ref = get_column_letter(header.index("reference") + 1)
    assert widths[ref] > widths[get_column_letter(header.index("row") + 1)]


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    src = tmp_path / "f.csv"
    src.write_text(
        "finding_id,provider_id,case_id,code,care_type,base_amount,monitoring_kind,detected_on\n"
        "=1+1,=HYPERLINK(\"x\"),C1,5.2,inpatient,=2+2,current,=TODAY()\n"
        "F2,P,C2,5.2,inpatient,287450.00,current,2023-05-03\n",
        encoding="utf-8",
    )
    xl = tmp_path / "f.xlsx"
    main(["deduct", str(src), "-o", str(xl)])
    ws = load_workbook(xl).worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    values = [c.value for c in ws[2]]
    assert "=1+1" in values and "=2+2" in values and "=TODAY()" in values
    assert 862350 in [c.value for c in ws[3]]
