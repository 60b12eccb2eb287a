"""The one HTML renderer (issue 20): ``templates/document.html.j2`` walks a ``Document``.

Jinja2 with autoescaping: a text of an input («<script>», «&») is printed as text. A printable
page with no external assets (A4, the table headers repeated on every printed page). Amounts
print as ``345 120,50`` and dates as ``31.07.2023`` (``reports.numbers``), in the document's
language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import jinja2

from .document import Cell, Document, Formula, Gloss, Table
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


def render_html(doc: Document, *, fragment: bool = False) -> str:
    """The printable page of ``doc`` (``fragment``: a ``<div>`` for a notebook)."""
    template = _env().get_template("document.html.j2")
    return template.render(doc=doc, fragment=fragment, cell=_cell(doc.lang)).strip() + "\n"
