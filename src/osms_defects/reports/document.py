"""The model of a printed document (issue 20): what a form shows, in order, independent of the
format it is written in.

A form's data file (``data/forms/<edition>/<form>.yaml``, ``reports.layout``) says which
printed texts and which values of a conclusion or report go where; ``layout.compose`` turns them
into a ``Document``; one HTML renderer (``reports.html``, a Jinja2 template) and one XLSX
renderer (``reports.workbook``) walk it. A renderer knows blocks, never forms: adding a form of
a new edition adds a data file, not code.

Values keep their type to the end: an amount is a ``Decimal`` (HTML prints it ``345 120,50``
in the document's language; a workbook keeps a number exact to the tiyn), a date a ``date``
(``31.07.2023``; a date cell in a workbook).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

__all__ = [
    "Block",
    "Cell",
    "Column",
    "ColumnKind",
    "Document",
    "Field",
    "Formula",
    "Gloss",
    "Para",
    "Run",
    "Section",
    "Signatures",
    "Table",
    "page_starts",
]

#: what a table cell holds: text, a count, an amount in tenge, a date, a percentage
ColumnKind = Literal["text", "int", "money", "date", "pct"]
Cell = str | int | Decimal | dt.date | None
#: a paragraph's role on the page: the caption above the title («Приложение 3 к Правилам…»),
#: the title, the number and date line, ordinary text, a section heading, a small note
ParaStyle = Literal["caption", "title", "number", "body", "heading", "note"]


@dataclass(frozen=True, slots=True)
class Gloss:
    """An English gloss of a printed text (``gloss="en"``): beside the text, never in it."""

    text: str


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of text with its emphasis: the filled-in value is bold; the chosen option of
    «(нужное подчеркнуть)» is underlined."""

    text: str
    bold: bool = False
    underline: bool = False


@dataclass(frozen=True, slots=True)
class Para:
    runs: tuple[Run, ...]
    style: ParaStyle = "body"
    gloss: Gloss | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class Field:
    """A numbered item of a form: its printed label, then the value on the same line
    (``inline``) or one paragraph per value below it."""

    label: str
    values: tuple[tuple[Run, ...], ...]
    inline: bool = True
    gloss: Gloss | None = None
    #: the gloss of printed options (текущий, внеплановый → current, unplanned)
    value_gloss: Gloss | None = None


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: ColumnKind = "text"
    #: spanning headers above this one, outermost first (Прил. 3/4 of 2022)
    groups: tuple[str, ...] = ()
    #: the printed column number («графа 38»), when the form numbers its columns
    number: int | None = None
    width: int = 16
    gloss: Gloss | None = None


@dataclass(frozen=True, slots=True)
class Formula:
    """A total a spreadsheet recomputes: ``SUM`` of the column above, or an expression over
    the total row's cells with ``{column id}`` placeholders. ``value`` is the library's own
    result, printed where there are no formulas (HTML)."""

    value: Cell
    expression: str = "SUM"


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: a last row spanning the table: «ИТОГО, количество нарушений: 5»
    total_line: str | None = None
    #: or a total row cell by cell (Прил. 3/4 of 2022), formulas where the form sums
    total_row: tuple[Cell | Formula, ...] | None = None
    #: column ids, for the placeholders of formulas
    ids: tuple[str, ...] = ()
    #: print the row of column numbers under the headers
    numbered: bool = False
    #: the English gloss of the total line's printed text
    total_gloss: Gloss | None = None
    #: a part of a table split to print several pages across: its first and past-last
    #: column (1-based) beside the repeated ones; None for a whole table
    part: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Signatures:
    """The signature block: columns of lines (the Fund's side, the provider's side)."""

    columns: tuple[tuple[Para, ...], ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A part of the document with its own heading: the annex of error rows. ``sheet`` puts it
    on a sheet of its own in a workbook."""

    title: str
    blocks: tuple[Block, ...]
    sheet: str | None = None


Block = Para | Field | Table | Signatures | Section


@dataclass(frozen=True, slots=True)
class Document:
    form: str
    lang: str
    title: str
    blocks: tuple[Block, ...]
    #: the workbook's sheet name and print orientation
    sheet: str = "form"
    landscape: bool = False
    #: column widths of a workbook, from column A
    widths: tuple[int, ...] = ()
    #: a workbook printed so many pages wide (a 44-column report: 3, legible on A4), the first
    #: ``repeat_columns`` columns repeated on each
    pages_wide: int = 1
    repeat_columns: int = 0

    def text(self) -> str:
        """Every printed word, in order (for tests and search)."""
        return "\n".join(_texts(self.blocks))


def _texts(blocks: tuple[Block, ...]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Para):
            out.append(b.text)
        elif isinstance(b, Field):
            out.append(b.label + " " + " ".join("".join(r.text for r in v) for v in b.values))
        elif isinstance(b, Table):
            out.append(" | ".join(c.header for c in b.columns))
            out += [" | ".join("" if c is None else str(c) for c in row) for row in b.rows]
            if b.total_line:
                out.append(b.total_line)
        elif isinstance(b, Signatures):
            out += [p.text for col in b.columns for p in col]
        else:
            out.append(b.title)
            out += _texts(b.blocks)
    return out


def page_starts(t: Table, widths: tuple[int, ...], pages_wide: int,
                repeat_columns: int) -> list[int]:
    """Where a table printed ``pages_wide`` pages across begins each page after the first: the
    columns (1-based) at a change of its spanning groups (a kind of monitoring is not split),
    as near as can be to equal widths, the first ``repeat_columns`` columns repeated on each
    page and so not counted. Both renderers split a wide table here."""
    cols = t.columns
    if pages_wide <= 1 or len(cols) <= repeat_columns + 1:
        return []
    candidates = [j for j in range(repeat_columns + 2, len(cols) + 1)
                  if cols[j - 1].groups[:2] != cols[j - 2].groups[:2]]
    total = sum(widths[repeat_columns:])
    starts: list[int] = []
    for k in range(1, pages_wide):
        acc, target = 0, len(cols)
        for j in range(repeat_columns + 1, len(cols) + 1):
            acc += widths[j - 1]
            if acc * pages_wide >= total * k:
                target = j
                break
        best = min((c for c in candidates if not starts or c > starts[-1]),
                   key=lambda c: abs(c - target), default=None)
        if best is not None:
            starts.append(best)
    return starts
