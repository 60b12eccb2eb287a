"""Reports of Прил. 3 (ГОБМП) and Прил. 4 (ОСМС), п. 32: hand-worked from the fixture files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from osms_defects.cli import main
from osms_defects.errors import ReportInputError
from osms_defects.reports import build_report, build_report_files, load_form, parse_period
from osms_defects.reports.inputs import read_csv_strings

REPO = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[1]
DED = FIX / "reports_deductions.csv"
CON = FIX / "reports_contracts.csv"
FULL = FIX / "reports_contracts_full.csv"


@pytest.mark.parametrize("name", ["annex3", "annex4"])
def test_forms_as_printed(name: str) -> None:
    form = load_form(name)  # type: ignore[arg-type]
    numbers = [c.number for c in form.columns]
    # the printed numbering runs 1–4, 6–44: there is no column 5 on the form
    assert numbers == [1, 2, 3, 4, *range(6, 45)]
    assert form.column(38).header == "Сумма снятия по дефектам (графы 11,15, 19, 25, 29)"
    assert form.column(26).header == "Количество выявленных дефектов при втором посещении"
    assert form.column(32).groups[-1] == "Экспертиза летальных случаев"


def test_forms_differ_in_program_and_column_40() -> None:
    a3, a4 = load_form("annex3"), load_form("annex4")
    assert a3.column(40).header == "Сумма перечисленной неустойки в ресупбликанский бюджет"
    assert a4.column(40).header == "Сумма перечисленной неустойки в активы Фонда"
    assert "в рамках ГОБМП" in a3.column(3).header and "в рамках ОСМС" in a4.column(3).header


@pytest.mark.parametrize(
    ("label", "start", "end", "due"),
    [
        # 30.07.2023 is a Sunday: the next working day, Monday 31.07.2023
        ("2023-Q2", date(2023, 4, 1), date(2023, 6, 30), date(2023, 7, 31)),
        ("2023-H1", date(2023, 1, 1), date(2023, 6, 30), date(2023, 7, 31)),
        ("2023-Q4", date(2023, 10, 1), date(2023, 12, 31), date(2024, 1, 30)),
        ("2023", date(2023, 1, 1), date(2023, 12, 31), date(2024, 1, 30)),
    ],
)
def test_periods_and_due_date(label: str, start: date, end: date, due: date) -> None:
    # п. 32: «до 30 числа месяца, следующего за отчетным периодом»
    from osms_defects.reports import report_due

    p = parse_period(label)
    assert (p.start, p.end) == (start, end)
    assert report_due(p).due == due


@pytest.mark.parametrize("bad", ["2023-Q5", "2023-H3", "23", "2023-q1", "Q2-2023"])
def test_bad_period(bad: str) -> None:
    with pytest.raises(ReportInputError, match=r"п\. 32"):
        parse_period(bad)


def test_annex4_q2_hand_worked() -> None:
    rep = build_report_files("annex4", "2023-Q2", DED, CON)
    rows = {r["provider"]: r for r in rep.rows()}
    p1, p2, tot = rows["Больница 1 (P1)"], rows["Поликлиника 2 (P2)"], rows["ИТОГО"]
    # P1 in Q2: F1 current 300 000, F2 current recorded 0, F3 targeted 40 000 (30.06);
    # F7 (01.07) is outside the quarter; P3 is a ГОБМП provider (other report)
    assert (p1["current_defects"], p1["current_defects_sum"]) == (2, Decimal("300000.00"))
    assert (p1["targeted_defects"], p1["targeted_defects_sum"]) == (1, Decimal("40000.00"))
    assert p1["unplanned_defects"] == 0
    assert p1["contracts"] == 2 and p1["contract_sum"] == Decimal("15000000.00")
    assert p1["contracts_monitored"] == 1 and p1["coverage_pct"] == Decimal("50.00")
    # P2: two proactive findings, one deducted (3.1, п. 54) and one recorded; one mortality
    assert (p2["proactive_defects_visit1"], p2["proactive_deducted"]) == (2, 1)
    assert p2["proactive_deducted_sum"] == Decimal("20000.00")
    assert p2["total_defects"] == 1 + 1  # гр. 27 + гр. 32
    assert p2["total_defects_sum"] == Decimal("50000.00")
    assert tot["total_defects_sum"] == Decimal("390000.00")
    assert tot["coverage_pct"] == Decimal("66.67")  # 2 of 3 contracts
    assert (rep.deductions_used, rep.deductions_outside_period, rep.deductions_other_program) == (6, 1, 1)
    # penalties are not in this contracts file: empty (None), never zero, and listed
    assert p1["current_penalty_assessed"] is None and tot["total_penalty_paid"] is None
    empty = {e.number for e in rep.empty_columns}
    assert {8, 12, 13, 14, 26, 39, 41, 42, 43} <= empty
    assert 10 not in empty and 38 not in empty
    assert rep.due.due == date(2023, 7, 31)  # 30.07.2023 is a Sunday
    assert "за II квартал 2023 года" in rep.title


def test_sanctions_share_with_penalties() -> None:
    rep = build_report_files("annex4", "2023-Q2", DED, FULL)
    p1 = rep.rows()[0]
    # гр. 42 = (гр. 38 + гр. 39) / гр. 4 × 100 = (340 000 + 60 000) / 15 000 000 × 100 = 2.67
    assert p1["total_penalty_assessed"] == Decimal("60000.00")
    assert p1["sanctions_pct"] == Decimal("2.67")
    assert p1["contracts_with_violations"] == 1 and p1["violations_pct"] == Decimal("100.00")
    assert {e.number for e in rep.empty_columns} == {26}


def test_frame_dtypes_never_float() -> None:
    rep = build_report_files("annex4", "2023-Q2", DED, FULL)
    assert not any(dt.is_float() for dt in rep.frame.dtypes)
    assert rep.frame.columns[0] == "1_row_no" and rep.frame.columns[-1] == "44_note"
    assert isinstance(rep.frame["38_total_defects_sum"].dtype, pl.Decimal)


def test_error_rows_are_listed_not_refused() -> None:
    # issue 20 changes this (it was test_error_rows_are_refused): an error row is set aside,
    # listed in the report's annex and counted; the valid rows are reported
    ded = read_csv_strings(DED).with_columns(
        pl.when(pl.col("row") == "3").then(pl.lit("error")).otherwise(pl.col("status")).alias("status")
    )
    full = build_report("annex4", "2023-Q2", read_csv_strings(DED), read_csv_strings(CON))
    rep = build_report("annex4", "2023-Q2", ded, read_csv_strings(CON))
    assert [e.row for e in rep.error_rows] == ["3"]
    assert rep.deductions_used + rep.deductions_outside_period + rep.deductions_other_program \
        == full.deductions_used + full.deductions_outside_period + full.deductions_other_program - 1


def test_readme_main_job_output_reports_with_its_error_rows(tmp_path: Path) -> None:
    # README: `osms-defects deduct examples/findings.csv -o out.csv` (4 error rows: 33–36), then
    # `report annex4` on it: the valid rows reported, the 4 error rows in the sheet «Ошибки»
    out = tmp_path / "out.csv"
    main(["deduct", str(ROOT / "examples" / "findings.csv"), "-o", str(out)])
    xlsx = tmp_path / "r.xlsx"
    assert main(["report", "annex4", "--period", "2023-Q2", "--deductions", str(out),
                 "--contracts", str(ROOT / "examples" / "contracts.csv"), "-o", str(xlsx)]) == 1  # done, 4 error rows set aside (README «Exit codes»)
    rep = build_report_files("annex4", "2023-Q2", out, ROOT / "examples" / "contracts.csv")
    assert [e.row for e in rep.error_rows] == ["33", "34", "35", "36"]
    wb = openpyxl.load_workbook(xlsx)
    errs = wb["Ошибки"]
    assert [errs.cell(r, 1).value for r in range(4, 8)] == ["33", "34", "35", "36"]
    # row 34: base_missing, its Russian title (data/messages.yaml), then the engine's detail
    assert errs.cell(5, 7).value == "не указана базовая сумма"
    assert "base_missing" in str(errs.cell(5, 8).value)
    main_ws = wb.worksheets[0]
    texts = [str(c.value) for row in main_ws.iter_rows() for c in row if c.value]
    assert any("строк с ошибками (не включены в отчёт): 4" in s for s in texts)
    assert not any("Findings in the period" in s or "is blank" in s or "the deductions" in s
                   for s in texts)  # no English in a Russian form
    assert main_ws.print_title_rows
    # data/forms/2022-10-16/annex4.yaml: four A4 pages across, a kind of monitoring never split:
    # the pages begin with гр. 15 (целевой), гр. 25 (проактивный) and гр. 37 (всего), and гр. 1–2
    # (№, поставщик) are repeated on each
    numbers = {c.column: c.value for c in main_ws[main_ws.print_title_rows.split(":")[1]]}
    starts = [numbers[b.id + 1] for b in main_ws.col_breaks.brk]
    assert starts == [15, 25, 37]
    assert main_ws.print_title_cols == "$A:$B"
    assert 30 <= main_ws.page_setup.scale <= 100


def test_bad_values_named() -> None:
    ded = read_csv_strings(DED).with_columns(pl.lit("planned").alias("monitoring_kind"))
    with pytest.raises(ReportInputError, match=r"row 1, monitoring_kind: 'planned' \(allowed: current"):
        build_report("annex4", "2023-Q2", ded, read_csv_strings(CON))
    con = read_csv_strings(CON).with_columns(pl.lit("OSMS").alias("program"))
    with pytest.raises(ReportInputError, match=r"row 1, program: 'OSMS'"):
        build_report("annex4", "2023-Q2", read_csv_strings(DED), con)


def test_provider_in_both_programs_needs_program_column() -> None:
    con = pl.concat([read_csv_strings(CON), pl.DataFrame({
        "provider_id": ["P1"], "provider_name": ["Больница 1"], "contract_no": ["G-9"],
        "program": ["ГОБМП"], "contract_sum": ["1.00"], "monitored": ["true"]})])
    with pytest.raises(ReportInputError, match="add a 'program' column"):
        build_report("annex4", "2023-Q2", read_csv_strings(DED), con)


def test_xlsx_headers_numbers_and_formulas(tmp_path: Path) -> None:
    rep = build_report_files("annex4", "2023-Q2", DED, FULL)
    out = tmp_path / "r.xlsx"
    rep.to_xlsx(out)
    ws = openpyxl.load_workbook(out).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    number_row = next(i for i, r in enumerate(values) if r[:4] == [1, 2, 3, 4])
    assert values[number_row][4] == 6 and values[number_row][42] == 44
    first = values[number_row + 1]
    assert first[3] == Decimal("15000000.00") or first[3] == 15000000
    total = values[number_row + 3]
    assert total[1] == "ИТОГО"
    assert total[3] == f"=SUM(D{number_row + 2}:D{number_row + 3})"
    # a formula a spreadsheet computes, not the text of one (the screenshot showed «=SUM(C8:C9)»)
    assert ws.cell(number_row + 4, 4).data_type == "f"
    assert ws.cell(number_row + 4, 2).data_type == "s"  # «ИТОГО» stays text
    assert "31.07.2023" in str(values[2][0])


def test_cli_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.csv"
    code = main(["report", "annex3", "--period", "2023-H1", "--deductions", str(DED),
                 "--contracts", str(CON), "-o", str(out)])
    assert code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("1_row_no,2_provider,3_contracts,4_contract_sum,6_contracts_monitored")
    assert lines[1].startswith("1,Центр 3 (P3),1,1000000.00,1,100.00")
    assert "due by 31.07.2023" in capsys.readouterr().err  # issue 20: was the mixed "due до"
    assert main(["report", "annex3", "--period", "2023-Q9", "--deductions", str(DED),
                 "--contracts", str(CON)]) == 2


def test_repr_html() -> None:
    rep = build_report_files("annex4", "2023-Q2", DED, CON)
    h = rep._repr_html_()
    # the notebook view is the document itself (issue 20: one HTML renderer): the grouped
    # headers of the printed form, the total row, the empty columns with their reasons
    # printed four pages across as the workbook (data/forms/2022-10-16/annex4.yaml): the table
    # in four parts, гр. 1–2 repeated in each, the parts after the first on pages of their own
    assert h.count('<table class="grid') == 4 and h.count('class="across"') == 3
    assert h.count("<th>2</th>") == 4 and "ИТОГО" in h
    assert "Графы, не заполненные библиотекой" in h and "гр. 26 (proactive_defects_visit2)" in h
    assert '<th colspan="5">Показатели прямых результатов по договорам ОСМС</th>' not in h
    assert '<th colspan="4">Показатели прямых результатов по договорам ОСМС</th>' in h


@pytest.mark.parametrize("name", ["annex3", "annex4"])
def test_headers_are_verbatim_in_the_law(name: str) -> None:
    """Every header and group of the transcription is printed in the Rules' annex."""
    law = (REPO.parent / "shared" / "seeds" / "001_98e3829c3dd618e7.txt").read_text(encoding="utf-8")
    form = load_form(name)  # type: ignore[arg-type]
    first, last = (int(x) for x in form.source_lines.split("–"))
    printed = {line.rstrip(" |") for line in law.splitlines()[first - 1 : last]}
    for col in form.columns:
        assert col.header in printed, (col.number, col.header)
        for g in col.groups:
            assert g in printed, (col.number, g)


def test_to_pandas() -> None:
    rep = build_report_files("annex4", "2023-Q2", DED, FULL)
    pdf = rep.to_pandas()
    assert list(pdf.columns) == rep.frame.columns and len(pdf) == 2


def test_date_column_option() -> None:
    # F3 (targeted, P1) was detected on 30.06.2023 but its conclusion signed on 05.07.2023
    by_detected = build_report_files("annex4", "2023-Q2", DED, CON)
    by_signed = build_report_files("annex4", "2023-Q2", DED, CON, date_column="conclusion_signed_on")
    assert by_detected.rows()[0]["targeted_defects"] == 1
    assert by_signed.rows()[0]["targeted_defects"] == 0


def test_visit_column_fills_column_26() -> None:
    ded = read_csv_strings(DED).with_columns(
        pl.when(pl.col("finding_id") == "F5").then(pl.lit("2")).otherwise(pl.lit("1")).alias("visit")
    )
    rep = build_report("annex4", "2023-Q2", ded, read_csv_strings(FULL))
    p2 = rep.rows()[1]
    assert (p2["proactive_defects_visit1"], p2["proactive_defects_visit2"]) == (1, 1)
    assert rep.empty_columns == ()
    bad = ded.with_columns(pl.lit("3").alias("visit"))
    with pytest.raises(ReportInputError, match=r"row 4, visit: '3'"):
        build_report("annex4", "2023-Q2", bad, read_csv_strings(FULL))
