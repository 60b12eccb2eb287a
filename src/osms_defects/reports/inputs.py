"""Reading the inputs of a report: the deductions (the deduct contract) and the contracts file.

Deductions: the columns of ``osms-defects deduct`` output (``provider_id, …, monitoring_kind,
detected_on, …, row, status, amount, …``). Contracts: ``provider_id, contract_no, program
(ГОБМП|ОСМС), contract_sum`` and optional columns (see ``CONTRACT_OPTIONAL``). Every bad value
is an error naming the file, the row, the field, the value and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl

from ..errors import ReportInputError

#: kinds of monitoring (п. 18) in the deduct contract's ``monitoring_kind``
KINDS: tuple[str, ...] = ("current", "targeted", "unplanned", "proactive", "mortality")
STATUSES: tuple[str, ...] = ("deducted", "recorded", "warning", "error")
PROGRAMS: tuple[str, ...] = ("ГОБМП", "ОСМС")

DEDUCTION_REQUIRED = ("provider_id", "monitoring_kind", "status", "amount")
CONTRACT_REQUIRED = ("provider_id", "contract_no", "program", "contract_sum")
#: optional contract columns: counts of violations and penalties (неустойка) per kind of
#: monitoring, what was transferred (гр. 40), violations of the accession contract (гр. 43)
CONTRACT_COUNTS = (*(f"violations_{k}" for k in KINDS), "accession_violations")
CONTRACT_MONEY = (
    *(f"penalty_assessed_{k}" for k in KINDS),
    *(f"penalty_paid_{k}" for k in KINDS),
    "penalty_transferred",
)
CONTRACT_OPTIONAL = ("provider_name", "monitored", *CONTRACT_COUNTS, *CONTRACT_MONEY)

_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")
_MAX_LISTED = 10


def _fail(source: str, problems: list[str]) -> ReportInputError:
    shown = problems[:_MAX_LISTED]
    more = f"\n  … and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
    return ReportInputError(
        f"{source}: {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in shown) + more
    )


def read_csv_strings(path: str | Path) -> pl.DataFrame:
    """Read a CSV with every column as text (values are validated by us, not guessed)."""
    try:
        return pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise ReportInputError(f"{path}: cannot read the CSV file: {exc}") from None


def _as_strings(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.all().cast(pl.String).fill_null(""))


def parse_money(value: str, where: str) -> Decimal:
    v = value.strip()
    if not _MONEY.match(v):
        raise ReportInputError(f"{where}: {v!r} is not an amount in tenge (e.g. 1234.50)")
    return Decimal(v).quantize(Decimal("0.01"))


def parse_date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ReportInputError(f"{where}: {value!r} is not a date YYYY-MM-DD") from None


@dataclass(frozen=True, slots=True)
class ErrorRow:
    """A row of a ``deduct`` output whose status is ``error``: not in the document's tables, but
    listed in its annex and counted in its summary (never dropped silently; issue 20)."""

    row: str
    finding_id: str
    provider_id: str
    case_id: str
    code: str
    detected_on: str
    error: str

    def line(self) -> str:
        who = ", ".join(v for v in (self.finding_id, self.provider_id, self.case_id) if v)
        return f"стр. {self.row} ({who}), код {self.code or '—'}: {self.error or 'ошибка'}"


def split_error_rows(frame: pl.DataFrame) -> tuple[pl.DataFrame, tuple[ErrorRow, ...]]:
    """The rows whose ``status`` is not ``error``, and the error rows (with their row number
    from the ``row`` column, or their position)."""
    frame = _as_strings(frame)
    if "status" not in frame.columns:
        return frame, ()
    indexed = frame.with_row_index("_pos", offset=1)
    errors = indexed.filter(pl.col("status") == "error")
    out = []
    for rec in errors.iter_rows(named=True):
        out.append(ErrorRow(
            row=str(rec.get("row") or rec["_pos"]),
            finding_id=str(rec.get("finding_id", "")),
            provider_id=str(rec.get("provider_id", "")),
            case_id=str(rec.get("case_id", "")),
            code=str(rec.get("code", "")),
            detected_on=str(rec.get("detected_on", "")),
            error=str(rec.get("error", "")),
        ))
    kept = indexed.filter(pl.col("status") != "error").drop("_pos")
    if "row" not in kept.columns:  # keep the row numbers of the file in messages
        kept = kept.with_columns(
            indexed.filter(pl.col("status") != "error")["_pos"].cast(pl.String).alias("row"))
    return kept, tuple(out)


def validate_deductions(
    frame: pl.DataFrame, source: str, date_column: str
) -> pl.DataFrame:
    """Check a deductions frame; return it with typed ``_amount`` (Decimal), ``_date``, ``_row``.

    Rows with ``status = error`` are refused here: a caller sets them aside first with
    :func:`split_error_rows` and lists them in the document (a report must add up to the
    deductions the engine explains and say which findings it could not count).
    """
    frame = _as_strings(frame)
    missing = [c for c in (*DEDUCTION_REQUIRED, date_column) if c not in frame.columns]
    if missing:
        raise ReportInputError(
            f"{source}: missing column(s) {', '.join(missing)}; expected the output of "
            "'osms-defects deduct' (provider_id, …, monitoring_kind, detected_on, …, status, amount)"
        )
    has_row = "row" in frame.columns
    problems: list[str] = []
    amounts: list[Decimal] = []
    dates: list[date | None] = []
    rows: list[int] = []
    visits: list[int | None] = []
    has_visit = "visit" in frame.columns
    for i, rec in enumerate(frame.iter_rows(named=True), start=1):
        row = int(rec["row"]) if has_row and str(rec["row"]).isdigit() else i
        where = f"row {row}"
        rows.append(row)
        if rec["status"] not in STATUSES:
            problems.append(f"{where}, status: {rec['status']!r} (allowed: {', '.join(STATUSES)})")
        elif rec["status"] == "error":
            problems.append(
                f"{where}, status: 'error' ({rec.get('error') or 'no message'}); resolve the "
                "finding before reporting — a report must add up to every deduction"
            )
        if rec["monitoring_kind"] not in KINDS:
            problems.append(
                f"{where}, monitoring_kind: {rec['monitoring_kind']!r} (allowed: {', '.join(KINDS)})"
            )
        if not rec["provider_id"].strip():
            problems.append(f"{where}, provider_id: empty")
        amount = Decimal(0)
        if rec["status"] != "error":
            try:
                amount = parse_money(rec["amount"], f"{where}, amount")
            except ReportInputError as exc:
                problems.append(str(exc))
        amounts.append(amount)
        d: date | None = None
        try:
            d = parse_date(rec[date_column], f"{where}, {date_column}")
        except ReportInputError as exc:
            problems.append(str(exc))
        dates.append(d)
        visit: int | None = None
        if has_visit and rec["monitoring_kind"] == "proactive":
            if rec["visit"] not in ("1", "2"):
                problems.append(
                    f"{where}, visit: {rec['visit']!r} (allowed for proactive rows: 1 = first "
                    "visit, 2 = the visit after 45 days, п. 58–59)"
                )
            else:
                visit = int(rec["visit"])
        visits.append(visit)
    if problems:
        raise _fail(source, problems)
    return frame.with_columns(
        pl.Series("_amount", amounts, dtype=pl.Decimal(38, 2)),
        pl.Series("_date", dates, dtype=pl.Date),
        pl.Series("_row", rows, dtype=pl.Int64),
        pl.Series("_visit", visits, dtype=pl.Int64),
    )


def validate_contracts(frame: pl.DataFrame, source: str) -> list[dict[str, object]]:
    """Check a contracts frame; return one dict per contract with typed values.

    Optional columns that are absent are not in the dict; a blank cell is None (unknown).
    """
    frame = _as_strings(frame)
    missing = [c for c in CONTRACT_REQUIRED if c not in frame.columns]
    if missing:
        raise ReportInputError(
            f"{source}: missing column(s) {', '.join(missing)}; required: "
            f"{', '.join(CONTRACT_REQUIRED)}; optional: {', '.join(CONTRACT_OPTIONAL)}"
        )
    unknown = [c for c in frame.columns if c not in (*CONTRACT_REQUIRED, *CONTRACT_OPTIONAL)]
    if unknown:
        raise ReportInputError(
            f"{source}: unknown column(s) {', '.join(unknown)}; allowed: "
            f"{', '.join((*CONTRACT_REQUIRED, *CONTRACT_OPTIONAL))}"
        )
    problems: list[str] = []
    out: list[dict[str, object]] = []
    seen: set[tuple[str, str]] = set()
    for i, rec in enumerate(frame.iter_rows(named=True), start=1):
        where = f"row {i}"
        item: dict[str, object] = {"row": i}
        pid, no = rec["provider_id"].strip(), rec["contract_no"].strip()
        if not pid or not no:
            problems.append(f"{where}: provider_id and contract_no must not be empty")
        if (pid, no) in seen:
            problems.append(f"{where}: contract {no!r} of provider {pid!r} is listed twice")
        seen.add((pid, no))
        item["provider_id"], item["contract_no"] = pid, no
        if rec["program"] not in PROGRAMS:
            problems.append(f"{where}, program: {rec['program']!r} (allowed: ГОБМП, ОСМС)")
        item["program"] = rec["program"]
        try:
            item["contract_sum"] = parse_money(rec["contract_sum"], f"{where}, contract_sum")
        except ReportInputError as exc:
            problems.append(str(exc))
        if "provider_name" in frame.columns:
            item["provider_name"] = rec["provider_name"].strip() or None
        if "monitored" in frame.columns:
            v = rec["monitored"].strip().lower()
            if v not in ("", "true", "false", "yes", "no", "1", "0"):
                problems.append(f"{where}, monitored: {rec['monitored']!r} (allowed: true/false or empty = unknown)")
            item["monitored"] = None if v == "" else v in ("true", "yes", "1")
        for col in CONTRACT_COUNTS:
            if col in frame.columns:
                v = rec[col].strip()
                if v and not v.isdigit():
                    problems.append(f"{where}, {col}: {v!r} (allowed: a whole number ≥ 0, or empty = unknown)")
                item[col] = int(v) if v.isdigit() else None
        for col in CONTRACT_MONEY:
            if col in frame.columns:
                v = rec[col].strip()
                try:
                    item[col] = parse_money(v, f"{where}, {col}") if v else None
                except ReportInputError as exc:
                    problems.append(str(exc) + " (or empty = unknown)")
        out.append(item)
    if problems:
        raise _fail(source, problems)
    return out


def present_columns(contracts: Iterable[dict[str, object]]) -> set[str]:
    cols: set[str] = set()
    for c in contracts:
        cols.update(c)
    return cols
