"""XLSX output of the reports: headers as printed with their column numbers, numbers as
numbers, and a total row of formulas so that a spreadsheet can check the sums."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .annex34 import MonitoringReport
    from .inputs import ErrorRow

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center", horizontal="center")
_FORMATS = {"int": "0", "money": "#,##0.00", "pct": "0.00", "text": "@"}


def write_report_xlsx(report: MonitoringReport, path: str | Path) -> None:
    from .annex34 import _PCT, column_type

    wb = Workbook()
    ws = wb.active
    ws.title = report.form.form
    cols = report.form.columns
    ncol = len(cols)
    ws.cell(1, 1, report.title).font = Font(bold=True)
    ws.cell(2, 1, f"{report.form.reference}")
    ws.cell(3, 1, f"Срок представления: до {report.due.due:%d.%m.%Y} ({report.due.reference}: "
                  f"{report.due.description})")
    depth = max(len(c.groups) for c in cols)
    top = 5
    header_row = top + depth
    # spanning group headers: merge runs of neighbouring columns under the same group
    for level in range(depth):
        j = 0
        while j < ncol:
            g = cols[j].groups[: level + 1]
            if len(cols[j].groups) <= level:
                j += 1
                continue
            k = j
            while k + 1 < ncol and cols[k + 1].groups[: level + 1] == g:
                k += 1
            ws.cell(top + level, j + 1, g[-1]).alignment = _WRAP
            if k > j:
                ws.merge_cells(start_row=top + level, start_column=j + 1, end_row=top + level, end_column=k + 1)
            j = k + 1
    for j, c in enumerate(cols, start=1):
        first = top + len(c.groups)
        cell = ws.cell(first, j, c.header)
        cell.alignment = _WRAP
        if first < header_row:
            ws.merge_cells(start_row=first, start_column=j, end_row=header_row, end_column=j)
        num = ws.cell(header_row + 1, j, c.number)
        num.alignment = _WRAP
        ws.column_dimensions[get_column_letter(j)].width = 28 if c.id in ("provider", "note") else 14
    for r in range(top, header_row + 2):
        for j in range(1, ncol + 1):
            ws.cell(r, j).border = _BOX
    first_data = header_row + 2
    rows = report.rows()
    letter = {c.id: get_column_letter(j) for j, c in enumerate(cols, start=1)}
    last_data = first_data + len(rows) - 2
    for i, row in enumerate(rows):
        r = first_data + i
        is_total = i == len(rows) - 1
        for j, c in enumerate(cols, start=1):
            t = column_type(c)
            value: Any = row[c.id]
            if is_total and value is not None and len(rows) > 1:
                col = letter[c.id]
                if t in ("int", "money") and c.id != "row_no":
                    value = f"=SUM({col}{first_data}:{col}{last_data})"
                elif c.id in _PCT:
                    num, den = _PCT[c.id]
                    value = f"=ROUND({letter[num]}{r}*100/{letter[den]}{r},2)"
                elif c.id == "sanctions_pct":
                    value = (f"=ROUND(({letter['total_defects_sum']}{r}+"
                             f"{letter['total_penalty_assessed']}{r})*100/{letter['contract_sum']}{r},2)")
            formula = value is not row[c.id]  # the library's own total formulas only
            cell = ws.cell(r, j, value)
            if isinstance(value, str) and not formula:
                cell.data_type = "s"  # a provider name is text, never a formula (issue 18)
            cell.number_format = _FORMATS[t]
            cell.border = _BOX
            if is_total:
                cell.font = Font(bold=True)
    r = first_data + len(rows) + 1
    for note in report.form.notes:
        ws.cell(r, 1, note)
        r += 1
    ws.cell(r, 1, "Графы, не заполненные библиотекой (нет исходных данных; не ноль):").font = Font(bold=True)
    r += 1
    for e in report.empty_columns:
        ws.cell(r, 1, f"гр. {e.number} ({e.id}): {e.reason}")
        r += 1
    date_label = {"detected_on": "дата выявления", "conclusion_signed_on": "дата подписания "
                  "заключения"}.get(report.date_column, report.date_column)
    ws.cell(r, 1, f"Находок в периоде (по полю «{date_label}»): {report.deductions_used}; "
                  f"вне периода: {report.deductions_outside_period}; "
                  f"другой программы: {report.deductions_other_program}; "
                  f"строк с ошибками (не включены в отчёт): {len(report.error_rows)}"
                  + (f" — см. лист «{_ERRORS_SHEET}»" if report.error_rows else ""))
    r += 2
    ws.cell(r, 1, "Список сокращений:")
    for a in report.form.abbreviations:
        r += 1
        ws.cell(r, 1, a)
    ws.freeze_panes = ws.cell(first_data, 3)
    print_setup(ws, header_rows=(top, header_row + 1), landscape=True)
    if report.error_rows:
        write_error_rows_sheet(wb, report.error_rows)
    wb.save(path)


_ERRORS_SHEET = "Ошибки"


def print_setup(ws: Any, *, header_rows: tuple[int, int] | None, landscape: bool) -> None:
    """Print settings: A4, fit to the page width (any number of pages down), the header rows
    repeated on every printed page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows is not None:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"


def write_error_rows_sheet(wb: Any, rows: Sequence[ErrorRow], lang: str = "ru") -> None:
    """The annex listing the deduct output's error rows (not in the document; issue 20)."""
    from .inputs import ERROR_ROWS_HEADERS, ERROR_ROWS_TITLE

    ws = wb.create_sheet(_ERRORS_SHEET)
    ws.cell(1, 1, ERROR_ROWS_TITLE[lang]).font = Font(bold=True)
    for j, h in enumerate(ERROR_ROWS_HEADERS[lang], start=1):
        c = ws.cell(3, j, h)
        c.font = Font(bold=True)
        c.border = _BOX
        c.alignment = _WRAP
        ws.column_dimensions[get_column_letter(j)].width = 60 if j == 7 else 16
    for i, e in enumerate(rows, start=4):
        for j, v in enumerate((e.row, e.finding_id, e.provider_id, e.case_id, e.code,
                               e.detected_on, e.error), start=1):
            c = ws.cell(i, j, v)
            c.data_type = "s"
            c.border = _BOX
            c.alignment = Alignment(wrap_text=True, vertical="top")
    print_setup(ws, header_rows=(3, 3), landscape=True)
