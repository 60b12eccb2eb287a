"""XLSX output of the reports: headers as printed with their column numbers, numbers as
numbers, and a total row of formulas so that a spreadsheet can check the sums."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

if TYPE_CHECKING:
    from .annex34 import MonitoringReport

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
    ws.cell(r, 1, f"Findings in the period by '{report.date_column}': {report.deductions_used}; "
                  f"outside the period: {report.deductions_outside_period}; "
                  f"other program: {report.deductions_other_program}")
    r += 2
    ws.cell(r, 1, "Список сокращений:")
    for a in report.form.abbreviations:
        r += 1
        ws.cell(r, 1, a)
    ws.freeze_panes = ws.cell(first_data, 3)
    wb.save(path)
