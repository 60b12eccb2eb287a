"""Findings files in and deductions files out: CSV, JSONL, XLSX.

Every input column is read as text (so that extra columns are carried through untouched and a
base amount is never a float); the deduction columns follow the input columns. Reading D6:
XLSX stores numbers as binary floats, so a numeric cell is read as its shortest decimal text
(1234.56 → "1234.56"), which is what the user typed; a computed cell such as 0.1+0.2 reads as
"0.30000000000000004" and is reported as having more than two decimals.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

import polars as pl

from .._csv import CsvSource, Dialect, localize, malformed_message, read_csv_text
from ..errors import FindingsInputError
from ..outputs import guard_csv_frame
from .model import ErrorKind, Status

Format = Literal["csv", "jsonl", "xlsx"]
FORMATS: tuple[str, ...] = ("csv", "jsonl", "xlsx")
_SUFFIXES: dict[str, Format] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
}


def format_of(path: str | Path, default: Format | None = None) -> Format:
    fmt = _SUFFIXES.get(Path(path).suffix.lower())
    if fmt is None:
        if default is not None:
            return default
        raise FindingsInputError(
            f"{path}: cannot tell the format from the file name; allowed: "
            + ", ".join(f"*{s}" for s in _SUFFIXES)
        )
    return fmt


def read_findings(
    path: str | Path | CsvSource,
    fmt: Format | None = None,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> pl.DataFrame:
    """A findings file as a frame of text columns (names and order as in the file).

    A malformed line (CSV: more fields than the header, a quote never closed; JSONL: not a
    JSON object) is a row with every field empty; :func:`read_findings_lines` also says which
    rows and why, for the error rows of the output (issue 18). CSV: the delimiter and the
    encoding are found out unless given; a ``;`` or tab file is read in the Russian
    convention (``1 487,35``, ``03.05.2023``; :mod:`osms_defects._csv`, docs/input.md)."""
    return read_findings_input(path, fmt, delimiter=delimiter, encoding=encoding).frame


#: row index (0-based) → the ``error`` text of a malformed line
Malformed = dict[int, str]

#: the findings columns that hold amounts and dates (rewritten from the Russian convention)
AMOUNT_COLUMNS: tuple[str, ...] = ("base_amount", "documented_amount")
DATE_COLUMNS: tuple[str, ...] = ("detected_on", "conclusion_signed_on")


@dataclass(frozen=True, slots=True)
class FindingsInput:
    """A findings file read: its text columns, its malformed lines (row index → the ``error``
    text) and, for CSV, how it was written."""

    frame: pl.DataFrame
    malformed: Malformed
    dialect: Dialect | None = None


def read_findings_lines(
    path: str | Path | CsvSource,
    fmt: Format | None = None,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> tuple[pl.DataFrame, Malformed]:
    """:func:`read_findings` and its malformed lines: row index → the ``error`` text
    (``malformed_line: line N of the file …``) for :func:`mark_malformed`."""
    got = read_findings_input(path, fmt, delimiter=delimiter, encoding=encoding)
    return got.frame, got.malformed


def read_findings_input(
    path: str | Path | CsvSource,
    fmt: Format | None = None,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> FindingsInput:
    """:func:`read_findings_lines` with the CSV dialect found (or given). ``path`` may be a
    :class:`~osms_defects._csv.CsvSource` holding the bytes (standard input: ``-``)."""
    src = CsvSource.of(path, delimiter=delimiter, encoding=encoding)
    p = src.path
    if src.data is None and not p.is_file():
        raise FindingsInputError(f"{p}: no such file")
    fmt = fmt or format_of(p, "csv" if str(p) == "-" else None)
    try:
        if fmt == "csv":
            return _read_csv(src)
        if fmt == "jsonl":
            return FindingsInput(*_read_jsonl(src))
        return FindingsInput(_read_xlsx(src), {})
    except FindingsInputError:
        raise
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise FindingsInputError(f"{p}: cannot be read as {fmt.upper()}: {exc}") from None


def _malformed_text(line: int, reason: str) -> str:
    return f"{ErrorKind.MALFORMED_LINE.value}: {malformed_message(line, reason)}"


def _read_csv(src: CsvSource) -> FindingsInput:
    size = len(src.data) if src.data is not None else src.path.stat().st_size
    if size == 0:
        raise FindingsInputError(f"{src.path}: the file is empty; a header row is needed")
    got = read_csv_text(src, FindingsInputError)
    frame = localize(
        got.frame.lazy(), got.dialect, amounts=AMOUNT_COLUMNS, dates=DATE_COLUMNS
    ).collect()
    return FindingsInput(
        frame,
        {i: _malformed_text(ln, why) for i, (ln, why) in got.malformed.items()},
        got.dialect,
    )


def mark_malformed(out: pl.DataFrame, malformed: Malformed) -> pl.DataFrame:
    """The deductions of a file with malformed lines: those rows (already errors: every field
    is empty) say which line of the file and why (error kind ``malformed_line``)."""
    if not malformed:
        return out
    idx = pl.Series(list(malformed), dtype=pl.UInt32)
    texts = pl.Series(list(malformed.values()), dtype=pl.String)
    return out.with_columns(out.get_column("error").scatter(idx, texts))


def _cell_text(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise FindingsInputError(f"{where}: {value!r} is a boolean; give text")
    if isinstance(value, float):
        return repr(value)  # the shortest decimal text (reading D6)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        raise FindingsInputError(f"{where}: {value!r} is not a single value")
    return str(value)


def _frame(columns: list[str], rows: list[dict[str, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(
        {c: [r.get(c) for r in rows] for c in columns}, schema={c: pl.String for c in columns}
    )


class _RepeatedKey(Exception):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _RepeatedKey(k)
            seen.add(k)
    return out


def _read_jsonl(src: CsvSource) -> tuple[pl.DataFrame, Malformed]:
    p = src.path
    text = (
        src.data.decode("utf-8-sig")
        if src.data is not None
        else p.read_text(encoding="utf-8-sig")
    )
    columns: list[str] = []
    seen: set[str] = set()
    rows: list[dict[str, str | None]] = []
    malformed: Malformed = {}
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            # numbers as their text; a key given twice in a line is refused (json keeps
            # the last value silently)
            obj = json.loads(
                line, parse_float=str, parse_int=str, object_pairs_hook=_no_repeats
            )
        except _RepeatedKey as exc:
            raise FindingsInputError(
                f"{p}:{n}: the key {exc.args[0]!r} is given twice in this line; each "
                "column once per line"
            ) from None
        except (json.JSONDecodeError, RecursionError) as exc:
            malformed[len(rows)] = _malformed_text(n, f"not a JSON line: {exc}")
            rows.append({})
            continue
        if not isinstance(obj, dict):
            malformed[len(rows)] = _malformed_text(
                n, "a line must be a JSON object of columns"
            )
            rows.append({})
            continue
        for k in obj:
            if k not in seen:
                seen.add(k)
                columns.append(k)
        rows.append({k: _cell_text(v, f"{p}:{n}, {k}") for k, v in obj.items()})
    if not columns:
        first = next(iter(malformed.values()), "")
        raise FindingsInputError(
            f"{p}: no findings (no JSON objects)"
            + (f"; {first.split(': ', 1)[1]}" if first else "")
        )
    return _frame(columns, rows), malformed


def _read_xlsx(src: CsvSource) -> pl.DataFrame:
    from openpyxl import load_workbook

    p = src.path
    wb = load_workbook(
        io.BytesIO(src.data) if src.data is not None else p, read_only=True, data_only=True
    )
    try:
        ws = wb.worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = next(it, None)
        if header is None:
            raise FindingsInputError(f"{p}: the first sheet is empty; a header row is needed")
        columns = [str(h).strip() if h is not None else "" for h in header]
        while columns and columns[-1] == "":
            columns.pop()
        if "" in columns or len(set(columns)) != len(columns):
            raise FindingsInputError(f"{p}: the header row has empty or repeated names: {columns}")
        rows = []
        numeric_codes: list[str] = []
        for n, values in enumerate(it, start=2):
            if all(v is None for v in values):
                continue
            code = dict(zip(columns, values, strict=False)).get("code")
            if isinstance(code, (int, float)) and not isinstance(code, bool):
                numeric_codes.append(f"row {n} ({code!r})")
            rows.append(
                {
                    c: _cell_text(v, f"{p}, sheet {ws.title}, row {n}, {c}")
                    for c, v in zip(columns, values, strict=False)
                }
            )
        if numeric_codes:
            # 6.10 typed into a number cell is stored as 6.1: another defect code of Annex 1
            raise FindingsInputError(
                f"{p}, sheet {ws.title}: the code column holds numbers in "
                + ", ".join(numeric_codes[:10])
                + (" …" if len(numeric_codes) > 10 else "")
                + "; format the column as text (a number cell cannot tell 6.10 from 6.1)"
            )
    finally:
        wb.close()
    return _frame(columns, rows)


# ---- output ---------------------------------------------------------------------------------


def write_deductions(
    out: pl.DataFrame, target: IO[bytes], fmt: Format, *, csv_guard: bool = True
) -> None:
    """Write a deductions frame (strings; ``row`` integer) as CSV, JSONL or XLSX.

    XLSX (``_write_xlsx``): amounts as numbers in a money format, dates as dates, a frozen
    header with an autofilter; every text cell is written as text, never a formula; CSV: with ``csv_guard`` (the
    default) a text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a CR gets a
    leading ``'`` (OWASP; :mod:`osms_defects.outputs`)."""
    if fmt == "csv":
        # the result columns are the library's own text: not scanned
        (guard_csv_frame(out, skip=_OWN_COLUMNS) if csv_guard else out).write_csv(target)
    elif fmt == "jsonl":
        for batch in out.iter_slices(100_000):
            for rec in batch.iter_rows(named=True):
                line = jsonl_record(rec)
                target.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
    else:
        _write_xlsx(out, target)


#: XLSX: columns written as numbers in the money format / as dates (where the text is one)
XLSX_MONEY_COLUMNS = ("amount", "base_amount", "documented_amount")
XLSX_DATE_COLUMNS = ("detected_on", "conclusion_signed_on", "remedy_due")
XLSX_MONEY_FORMAT = "#,##0.00"
XLSX_DATE_FORMAT = "dd.mm.yyyy"
_PLAIN_DECIMAL = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,10})?")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _write_xlsx(out: pl.DataFrame, target: IO[bytes]) -> None:
    """The deductions as a workbook the way the reports write theirs: amounts as numbers in
    the money format, written from their decimal text (the cell holds ``862350.00`` itself, no
    binary float on the way), dates as dates, a bold frozen header with an autofilter, column
    widths from the content. A text cell is text, never a formula (``_xlsx_text``); a money or
    date cell whose text is not a plain number / ISO date stays text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("deductions")
    columns = out.columns
    for j, c in enumerate(columns, start=1):
        longest = out.select(pl.col(c).cast(pl.String).str.len_chars().max()).item()
        wide = 12 if c in XLSX_DATE_COLUMNS else int(longest or 0) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(wide, len(c) + 4, 8), 60)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = _xlsx_text(ws, c)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    money = {j for j, c in enumerate(columns) if c in XLSX_MONEY_COLUMNS}
    dates = {j for j, c in enumerate(columns) if c in XLSX_DATE_COLUMNS}

    def cell_of(j: int, v: Any) -> Any:
        if not isinstance(v, str):
            return v
        t = v.strip()
        if j in money and _PLAIN_DECIMAL.fullmatch(t):
            cell = WriteOnlyCell(ws, value=t)
            cell.data_type = "n"  # the <v> is the decimal text: exact, never via a float
            cell.number_format = XLSX_MONEY_FORMAT
            return cell
        if j in dates and _ISO_DATE.fullmatch(t):
            try:
                day = dt.date.fromisoformat(t)
            except ValueError:
                return _xlsx_text(ws, v)
            cell = WriteOnlyCell(ws, value=day)
            cell.number_format = XLSX_DATE_FORMAT
            return cell
        return _xlsx_text(ws, v)

    for values in out.iter_rows():
        ws.append([cell_of(j, v) for j, v in enumerate(values)])
    ws.auto_filter.ref = f"A1:{get_column_letter(max(len(columns), 1))}{out.height + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    target.write(buf.getvalue())


def jsonl_record(rec: dict[str, Any]) -> dict[str, Any]:
    """One row of a deductions frame as a ``--format jsonl`` line (and a row of ``POST
    /deduct`` of ``osms-defects serve``): an empty cell is null, ``calendar_provisional`` a JSON
    boolean, amounts stay text (never a JSON number)."""
    line = {k: (v if v != "" else None) for k, v in rec.items()}
    if "calendar_provisional" in line:  # a JSON boolean, never a string
        line["calendar_provisional"] = line["calendar_provisional"] == "true"
    return line


#: the result columns (deductions.frame.RESULT_COLUMNS): text the library writes
_OWN_COLUMNS = ("status", "amount", "basis", "factor", "edition", "reference", "remedy_due")


def _xlsx_text(ws: Any, value: str) -> Any:
    """A write-only cell holding ``value`` as text (openpyxl would make "=…" a formula)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"
    return cell


def summary(out: pl.DataFrame) -> dict[str, Any]:
    """Counts by status and the total deducted (Decimal, exact: summed in tiyn)."""
    counts = dict(out.group_by("status").len().iter_rows())
    cents = (
        out.filter(pl.col("status") == Status.DEDUCTED.value)
        .select(pl.col("amount").str.replace(".", "", literal=True).cast(pl.Int128).sum())
        .item()
    )
    total = Decimal(int(cents or 0)) / 100
    return {
        "rows": out.height,
        "deducted": counts.get(Status.DEDUCTED.value, 0),
        "recorded": counts.get(Status.RECORDED.value, 0),
        "warnings": counts.get(Status.WARNING.value, 0),
        "errors": counts.get(Status.ERROR.value, 0),
        "total": total.quantize(Decimal("0.01")),
    }


def iter_chunks(df: pl.DataFrame, size: int) -> Iterator[tuple[int, pl.DataFrame]]:
    for start in range(0, max(df.height, 1), size):
        yield start, df.slice(start, size)
