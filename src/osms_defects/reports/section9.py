"""Section 9 (table 9) of every conclusion, collected once: the rows of a ``deduct`` output of
the provider and kind of monitoring, detected during item 8's dates (reading P10), whose code
the form keeps (P12), deducted under an edition that has the form (P11).

One collector for the conclusions of 2022 (Прил. 2) and of 2026 (Прил. 3, 4) and the register
of 2026 (Прил. 2): rows with ``status = error`` are not refused but set aside — listed in the
document's annex and counted (issue 20) — so a ``deduct`` output with error rows (the README's
main job) still gives its document, and nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from ..errors import ReportInputError
from .inputs import KINDS, ErrorRow

#: the columns of the deduct output that section 9 reads
NEEDED = ("provider_id", "case_id", "code", "monitoring_kind", "detected_on", "status", "amount")


@dataclass(frozen=True, slots=True)
class Collected:
    """The rows kept (as dicts of text, ``_row`` their row number), the rows of the provider and
    kind outside the dates (P10), left out for their code (P12), and the error rows."""

    rows: tuple[dict[str, str], ...]
    outside: int
    other: int
    error_rows: tuple[ErrorRow, ...]


@dataclass(frozen=True, slots=True)
class CaseDefects:
    """One case of table 9 with its defects (code, amount, reference) in the order found."""

    case_id: str
    defects: tuple[tuple[str, Decimal | None, str], ...]


def fail(source: str, problems: Sequence[str]) -> ReportInputError:
    return ReportInputError(f"{source}: {len(problems)} problem(s):\n"
                            + "\n".join(f"  - {p}" for p in problems[:10]))


def _error_row(rec: Mapping[str, str], row: str) -> ErrorRow:
    return ErrorRow(row=row, finding_id=rec.get("finding_id", ""),
                    provider_id=rec.get("provider_id", ""), case_id=rec.get("case_id", ""),
                    code=rec.get("code", ""), detected_on=rec.get("detected_on", ""),
                    error=rec.get("error", ""))


def collect_rows(
    frame: pl.DataFrame,
    source: str,
    *,
    provider_id: str | None,
    kind: str | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    keep_code: Callable[[str], bool],
    editions: Sequence[str] | None,
    form: str,
) -> Collected:
    """The deduction rows that fill a table of ``form``. ``editions``: the editions that have
    the form — each row's ``edition`` column must be one of them (P11; the column is required
    then); None: the column is checked when present, against nothing. Raises one error listing
    every problem (bad date, wrong edition)."""
    frame = frame.with_columns(pl.all().cast(pl.String).fill_null(""))
    need = (*NEEDED, "edition") if editions is not None else NEEDED
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise ReportInputError(f"{source}: missing column(s) {', '.join(missing)} (deduct output)")
    mine = frame.with_row_index("_i", offset=1)
    if provider_id is not None:
        mine = mine.filter(pl.col("provider_id") == provider_id)
    if kind is not None:
        # an error row whose kind cannot be read may be of this monitoring: listed, not dropped
        unreadable = (pl.col("status") == "error") & ~pl.col("monitoring_kind").is_in(KINDS)
        mine = mine.filter((pl.col("monitoring_kind") == kind) | unreadable)
    rows: list[dict[str, str]] = []
    errors: list[ErrorRow] = []
    outside = other = 0
    problems: list[str] = []
    for rec in mine.iter_rows(named=True):
        row = str(rec.get("row") or rec["_i"])
        rec["_row"] = row
        if rec["status"] == "error":
            # listed in the annex whatever its code (an unresolved finding may belong here)
            # unless its date is known and outside item 8's dates
            if date_from is not None and date_to is not None:
                try:
                    d = dt.date.fromisoformat(rec["detected_on"].strip())
                except ValueError:
                    d = None
                if d is not None and not date_from <= d <= date_to:
                    outside += 1
                    continue
            errors.append(_error_row(rec, row))
            continue
        if date_from is not None and date_to is not None:
            try:
                detected = dt.date.fromisoformat(rec["detected_on"].strip())
            except ValueError:
                problems.append(f"row {row}, detected_on: {rec['detected_on']!r} is not a date "
                                "YYYY-MM-DD (needed to place the row in item 8's dates, P10)")
                continue
            if not date_from <= detected <= date_to:
                outside += 1
                continue
        if not keep_code(rec["code"]):
            other += 1
            continue
        if editions is not None and rec["edition"] not in editions:
            problems.append(
                f"row {row}, edition: {rec['edition']!r}; form {form} takes rows deducted under "
                f"the edition(s) {', '.join(editions)} only (reading P11)")
            continue
        rows.append(rec)
    if problems:
        raise fail(source, problems)
    return Collected(tuple(rows), outside, other, tuple(errors))


def cases_of(collected: Collected, cases: Mapping[str, object], source: str) -> list[CaseDefects]:
    """The kept rows grouped by case in the order found; every case must have its entry under
    ``cases`` (record, ИИН, date) in the YAML input."""
    order: list[str] = []
    defects: dict[str, list[tuple[str, Decimal | None, str]]] = {}
    problems: list[str] = []
    for rec in collected.rows:
        case = rec["case_id"]
        if case not in cases:
            problems.append(f"row {rec['_row']}, case_id: {case!r} has no entry under 'cases' "
                            "(record, iin, date)")
            continue
        if case not in defects:
            order.append(case)
            defects[case] = []
        amount = Decimal(rec["amount"]) if rec["amount"] else None
        defects[case].append((rec["code"], amount, rec.get("reference", "")))
    if problems:
        raise fail(source, problems)
    return [CaseDefects(c, tuple(defects[c])) for c in order]
