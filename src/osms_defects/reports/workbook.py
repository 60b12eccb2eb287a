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
import itertools
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
    page_starts,
)

__all__ = ["print_setup", "write_xlsx"]

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD = Alignment(wrap_text=True, vertical="center", horizontal="center")
_FORMATS = {"int": "0", "money": "#,##0.00", "pct": "0.00", "text": "@", "date": "DD.MM.YYYY"}
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")


def print_setup(ws: Any, *, header_rows: tuple[int, int] | None, landscape: bool,
                pages_wide: int = 1, repeat_columns: int = 0) -> None:
    """Print settings: A4, fit to ``pages_wide`` pages across (any number of pages down), the
    header rows repeated on every printed page, and the first ``repeat_columns`` columns on
    every page across."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if header_rows is not None:
        ws.print_title_rows = f"{header_rows[0]}:{header_rows[1]}"
    if repeat_columns:
        ws.print_title_cols = f"A:{get_column_letter(repeat_columns)}"


class _Sheet:
    def __init__(self, ws: Any, landscape: bool, blocks: tuple[Block, ...],
                 widths: tuple[int, ...], pages_wide: int = 1, repeat_columns: int = 0) -> None:
        self.ws = ws
        self.row = 1
        self.landscape = landscape
        self.pages_wide, self.repeat_columns = pages_wide, repeat_columns
        self.header_rows: tuple[int, int] | None = None
        #: the widths of the columns: the form's, else those of its widest table
        table = max((b for b in blocks if isinstance(b, Table)), key=lambda t: len(t.columns),
                    default=None)
        own = dict(enumerate((c.width for c in table.columns), start=1)) if table else {}
        self.widths: dict[int, int] = own | dict(enumerate(widths, start=1))
        #: how many columns a line of text spans: the widest table's; on a sheet printed
        #: several pages wide, those of the first page (a merged line is not split over pages)
        span = max(len(table.columns) if table else 2, 2)
        if pages_wide > 1:
            page = self.width(1, span) / pages_wide
            span = max((k for k in range(2, span + 1) if self.width(1, k) <= page), default=2)
        self.span = span
        self.merged: set[tuple[int, int]] = set()
        #: the columns where a page across begins (page_starts), once the table is known
        self.breaks: list[int] | None = None

    def width(self, first: int, last: int) -> float:  # float-ok: column widths, not money
        return float(sum(self.widths.get(j, 13) for j in range(first, last + 1)))  # float-ok

    def text(self, first: int, last: int, value: str | CellRichText, *, bold: bool = False,
             italic: bool = False) -> None:
        """A text over the columns ``first``–``last`` (merged), wrapped, and the row made high
        enough for it: a spreadsheet does not grow a row for a merged cell by itself."""
        self.put(first, value, bold=bold, italic=italic)
        if last > first and (self.row, first) not in self.merged:
            self.merged.add((self.row, first))
            self.ws.merge_cells(start_row=self.row, start_column=first, end_row=self.row,
                                end_column=last)
        self.fit(str(value), self.width(first, last))

    def page_starts(self, t: Table) -> list[int]:
        """On a sheet printed ``pages_wide`` pages across: the columns (1-based) where the 2nd,
        3rd … page begins (``document.page_starts``); placed as manual column breaks, the scale
        chosen so that the widest page fits A4. Empty when one page wide."""
        if self.pages_wide <= 1 or self.breaks is not None:
            return self.breaks or []
        widths = tuple(self.widths.get(j, 13) for j in range(1, len(t.columns) + 1))
        self.breaks = page_starts(t, widths, self.pages_wide, self.repeat_columns)
        return self.breaks

    def label_columns(self) -> int:
        """The columns a label spans: the first ones making up a third of the width."""
        total = self.width(1, self.span)
        for last in range(1, self.span):
            if self.width(1, last) >= total / 3:
                return last
        return 1

    def fit(self, text: str, width: float) -> None:  # float-ok: characters per line
        """Raise the current row to hold ``text`` wrapped in ``width`` characters."""
        per_line = max(width * 0.9, 1.0)  # characters of the default font per line
        lines = sum(max(1, -(-len(part) // int(per_line))) for part in text.split("\n"))
        height = 15.0 * lines
        dim = self.ws.row_dimensions[self.row]
        if height > (dim.height or 15.0):
            dim.height = height

    def put(self, col: int, value: Cell | Formula | CellRichText, *, kind: str = "text",
            bold: bool = False, italic: bool = False, box: bool = False,
            formula: bool = False) -> Any:
        v: Any = value
        cell = self.ws.cell(self.row, col, v)
        if formula:
            cell.number_format = _FORMATS.get(kind, "General")
        elif isinstance(v, str):
            cell.data_type = "s"  # text from the data is never a formula (issue 18)
        elif isinstance(v, Decimal):  # an amount (or a percentage): two decimals, exact
            cell.number_format = _FORMATS["pct" if kind == "pct" else "money"]
        elif isinstance(v, int) and not isinstance(v, bool):
            cell.number_format = _FORMATS["int"]
        elif isinstance(v, dt.date):
            cell.number_format = _FORMATS["date"]
        cell.alignment = _WRAP
        if bold or italic:
            cell.font = Font(bold=bold, italic=italic)
        if box:
            cell.border = _BOX
        return cell

    def close(self) -> None:
        for j, w in self.widths.items():
            self.ws.column_dimensions[get_column_letter(j)].width = w
        print_setup(self.ws, header_rows=self.header_rows, landscape=self.landscape,
                    pages_wide=self.pages_wide, repeat_columns=self.repeat_columns)
        if self.breaks:
            self._manual_breaks(self.breaks)

    def _manual_breaks(self, starts: list[int]) -> None:
        """Column breaks before each page's first column and a scale at which the widest page
        (with the repeated columns) fits the printable width of A4."""
        from openpyxl.worksheet.pagebreak import Break

        for j in starts:
            self.ws.col_breaks.append(Break(id=j - 1))
        self.ws.sheet_properties.pageSetUpPr.fitToPage = False  # "fit to" would ignore breaks
        def pixels(first: int, last: int) -> int:
            # a column of width w is about 7·w + 5 pixels at 96 dpi
            return sum(7 * self.widths.get(j, 13) + 5 for j in range(first, last + 1))

        edges = [1, *starts, max(self.widths) + 1]
        repeated = pixels(1, self.repeat_columns)
        widest = max(pixels(a, b - 1) + (repeated if a > 1 else 0)
                     for a, b in itertools.pairwise(edges))
        # the printable width of A4 less margins of 0.4" each side, at 96 dpi
        printable = (11.69 - 0.8) * 96 if self.landscape else (8.27 - 0.8) * 96  # float-ok
        self.ws.page_margins.left = self.ws.page_margins.right = 0.4
        # 0.70: a spreadsheet whose default font is wider than Calibri (LibreOffice with DejaVu)
        # draws the same widths up to ~30 % wider; a page that overflows gets a break of its own
        self.ws.page_setup.scale = max(10, min(100, int(printable * 70 / widest)))


def _rich(runs: tuple[Run, ...]) -> str | CellRichText:
    if not any(r.underline or r.bold for r in runs) or all(r.bold and not r.underline for r in runs):
        return "".join(r.text for r in runs)
    return CellRichText(*(TextBlock(InlineFont(b=r.bold or None, u="single" if r.underline else None),
                                    r.text) for r in runs))


def _bold(runs: tuple[Run, ...]) -> bool:
    return bool(runs) and all(r.bold for r in runs)


def _para(s: _Sheet, p: Para) -> None:
    s.text(1, s.span, _rich(p.runs), bold=p.style in ("title", "heading"),
           italic=p.style == "note")
    s.row += 1
    if p.gloss is not None:
        s.text(1, s.span, p.gloss.text, italic=True)
        s.row += 1


def _field(s: _Sheet, f: Field) -> None:
    """The label over the first columns (a good third of the width), the value(s) beside it."""
    last = s.label_columns()
    s.text(1, last, f.label)
    if not f.values:
        s.row += 1
    for v in f.values:
        s.text(last + 1, s.span, _rich(v), bold=_bold(v))
        s.row += 1
    if f.gloss is not None or f.value_gloss is not None:
        if f.gloss is not None:
            s.text(1, last, f.gloss.text, italic=True)
        if f.value_gloss is not None:
            s.text(last + 1, s.span, f.value_gloss.text, italic=True)
        s.row += 1


def _table(s: _Sheet, t: Table) -> None:
    cols = t.columns
    depth = max((len(c.groups) for c in cols), default=0) + 1
    top = s.row
    starts = set(s.page_starts(t))
    for level in range(depth - 1):
        j = 0
        while j < len(cols):
            g = cols[j].groups[: level + 1]
            if len(cols[j].groups) <= level:
                j += 1
                continue
            k = j
            # a spanning header stops at a page's edge and is printed again on the next page
            while (k + 1 < len(cols) and cols[k + 1].groups[: level + 1] == g
                   and k + 2 not in starts):
                k += 1
            s.ws.cell(top + level, j + 1, g[-1]).alignment = _HEAD
            if k > j:
                s.ws.merge_cells(start_row=top + level, start_column=j + 1, end_row=top + level,
                                 end_column=k + 1)
            j = k + 1
    last_head = top + depth - 1
    for j, c in enumerate(cols, start=1):
        s.widths[j] = max(s.widths.get(j, 0), c.width)
    for j, c in enumerate(cols, start=1):
        first = top + len(c.groups)
        header = c.header
        cell = s.ws.cell(first, j, header)
        cell.alignment = _HEAD
        cell.font = Font(bold=True)
        if first < last_head:
            s.ws.merge_cells(start_row=first, start_column=j, end_row=last_head, end_column=j)
        else:
            at, s.row = s.row, first
            s.fit(header, s.width(j, j) * 0.8)  # bold, centred
            s.row = at
    if t.numbered:
        last_head += 1
        for j, c in enumerate(cols, start=1):
            s.ws.cell(last_head, j, c.number).alignment = _HEAD
    if any(c.gloss for c in cols):  # the English glosses on a row of their own, in italics
        last_head += 1
        s.row = last_head
        for j, c in enumerate(cols, start=1):
            if c.gloss is not None:
                s.put(j, c.gloss.text, italic=True)
                s.fit(c.gloss.text, s.width(j, j))
    for r in range(top, last_head + 1):
        for j in range(1, len(cols) + 1):
            s.ws.cell(r, j).border = _BOX
    if s.header_rows is None:
        s.header_rows = (top, last_head)
        if t.numbered:
            s.ws.freeze_panes = s.ws.cell(last_head + 1, 3)
    s.row = last_head + 1
    first_data = s.row
    for cells in t.rows:
        for j, (v, c) in enumerate(zip(cells, cols, strict=True), start=1):
            s.put(j, v, kind=c.kind, box=True)
            if isinstance(v, str):
                s.fit(v, s.width(j, j))
        s.row += 1
    if t.total_row is not None:
        letters = {i: get_column_letter(j) for j, i in enumerate(t.ids, start=1)}
        for j, (tv, c) in enumerate(zip(t.total_row, cols, strict=True), start=1):
            # only the library's own totals are formulas; a text from the data never is
            value = _formula(tv, c, j, letters, first_data, s.row)
            s.put(j, value, kind=c.kind, bold=True, box=True,
                  formula=isinstance(tv, Formula) and isinstance(value, str))
        s.row += 1
    if t.total_line is not None:
        s.text(1, max(len(cols), 1), t.total_line, bold=True)
        s.row += 1
        if t.total_gloss is not None:
            s.text(1, max(len(cols), 1), t.total_gloss.text, italic=True)
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
    """The sides of the signature block side by side, each over its share of the columns."""
    s.row += 1
    n = len(b.columns)
    share = max(s.span // max(n, 1), 1)
    # each line, then its English gloss on the line below when one is asked for
    columns = [[(p.runs, False) for p in col] for col in b.columns]
    for lines, col in zip(columns, b.columns, strict=True):
        for i in reversed(range(len(col))):
            g = col[i].gloss
            if g is not None:
                lines.insert(i + 1, ((Run(g.text),), True))
    height = max(len(c) for c in columns)
    for i in range(height):
        for k, lines in enumerate(columns):
            first = 1 + k * share
            last = s.span if k == n - 1 else first + share - 1
            if i < len(lines):
                runs, is_gloss = lines[i]
                s.text(first, last, _rich(runs), italic=is_gloss)
        s.row += 1


def _blocks(s: _Sheet, blocks: tuple[Block, ...], wb: Any) -> None:
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
            sub = _Sheet(wb.create_sheet(b.sheet), True, b.blocks, ())
            sub.text(1, sub.span, b.title, bold=True)
            sub.row += 2
            _blocks(sub, b.blocks, wb)
            sub.close()
        else:
            s.row += 1
            s.text(1, s.span, b.title, bold=True)
            s.row += 1
            _blocks(s, b.blocks, wb)


def write_xlsx(doc: Document, path: str | Path) -> None:
    """Write ``doc`` as a workbook: the form on its first sheet, annexes on their own."""
    wb = Workbook()
    s = _Sheet(wb.active, doc.landscape, doc.blocks, doc.widths, doc.pages_wide,
               doc.repeat_columns)
    s.ws.title = doc.sheet
    _blocks(s, doc.blocks, wb)
    s.close()
    wb.save(path)
