"""The one HTML renderer (issue 20): ``templates/document.html.j2`` walks a ``Document``.

Jinja2 with autoescaping: a text of an input («<script>», «&») is printed as text. A printable
page with no external assets (A4, the table headers repeated on every printed page). Amounts
print as ``345 120,50`` and dates as ``31.07.2023`` (``reports.numbers``), in the document's
language.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path

import jinja2

from .document import Block, Cell, Document, Formula, Gloss, Table, page_starts
from .numbers import format_date, format_money

__all__ = ["render_html"]


@dataclass(frozen=True, slots=True)
class _HeaderCell:
    text: str
    span: int = 1
    rowspan: int = 1
    gloss: Gloss | None = None


def _depth(t: Table) -> int:
    return max((len(c.groups) for c in t.columns), default=0) + 1


def _group_row(t: Table, level: int) -> list[_HeaderCell]:
    """The header cells of one header row: a spanning group over the run of neighbouring columns
    under it; a column's own header on the row after its last group, down to the last row."""
    depth = _depth(t)
    cols = t.columns
    out: list[_HeaderCell] = []
    j = 0
    while j < len(cols):
        c = cols[j]
        if len(c.groups) > level:
            key = c.groups[: level + 1]
            k = j
            while k + 1 < len(cols) and cols[k + 1].groups[: level + 1] == key:
                k += 1
            out.append(_HeaderCell(c.groups[level], span=k - j + 1))
            j = k + 1
            continue
        if len(c.groups) == level:
            out.append(_HeaderCell(c.header, rowspan=depth - level, gloss=c.gloss))
        j += 1
    return out


def _cell(lang: str) -> object:
    def cell(v: Cell | Formula, kind: str) -> str:
        if isinstance(v, Formula):
            v = v.value
        if v is None:
            return ""
        if isinstance(v, Decimal) and kind in ("money", "pct"):
            return format_money(v, lang)
        if isinstance(v, dt.date):
            return format_date(v)
        return str(v)

    return cell


@cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=False,
    )
    env.filters["kind"] = lambda b: type(b).__name__
    env.filters["depth"] = _depth
    env.filters["group_row"] = _group_row
    return env


def _split(doc: Document) -> Document:
    """A document printed several pages across (``pages_wide``: the 44-column reports) has
    each wide table split where the workbook breaks its pages (``document.page_starts``), the
    first ``repeat_columns`` columns repeated in each part, each part on a page of its own."""
    if doc.pages_wide <= 1:
        return doc
    out: list[Block] = []
    for b in doc.blocks:
        if not isinstance(b, Table):
            out.append(b)
            continue
        starts = page_starts(b, tuple(c.width for c in b.columns), doc.pages_wide,
                             doc.repeat_columns)
        if not starts:
            out.append(b)
            continue
        keep = list(range(doc.repeat_columns))
        edges = [doc.repeat_columns + 1, *starts, len(b.columns) + 1]
        for first, end in itertools.pairwise(edges):
            idx = keep + list(range(first - 1, end - 1))
            out.append(replace(
                b, columns=tuple(b.columns[i] for i in idx),
                rows=tuple(tuple(r[i] for i in idx) for r in b.rows),
                total_row=(tuple(b.total_row[i] for i in idx) if b.total_row else None),
                ids=tuple(b.ids[i] for i in idx) if b.ids else (),
                part=(first, end)))
    return replace(doc, blocks=tuple(out))


def render_html(doc: Document, *, fragment: bool = False) -> str:
    """The printable page of ``doc`` (``fragment``: a ``<div>`` for a notebook)."""
    template = _env().get_template("document.html.j2")
    return template.render(doc=_split(doc), fragment=fragment,
                           cell=_cell(doc.lang)).strip() + "\n"
