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
* structural kinds, which also stop loading: ``doubt_without_cell`` (a doubt on a column that
  is not a column), ``not_printed_without_doubt``, ``duplicate_code``, ``subcode_without_group``,
  ``malformed_cell``, ``malformed_code``, ``unknown_care_type``, ``missing_cell``,
  ``group_marked_applies``, ``duplicate_care_type``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .cells import CellError, CellKind, parse_cell

if TYPE_CHECKING:
    from .model import Edition

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


def _check(ed: Edition) -> list[LintFinding]:
    findings: list[LintFinding] = []
    add = findings.append
    columns = {c.id: c.column for c in ed.care_types}
    seen_ct: set[str] = set()
    for k, c in enumerate(ed.care_types):
        if c.id in seen_ct:
            add(
                LintFinding(
                    "duplicate_care_type",
                    None,
                    c.id,
                    "care type listed twice",
                    path=("care_types", k, "id"),
                )
            )
        seen_ct.add(c.id)
    ids = [d.id for d in ed.defects]
    seen: dict[str, int] = {}
    last_row = 0
    last_code: tuple[int, ...] = ()
    for i, d in enumerate(ed.defects):
        base = ("defects", i)
        code = d.id
        if not _CODE.match(code):
            add(
                LintFinding(
                    "malformed_code",
                    d.code,
                    None,
                    f"code {d.code!r} is not of the form '<n>.<m>' (a final dot is allowed)",
                    d.row,
                    path=(*base, "code"),
                )
            )
            continue
        if code in seen:
            add(
                LintFinding(
                    "duplicate_code",
                    code,
                    None,
                    f"code {code} is printed again (first at defects[{seen[code]}])",
                    d.row,
                    path=(*base, "code"),
                )
            )
        seen.setdefault(code, i)
        m = _ROW.match(d.row.strip())
        if m is None:
            add(
                LintFinding(
                    "row_number_format",
                    code,
                    None,
                    f"row number {d.row!r} is not a number",
                    d.row,
                    path=(*base, "row"),
                )
            )
        else:
            n = int(m.group(1))
            if len(m.group(2)) > 1:
                add(
                    LintFinding(
                        "row_number_format",
                        code,
                        None,
                        f"row number printed as {d.row!r} (kept as printed)",
                        d.row,
                        path=(*base, "row"),
                    )
                )
            if n <= last_row:
                add(
                    LintFinding(
                        "row_order",
                        code,
                        None,
                        f"row number {n} does not follow {last_row}",
                        d.row,
                        path=(*base, "row"),
                    )
                )
            last_row = max(last_row, n)
        key = tuple(int(p) for p in code.split("."))
        if key <= last_code:
            add(
                LintFinding(
                    "code_order",
                    code,
                    None,
                    f"code {code} does not follow {'.'.join(map(str, last_code))}",
                    d.row,
                    path=(*base, "code"),
                )
            )
        last_code = max(last_code, key)
        group = d.group
        if group is not None and group not in ids:
            add(
                LintFinding(
                    "subcode_without_group",
                    code,
                    None,
                    f"sub-code {code} has no group row {group}",
                    d.row,
                    path=(*base, "code"),
                )
            )
        for ct in d.cells:
            if ct not in columns:
                add(
                    LintFinding(
                        "unknown_care_type",
                        code,
                        ct,
                        f"care type {ct!r} is not a column of this edition; allowed: {', '.join(columns)}",
                        d.row,
                        path=(*base, "cells", ct),
                    )
                )
        for ct, doubt in d.doubtful.items():
            if ct not in columns:
                add(
                    LintFinding(
                        "doubt_without_cell",
                        code,
                        ct,
                        f"doubt on {ct!r}, which is not a column; allowed: {', '.join(columns)}",
                        d.row,
                        path=(*base, "doubtful", ct),
                    )
                )
            elif ct not in d.cells:
                add(
                    LintFinding(
                        "not_printed",
                        code,
                        ct,
                        f"the source copy prints no cell here: {doubt.reason} (reading "
                        f"{doubt.reading}); penalty() refuses it",
                        d.row,
                        columns[ct],
                        (*base, "doubtful", ct),
                    )
                )
            else:
                add(
                    LintFinding(
                        "doubtful_cell",
                        code,
                        ct,
                        f"{d.cells[ct]!r} ({doubt.kind}): {doubt.reason} (reading {doubt.reading})",
                        d.row,
                        columns[ct],
                        (*base, "doubtful", ct),
                    )
                )
        for ct, col in columns.items():
            if ct not in d.cells:
                if ct in d.doubtful and d.doubtful[ct].kind == "not_printed":
                    continue
                add(
                    LintFinding(
                        "missing_cell",
                        code,
                        ct,
                        f"no cell for care type {ct!r}; every row prints every column",
                        d.row,
                        col,
                        (*base, "cells"),
                    )
                )
                continue
            try:
                cell = parse_cell(d.cells[ct])
            except CellError as exc:
                add(
                    LintFinding(
                        "malformed_cell", code, ct, str(exc), d.row, col, (*base, "cells", ct)
                    )
                )
                continue
            if cell.kind is CellKind.APPLIES and group is None:
                add(
                    LintFinding(
                        "group_marked_applies",
                        code,
                        ct,
                        "a group or stand-alone code prints '+' but '+' takes the amount of a group",
                        d.row,
                        col,
                        (*base, "cells", ct),
                    )
                )
            units = next(c.units for c in ed.care_types if c.id == ct)
            for amount in cell.readings or (cell,):
                if amount.kind is CellKind.AMOUNT and amount.basis not in units:
                    add(
                        LintFinding(
                            "unit_mismatch",
                            code,
                            ct,
                            f"amount {amount.printed!r} is in {amount.basis}, but column {col} "
                            f"is in {' or '.join(units)}",
                            d.row,
                            col,
                            (*base, "cells", ct),
                        )
                    )
    if any(f.structural for f in findings):
        return findings
    findings += _check_2026(ed)
    # Consistency of sub-codes with their group (Прил. 1, Примечание).
    rows = {d.id: d for d in ed.defects}
    for i, d in enumerate(ed.defects):
        group = d.group
        if group is None:
            continue
        g = rows[group]
        for ct, col in columns.items():
            if ct not in d.cells or ct not in g.cells:
                continue  # not printed: reported as not_printed
            if parse_cell(d.cells[ct]).kind is CellKind.APPLIES:
                gcell = parse_cell(g.cells[ct])
                if gcell.kind is CellKind.NOT_APPLICABLE:
                    add(
                        LintFinding(
                            "applicable_without_amount",
                            d.id,
                            ct,
                            f"marked '+' but its group {group} prints '-' in column {col}: no amount to deduct",
                            d.row,
                            col,
                            ("defects", i, "cells", ct),
                        )
                    )
    for i, g in enumerate(ed.defects):
        subs = [d for d in ed.defects if d.group == g.id]
        if not subs:
            continue
        for ct, col in columns.items():
            if ct not in g.cells:
                continue
            gcell = parse_cell(g.cells[ct])
            if gcell.kind in (CellKind.AMOUNT, CellKind.TWO_READINGS) and not any(
                ct in s.cells and parse_cell(s.cells[ct]).kind is CellKind.APPLIES for s in subs
            ):
                add(
                    LintFinding(
                        "orphan_amount",
                        g.id,
                        ct,
                        f"group prints {gcell.printed!r} in column {col} but none of its sub-codes ({', '.join(s.id for s in subs)}) applies there",
                        g.row,
                        col,
                        ("defects", i, "cells", ct),
                    )
                )
    return findings


def _check_2026(ed: Edition) -> list[LintFinding]:
    """Findings of the kinds the 2026 table brings (they do not occur in 2022)."""
    out: list[LintFinding] = []
    f = ed.in_force
    if not f.effective_from_verified:
        window = ""
        if f.effective_from_earliest or f.effective_from_latest:
            window = (
                f" (true start between {f.effective_from_earliest} and {f.effective_from_latest})"
            )
        out.append(
            LintFinding(
                "unverified_start",
                None,
                None,
                f"the start date {f.from_} is provisional{window}; correct it with an override "
                "file (docs/edition_2026.md)",
                path=("in_force", "from"),
            )
        )
    majors = sorted({int(d.id.split(".")[0]) for d in ed.defects})
    for a, b in itertools.pairwise(majors):
        if b - a > 1:
            missing = ", ".join(f"{n}.0" for n in range(a + 1, b))
            out.append(
                LintFinding(
                    "code_gap",
                    f"{b}.0",
                    None,
                    f"the numbering jumps from group {a}.0 to {b}.0: {missing} not printed",
                )
            )
    rows = {d.id: d for d in ed.defects}
    columns = {c.id: c.column for c in ed.care_types}
    for i, d in enumerate(ed.defects):
        g = rows.get(d.group) if d.group else None
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
            out.append(
                LintFinding(
                    kind, d.id, ct, msg, d.row, columns.get(ct), ("defects", i, "cells", ct)
                )
            )
    return out


def structural_problems(ed: Edition) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems that stop the edition from loading, as (key path, message)."""
    return [(f.path, str(f)) for f in _check(ed) if f.structural]


def lint_edition(ed: Edition) -> list[LintFinding]:
    """Every finding for an edition, in table order (structural problems first, if any)."""
    return _check(ed)
