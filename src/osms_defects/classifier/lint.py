"""Consistency check of the classifier (lint).

The printed Annex 1 is not self-consistent, and the Fund's users say so (protocol of the
advisory council, shared/seeds/000, items 7 and 8: missing defects, vague terms). ``lint``
reports what does not add up, row by row and column by column, so that a reader can check the
table against its own note («знак "+" - данные коды и подкоды дефектов применяются ...»).

Kinds of finding:

* ``applicable_without_amount`` — a sub-code marked "+" in a column where its group prints "-":
  the code applies but Annex 1 gives no amount (``penalty`` raises PenaltyUndefinedError);
* ``orphan_amount`` — a group with sub-codes prints an amount in a column where none of its
  sub-codes applies: the amount can never be charged;
* ``unit_mismatch`` — an amount whose unit is not the column's unit (e.g. "КТ" under a
  per-capita column);
* ``row_order`` / ``code_order`` — printed row numbers or codes out of order;
* ``row_number_format`` — a printed row number that is not "<n>" or "<n>." (the "4.." typo);
* edition 2026 (docs/edition_2026.md): ``doubtful_cell`` — every cell the data marks doubtful
  (short rows, reading E3; two-reading cells, reading E4), ``not_printed`` — a column the source
  copy prints no cell for, ``code_gap`` — a group number skipped (13.0), ``subcode_own_amount``
  — a sub-code printing an amount of its own (3.4, 12.3), ``subcode_amount_differs`` — such an
  amount that differs from its group's;
* ``unverified_start`` — an edition whose start date is provisional;
* structural kinds, which also stop loading: ``doubt_without_cell`` (a doubt on a column that
  is not a column), ``not_printed_without_doubt``, ``duplicate_code``, ``subcode_without_group``,
  ``malformed_cell``, ``malformed_code``, ``unknown_care_type``, ``missing_cell``,
  ``group_marked_applies``, ``duplicate_care_type``.

Each kind is one function below (its docstring names the rule of the printed table it checks),
called from small ordered lists: ``_STRUCTURE_CHECKS`` (the head, then each row with
``_ROW_CHECKS``, its doubts with ``_DOUBT_CHECKS`` and its cells with ``_CELL_CHECKS``) and,
when nothing structural was found, ``_CONTENT_CHECKS``. The order of the findings is the
table's: row by row, column by column.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cells import Cell, CellError, CellKind, parse_cell

if TYPE_CHECKING:
    from .model import DefectRow, Doubt, Edition

STRUCTURAL_KINDS = frozenset(
    {
        "duplicate_code",
        "subcode_without_group",
        "malformed_cell",
        "malformed_code",
        "unknown_care_type",
        "missing_cell",
        "group_marked_applies",
        "duplicate_care_type",
        "doubt_without_cell",
    }
)

_CODE = re.compile(r"^\d+\.\d+$")
_ROW = re.compile(r"^(\d+)(\.*)$")


@dataclass(frozen=True, slots=True)
class LintFinding:
    """One finding: its kind, the code and care type, and what is wrong."""

    kind: str
    code: str | None
    care_type: str | None
    message: str
    row: str | None = None  # № п/п as printed
    column: int | None = None  # printed column number
    path: tuple[str | int, ...] = ()  # key path in the edition, for locating it in the file

    @property
    def structural(self) -> bool:
        return self.kind in STRUCTURAL_KINDS

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row № {self.row}")
        if self.code is not None:
            where.append(f"code {self.code}")
        if self.care_type is not None:
            col = f" (column {self.column})" if self.column is not None else ""
            where.append(f"care type {self.care_type}{col}")
        return f"{self.kind}: {', '.join(where)}: {self.message}"


@dataclass(frozen=True, slots=True)
class _Table:
    """What the checks need to know of the whole table, computed once: the printed column of
    each care type, the rows by code, and for each row the largest row number and code of
    the well-formed rows above it (for the order checks)."""

    ed: Edition
    columns: dict[str, int]
    rows: dict[str, DefectRow]
    first_at: dict[str, int]  # code → index of its first well-formed row
    row_before: tuple[int, ...]  # per row: the largest row number printed above it (0)
    code_before: tuple[tuple[int, ...], ...]  # per row: the largest code above it (())

    @classmethod
    def of(cls, ed: Edition) -> _Table:
        first_at: dict[str, int] = {}
        row_before: list[int] = []
        code_before: list[tuple[int, ...]] = []
        last_row = 0
        last_code: tuple[int, ...] = ()
        for i, d in enumerate(ed.defects):
            row_before.append(last_row)
            code_before.append(last_code)
            if not _CODE.match(d.id):
                continue  # malformed_code: no other check of the row
            first_at.setdefault(d.id, i)
            m = _ROW.match(d.row.strip())
            if m is not None:
                last_row = max(last_row, int(m.group(1)))
            last_code = max(last_code, _code_key(d.id))
        return cls(
            ed,
            {c.id: c.column for c in ed.care_types},
            {d.id: d for d in ed.defects},
            first_at,
            tuple(row_before),
            tuple(code_before),
        )

    def units(self, care_type: str) -> tuple[str, ...]:
        return tuple(next(c.units for c in self.ed.care_types if c.id == care_type))


def _code_key(code: str) -> tuple[int, ...]:
    return tuple(int(p) for p in code.split("."))


Findings = Iterator[LintFinding]


# ------------------------------------------------------------------ the head of the table
def _duplicate_care_type(t: _Table) -> Findings:
    """``duplicate_care_type``: each column of the printed table (гр. 3–14, a care type) is
    printed once."""
    seen: set[str] = set()
    for k, c in enumerate(t.ed.care_types):
        if c.id in seen:
            yield LintFinding(
                "duplicate_care_type", None, c.id, "care type listed twice", path=("care_types", k, "id")
            )
        seen.add(c.id)


# ------------------------------------------------------------------ a row's code and number
def _malformed_code(t: _Table, i: int, d: DefectRow) -> Findings:
    """``malformed_code``: a code (гр. 2) is printed «<n>.<m>» (a final dot allowed)."""
    if not _CODE.match(d.id):
        yield LintFinding(
            "malformed_code",
            d.code,
            None,
            f"code {d.code!r} is not of the form '<n>.<m>' (a final dot is allowed)",
            d.row,
            path=("defects", i, "code"),
        )


def _duplicate_code(t: _Table, i: int, d: DefectRow) -> Findings:
    """``duplicate_code``: each code (гр. 2) is printed on one row only."""
    first = t.first_at[d.id]
    if first < i:
        yield LintFinding(
            "duplicate_code",
            d.id,
            None,
            f"code {d.id} is printed again (first at defects[{first}])",
            d.row,
            path=("defects", i, "code"),
        )


def _row_number_format(t: _Table, i: int, d: DefectRow) -> Findings:
    """``row_number_format``: a row number (№ п/п, гр. 1) is printed «<n>» or «<n>.» (the
    printed «4..» is kept as printed and reported)."""
    m = _ROW.match(d.row.strip())
    if m is None:
        msg = f"row number {d.row!r} is not a number"
    elif len(m.group(2)) > 1:
        msg = f"row number printed as {d.row!r} (kept as printed)"
    else:
        return
    yield LintFinding("row_number_format", d.id, None, msg, d.row, path=("defects", i, "row"))


def _row_order(t: _Table, i: int, d: DefectRow) -> Findings:
    """``row_order``: the row numbers (№ п/п, гр. 1) increase down the table."""
    m = _ROW.match(d.row.strip())
    if m is not None and int(m.group(1)) <= t.row_before[i]:
        yield LintFinding(
            "row_order",
            d.id,
            None,
            f"row number {int(m.group(1))} does not follow {t.row_before[i]}",
            d.row,
            path=("defects", i, "row"),
        )


def _code_order(t: _Table, i: int, d: DefectRow) -> Findings:
    """``code_order``: the codes (гр. 2) increase down the table."""
    last = t.code_before[i]
    if _code_key(d.id) <= last:
        yield LintFinding(
            "code_order",
            d.id,
            None,
            f"code {d.id} does not follow {'.'.join(map(str, last))}",
            d.row,
            path=("defects", i, "code"),
        )


def _subcode_without_group(t: _Table, i: int, d: DefectRow) -> Findings:
    """``subcode_without_group``: a sub-code (4.1) is printed under its group's row (4.0),
    whose amount it takes (Примечание: «знак "+" …»)."""
    if d.group is not None and d.group not in t.rows:
        yield LintFinding(
            "subcode_without_group",
            d.id,
            None,
            f"sub-code {d.id} has no group row {d.group}",
            d.row,
            path=("defects", i, "code"),
        )


def _unknown_care_type(t: _Table, i: int, d: DefectRow) -> Findings:
    """``unknown_care_type``: a row's cells are in the table's columns (care types) only."""
    for ct in d.cells:
        if ct not in t.columns:
            yield LintFinding(
                "unknown_care_type",
                d.id,
                ct,
                f"care type {ct!r} is not a column of this edition; allowed: {', '.join(t.columns)}",
                d.row,
                path=("defects", i, "cells", ct),
            )


# ------------------------------------------------------------------ a row's doubtful cells
def _doubt_without_cell(t: _Table, i: int, d: DefectRow, ct: str, doubt: Doubt) -> Findings:
    """``doubt_without_cell``: a doubt about the printed copy is on a column of the table."""
    if ct not in t.columns:
        yield LintFinding(
            "doubt_without_cell",
            d.id,
            ct,
            f"doubt on {ct!r}, which is not a column; allowed: {', '.join(t.columns)}",
            d.row,
            path=("defects", i, "doubtful", ct),
        )


def _not_printed(t: _Table, i: int, d: DefectRow, ct: str, doubt: Doubt) -> Findings:
    """``not_printed``: every row prints every column; the source copy prints no cell here
    (short rows of 2026, reading E3)."""
    if ct in t.columns and ct not in d.cells:
        yield LintFinding(
            "not_printed",
            d.id,
            ct,
            f"the source copy prints no cell here: {doubt.reason} (reading "
            f"{doubt.reading}); penalty() refuses it",
            d.row,
            t.columns[ct],
            ("defects", i, "doubtful", ct),
        )


def _doubtful_cell(t: _Table, i: int, d: DefectRow, ct: str, doubt: Doubt) -> Findings:
    """``doubtful_cell``: a printed cell whose reading the data marks doubtful (readings E3,
    E4: a cell of a short row, a cell with two readings)."""
    if ct in t.columns and ct in d.cells:
        yield LintFinding(
            "doubtful_cell",
            d.id,
            ct,
            f"{d.cells[ct]!r} ({doubt.kind}): {doubt.reason} (reading {doubt.reading})",
            d.row,
            t.columns[ct],
            ("defects", i, "doubtful", ct),
        )


#: per doubtful cell of a row; exactly one of them applies to each
_DOUBT_CHECKS = (_doubt_without_cell, _not_printed, _doubtful_cell)


def _doubts(t: _Table, i: int, d: DefectRow) -> Findings:
    """The doubtful cells of a row, in the data's order (``_DOUBT_CHECKS`` each)."""
    for ct, doubt in d.doubtful.items():
        for check in _DOUBT_CHECKS:
            yield from check(t, i, d, ct, doubt)


# ------------------------------------------------------------------ a row's cells
def _missing_cell(t: _Table, i: int, d: DefectRow, ct: str, col: int) -> Findings:
    """``missing_cell``: every row prints every column (гр. 3–14), unless the data marks the
    cell as not printed in the source copy (``not_printed``)."""
    if ct in d.doubtful and d.doubtful[ct].kind == "not_printed":
        return
    yield LintFinding(
        "missing_cell",
        d.id,
        ct,
        f"no cell for care type {ct!r}; every row prints every column",
        d.row,
        col,
        ("defects", i, "cells"),
    )


def _malformed_cell(t: _Table, i: int, d: DefectRow, ct: str, col: int, exc: CellError) -> Findings:
    """``malformed_cell``: a cell prints «+», «-» or an amount (an MCI, a КТ, a share)."""
    yield LintFinding("malformed_cell", d.id, ct, str(exc), d.row, col, ("defects", i, "cells", ct))


def _group_marked_applies(t: _Table, i: int, d: DefectRow, ct: str, col: int, cell: Cell) -> Findings:
    """``group_marked_applies``: «+» is printed on sub-codes only (Примечание: «знак "+" -
    данные коды и подкоды дефектов применяются …» with the amount of their group)."""
    if cell.kind is CellKind.APPLIES and d.group is None:
        yield LintFinding(
            "group_marked_applies",
            d.id,
            ct,
            "a group or stand-alone code prints '+' but '+' takes the amount of a group",
            d.row,
            col,
            ("defects", i, "cells", ct),
        )


def _unit_mismatch(t: _Table, i: int, d: DefectRow, ct: str, col: int, cell: Cell) -> Findings:
    """``unit_mismatch``: an amount is in the unit of its column (e.g. no «КТ» under a
    per-capita column)."""
    units = t.units(ct)
    for amount in cell.readings or (cell,):
        if amount.kind is CellKind.AMOUNT and amount.basis not in units:
            yield LintFinding(
                "unit_mismatch",
                d.id,
                ct,
                f"amount {amount.printed!r} is in {amount.basis}, but column {col} "
                f"is in {' or '.join(units)}",
                d.row,
                col,
                ("defects", i, "cells", ct),
            )


#: per printed, well-formed cell of a row, in order
_CELL_CHECKS = (_group_marked_applies, _unit_mismatch)


def _cells(t: _Table, i: int, d: DefectRow) -> Findings:
    """The cells of a row, column by column: ``missing_cell`` or ``malformed_cell`` (then
    nothing more of that cell), else ``_CELL_CHECKS``."""
    for ct, col in t.columns.items():
        if ct not in d.cells:
            yield from _missing_cell(t, i, d, ct, col)
            continue
        try:
            cell = parse_cell(d.cells[ct])
        except CellError as exc:
            yield from _malformed_cell(t, i, d, ct, col, exc)
            continue
        for check in _CELL_CHECKS:
            yield from check(t, i, d, ct, col, cell)


#: per row with a well-formed code, in order (a malformed code stops the row's checks)
_ROW_CHECKS = (
    _duplicate_code,
    _row_number_format,
    _row_order,
    _code_order,
    _subcode_without_group,
    _unknown_care_type,
    _doubts,
    _cells,
)


def _rows(t: _Table) -> Findings:
    """Each row of the table, top to bottom: ``_malformed_code``, else ``_ROW_CHECKS``."""
    for i, d in enumerate(t.ed.defects):
        bad = list(_malformed_code(t, i, d))
        if bad:
            yield from bad
            continue
        for check in _ROW_CHECKS:
            yield from check(t, i, d)


# ------------------------------------------------------------------ the table as a whole
def _unverified_start(t: _Table) -> Findings:
    """``unverified_start``: the edition's start date is the one the order states, not a
    provisional date (docs/edition_2026.md)."""
    f = t.ed.in_force
    if f.effective_from_verified:
        return
    window = ""
    if f.effective_from_earliest or f.effective_from_latest:
        window = f" (true start between {f.effective_from_earliest} and {f.effective_from_latest})"
    yield LintFinding(
        "unverified_start",
        None,
        None,
        f"the start date {f.from_} is provisional{window}; correct it with an override "
        "file (docs/edition_2026.md)",
        path=("in_force", "from"),
    )


def _code_gap(t: _Table) -> Findings:
    """``code_gap``: the groups (гр. 2, «<n>.0») are numbered without a gap (2026 skips
    13.0)."""
    majors = sorted({int(d.id.split(".")[0]) for d in t.ed.defects})
    for a, b in itertools.pairwise(majors):
        if b - a > 1:
            missing = ", ".join(f"{n}.0" for n in range(a + 1, b))
            yield LintFinding(
                "code_gap",
                f"{b}.0",
                None,
                f"the numbering jumps from group {a}.0 to {b}.0: {missing} not printed",
            )


def _subcode_amount(t: _Table) -> Findings:
    """``subcode_own_amount`` / ``subcode_amount_differs``: a sub-code prints «+» and takes
    its group's amount (Примечание); one printing an amount of its own (2026: 3.4, 12.3) is
    reported, as ``subcode_amount_differs`` when it is not its group's amount."""
    for i, d in enumerate(t.ed.defects):
        g = t.rows.get(d.group) if d.group else None
        if g is None:
            continue
        for ct, printed in d.cells.items():
            cell = parse_cell(printed)
            if cell.kind not in (CellKind.AMOUNT, CellKind.TWO_READINGS):
                continue
            gprinted = g.cells.get(ct)
            kind, msg = "subcode_own_amount", f"sub-code prints an amount of its own {printed!r}"
            if gprinted is not None and gprinted != printed:
                kind = "subcode_amount_differs"
                msg += f", its group {g.id} prints {gprinted!r}: the sub-code's own amount applies"
            yield LintFinding(
                kind, d.id, ct, msg, d.row, t.columns.get(ct), ("defects", i, "cells", ct)
            )


def _applicable_without_amount(t: _Table) -> Findings:
    """``applicable_without_amount``: a sub-code marked «+» in a column takes its group's
    amount there (Примечание); its group printing «-» leaves nothing to deduct."""
    for i, d in enumerate(t.ed.defects):
        group = d.group
        if group is None:
            continue
        g = t.rows[group]
        for ct, col in t.columns.items():
            if ct not in d.cells or ct not in g.cells:
                continue  # not printed: reported as not_printed
            if parse_cell(d.cells[ct]).kind is not CellKind.APPLIES:
                continue
            if parse_cell(g.cells[ct]).kind is CellKind.NOT_APPLICABLE:
                yield LintFinding(
                    "applicable_without_amount",
                    d.id,
                    ct,
                    f"marked '+' but its group {group} prints '-' in column {col}: no amount to deduct",
                    d.row,
                    col,
                    ("defects", i, "cells", ct),
                )


def _orphan_amount(t: _Table) -> Findings:
    """``orphan_amount``: a group with sub-codes prints an amount in a column only where one of
    its sub-codes is marked «+» (Примечание); otherwise the amount can never be charged."""
    for i, g in enumerate(t.ed.defects):
        subs = [d for d in t.ed.defects if d.group == g.id]
        if not subs:
            continue
        for ct, col in t.columns.items():
            if ct not in g.cells:
                continue
            gcell = parse_cell(g.cells[ct])
            if gcell.kind in (CellKind.AMOUNT, CellKind.TWO_READINGS) and not any(
                ct in s.cells and parse_cell(s.cells[ct]).kind is CellKind.APPLIES for s in subs
            ):
                yield LintFinding(
                    "orphan_amount",
                    g.id,
                    ct,
                    f"group prints {gcell.printed!r} in column {col} but none of its sub-codes ({', '.join(s.id for s in subs)}) applies there",
                    g.row,
                    col,
                    ("defects", i, "cells", ct),
                )


#: the checks of the table's structure, in order; a structural finding stops the lint there
_STRUCTURE_CHECKS: tuple[Callable[[_Table], Findings], ...] = (_duplicate_care_type, _rows)
#: then the checks of its content, in order
_CONTENT_CHECKS: tuple[Callable[[_Table], Findings], ...] = (
    _unverified_start,
    _code_gap,
    _subcode_amount,
    _applicable_without_amount,
    _orphan_amount,
)


def _check(ed: Edition) -> list[LintFinding]:
    """Every finding in order: the structure's (``_STRUCTURE_CHECKS``), then, when none of
    them is structural, the content's (``_CONTENT_CHECKS``)."""
    t = _Table.of(ed)
    findings = [f for check in _STRUCTURE_CHECKS for f in check(t)]
    if any(f.structural for f in findings):
        return findings
    return findings + [f for check in _CONTENT_CHECKS for f in check(t)]


def structural_problems(ed: Edition) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems that stop the edition from loading, as (key path, message)."""
    return [(f.path, str(f)) for f in _check(ed) if f.structural]


def lint_edition(ed: Edition) -> list[LintFinding]:
    """Every finding for an edition, in table order (structural problems first, if any)."""
    return _check(ed)
