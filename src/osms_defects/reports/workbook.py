"""The one XLSX renderer (issue 20): a ``Document`` as a workbook, row by row as the form reads.

Labels in column A and values beside them; tables with their headers (spanning groups merged,
the printed column numbers under them), amounts as numbers exact to the tiyn (``#,##0.00``),
dates as dates (``DD.MM.YYYY``), a total row of formulas where the form sums (so that a
spreadsheet can check the library); text is always text, never a formula (issue 18). Printed on
A4, fitted to the page width, the table headers repeated on every page; an annex with a sheet of
its own (the error rows) on its own sheet.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .document import (
    Block,
    Cell,
    Column,
    Document,
    Field,
    Formula,
    Para,
    Run,
    Signatures,
    Table,
)

__all__ = ["print_setup", "write_xlsx"]

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
_FORMATS = {"int": "0", "money": "#,##0.00", "pct": "0.00", "text": "@", "date": "DD.MM.YYYY"}
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


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


class _Sheet:
    def __init__(self, ws: Any, landscape: bool) -> None:
        self.ws = ws
        self.row = 1
        self.landscape = landscape
        self.header_rows: tuple[int, int] | None = None
        self.widths: dict[int, int] = {}

    def put(self, col: int, value: Cell | Formula | CellRichText, *, kind: str = "text",
            bold: bool = False, italic: bool = False, box: bool = False) -> Any:
        v: Any = value
        cell = self.ws.cell(self.row, col, v)
        if isinstance(v, str):
            cell.data_type = "s"  # text from the data is never a formula (issue 18)
        elif isinstance(v, Decimal | int) and not isinstance(v, bool):
            cell.number_format = _FORMATS.get(kind, "0") if kind != "text" else "General"
            if isinstance(v, Decimal) and kind == "text":
                cell.number_format = _FORMATS["money"]
        elif isinstance(v, dt.date):
            cell.number_format = _FORMATS["date"]
        cell.alignment = _WRAP
        if bold or italic:
            cell.font = Font(bold=bold, italic=italic)
        if box:
            cell.border = _BOX
        return cell

    def close(self, widths: tuple[int, ...]) -> None:
        for j, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(j)].width = w
        for j, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(j)].width = w
        print_setup(self.ws, header_rows=self.header_rows, landscape=self.landscape)


def _rich(runs: tuple[Run, ...]) -> str | CellRichText:
    if not any(r.underline or r.bold for r in runs) or all(r.bold and not r.underline for r in runs):
        return "".join(r.text for r in runs)
    return CellRichText(*(TextBlock(InlineFont(b=r.bold or None, u="single" if r.underline else None),
                                    r.text) for r in runs))


def _bold(runs: tuple[Run, ...]) -> bool:
    return bool(runs) and all(r.bold for r in runs)


def _para(s: _Sheet, p: Para) -> None:
    s.put(1, _rich(p.runs), bold=p.style in ("title", "heading"), italic=p.style == "note")
    if p.gloss is not None:
        s.put(3 if s.ws.max_column > 2 else 2, p.gloss.text, italic=True)
    s.row += 1


def _field(s: _Sheet, f: Field) -> None:
    s.put(1, f.label)
    if f.gloss is not None:
        s.put(3, f.gloss.text, italic=True)
    for i, v in enumerate(f.values):
        s.put(2, _rich(v), bold=_bold(v))
        if i < len(f.values) - 1:
            s.row += 1
    s.row += 1


def _table(s: _Sheet, t: Table) -> None:
    cols = t.columns
    depth = max((len(c.groups) for c in cols), default=0) + 1
    top = s.row
    for level in range(depth - 1):
        j = 0
        while j < len(cols):
            g = cols[j].groups[: level + 1]
            if len(cols[j].groups) <= level:
                j += 1
                continue
            k = j
            while k + 1 < len(cols) and cols[k + 1].groups[: level + 1] == g:
                k += 1
            s.ws.cell(top + level, j + 1, g[-1]).alignment = _HEAD
            if k > j:
                s.ws.merge_cells(start_row=top + level, start_column=j + 1, end_row=top + level,
                                 end_column=k + 1)
            j = k + 1
    last_head = top + depth - 1
    for j, c in enumerate(cols, start=1):
        first = top + len(c.groups)
        cell = s.ws.cell(first, j, c.header + (f" ({c.gloss.text})" if c.gloss else ""))
        cell.alignment = _HEAD
        cell.font = Font(bold=True)
        if first < last_head:
            s.ws.merge_cells(start_row=first, start_column=j, end_row=last_head, end_column=j)
        s.widths[j] = max(s.widths.get(j, 0), c.width)
    if t.numbered:
        last_head += 1
        for j, c in enumerate(cols, start=1):
            s.ws.cell(last_head, j, c.number).alignment = _HEAD
    for r in range(top, last_head + 1):
        for j in range(1, len(cols) + 1):
            s.ws.cell(r, j).border = _BOX
    if s.header_rows is None:
        s.header_rows = (top, last_head)
        if t.numbered:
            s.ws.freeze_panes = s.ws.cell(last_head + 1, 3)
    s.row = last_head + 1
    first_data = s.row
    for row in t.rows:
        for j, (v, c) in enumerate(zip(row, cols, strict=True), start=1):
            s.put(j, v, kind=c.kind, box=True)
        s.row += 1
    if t.total_row is not None:
        letters = {i: get_column_letter(j) for j, i in enumerate(t.ids, start=1)}
        for j, (tv, c) in enumerate(zip(t.total_row, cols, strict=True), start=1):
            s.put(j, _formula(tv, c, j, letters, first_data, s.row), kind=c.kind, bold=True,
                  box=True)
        s.row += 1
    if t.total_line is not None:
        s.put(1, t.total_line, bold=True)
        s.row += 1


def _formula(v: Cell | Formula, c: Column, j: int, letters: dict[str, str], first: int,
             row: int) -> Cell:
    """A total cell: the formula where there are rows to sum, else the library's value."""
    if not isinstance(v, Formula):
        return v
    if v.value is None or row == first:  # nothing above to sum: the value itself
        return v.value
    if v.expression == "SUM":
        col = get_column_letter(j)
        return f"=SUM({col}{first}:{col}{row - 1})"
    return "=" + _PLACEHOLDER.sub(lambda m: f"{letters[m.group(1)]}{row}", v.expression)


def _signatures(s: _Sheet, b: Signatures) -> None:
    s.row += 1
    height = max(len(c) for c in b.columns)
    for i in range(height):
        for j, col in enumerate(b.columns, start=1):
            if i < len(col):
                s.put(j, _rich(col[i].runs))
        s.row += 1


def _blocks(s: _Sheet, blocks: tuple[Block, ...], wb: Any, doc: Document) -> None:
    for b in blocks:
        if isinstance(b, Para):
            _para(s, b)
        elif isinstance(b, Field):
            _field(s, b)
        elif isinstance(b, Table):
            _table(s, b)
        elif isinstance(b, Signatures):
            _signatures(s, b)
        elif b.sheet is not None:
            sub = _Sheet(wb.create_sheet(b.sheet), True)
            sub.put(1, b.title, bold=True)
            sub.row += 2
            _blocks(sub, b.blocks, wb, doc)
            sub.close(())
        else:
            s.row += 1
            s.put(1, b.title, bold=True)
            s.row += 1
            _blocks(s, b.blocks, wb, doc)


def write_xlsx(doc: Document, path: str | Path) -> None:
    """Write ``doc`` as a workbook: the form on its first sheet, annexes on their own."""
    wb = Workbook()
    s = _Sheet(wb.active, doc.landscape)
    s.ws.title = doc.sheet
    _blocks(s, doc.blocks, wb, doc)
    s.close(doc.widths)
    wb.save(path)
