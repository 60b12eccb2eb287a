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
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Literal

import polars as pl

from .._csv import malformed_message, read_csv_text
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


def read_findings(path: str | Path, fmt: Format | None = None) -> pl.DataFrame:
    """A findings file as a frame of text columns (names and order as in the file).

    A malformed line (CSV: more fields than the header, a quote never closed; JSONL: not a
    JSON object) is a row with every field empty; :func:`read_findings_lines` also says which
    rows and why, for the error rows of the output (issue 18)."""
    return read_findings_lines(path, fmt)[0]


#: row index (0-based) → the ``error`` text of a malformed line
Malformed = dict[int, str]


def read_findings_lines(path: str | Path, fmt: Format | None = None) -> tuple[pl.DataFrame, Malformed]:
    """:func:`read_findings` and its malformed lines: row index → the ``error`` text
    (``malformed_line: line N of the file …``) for :func:`mark_malformed`."""
    p = Path(path)
    if not p.is_file():
        raise FindingsInputError(f"{p}: no such file")
    fmt = fmt or format_of(p)
    try:
        if fmt == "csv":
            return _read_csv(p)
        if fmt == "jsonl":
            return _read_jsonl(p)
        return _read_xlsx(p), {}
    except FindingsInputError:
        raise
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError, ValueError) as exc:
        raise FindingsInputError(f"{p}: cannot be read as {fmt.upper()}: {exc}") from None


def _malformed_text(line: int, reason: str) -> str:
    return f"{ErrorKind.MALFORMED_LINE.value}: {malformed_message(line, reason)}"


def _read_csv(p: Path) -> tuple[pl.DataFrame, Malformed]:
    if p.stat().st_size == 0:
        raise FindingsInputError(f"{p}: the file is empty; a header row is needed")
    got = read_csv_text(p, FindingsInputError)
    return got.frame, {i: _malformed_text(ln, why) for i, (ln, why) in got.malformed.items()}


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


def _read_jsonl(p: Path) -> tuple[pl.DataFrame, Malformed]:
    columns: list[str] = []
    seen: set[str] = set()
    rows: list[dict[str, str | None]] = []
    malformed: Malformed = {}
    with p.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
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


def _read_xlsx(p: Path) -> pl.DataFrame:
    from openpyxl import load_workbook

    wb = load_workbook(p, read_only=True, data_only=True)
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

    XLSX: every text cell is written as text, never a formula; CSV: with ``csv_guard`` (the
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
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("deductions")
        ws.append([_xlsx_text(ws, c) for c in out.columns])
        for values in out.iter_rows():
            # amounts stay text: exact tenge, never a float; text never a formula
            ws.append([_xlsx_text(ws, v) if isinstance(v, str) else v for v in values])
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
