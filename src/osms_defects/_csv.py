"""Reading CSV input files (findings, registers) so that one bad line does not refuse a file.

polars reads a well-formed file fast; when it fails on a malformed line (a line with more
fields than the header, a quote that is never closed, text after a closing quote), the file
is read again line by line with Python's ``csv`` module (strict), and each line it cannot
split becomes a *malformed line*: the row is kept with every field empty and the reason, so
that rows in = rows out and the caller reports it as an error row with its line number. A line
with fewer fields than the header is padded with empty fields (as polars does). Only a file
that cannot be read at all is refused: not UTF-8 (the line of the first bad byte), or a header
that cannot be split, or is empty, or names a column twice (naming the column).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .errors import OsmsDefectsError


@dataclass(frozen=True, slots=True)
class CsvText:
    """A CSV file as a frame of text columns and its malformed lines.

    ``malformed`` maps the 0-based index of a row of ``frame`` to (line number in the file,
    reason); such a row has every field null."""

    frame: pl.DataFrame
    malformed: dict[int, tuple[int, str]] = field(default_factory=dict)


ErrorFactory = Callable[[str], OsmsDefectsError]


def check_header(path: Path, error: ErrorFactory) -> list[str]:
    """The header's column names; a repeated or empty name, or a header that cannot be split,
    is refused (polars would rename a repeat and read the first column silently)."""
    with path.open("rb") as fh:
        raw = fh.readline()
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is not part of the first name
    except UnicodeDecodeError as exc:
        raise error(
            f"{path}:1: not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8"
        ) from None
    try:
        first = next(csv.reader([text], strict=True), None)
    except csv.Error as exc:
        raise error(f"{path}:1: the header line cannot be read as CSV: {exc}") from None
    if not first:
        raise error(f"{path}: the file is empty; a header row is needed")
    seen: dict[str, int] = {}
    for i, name in enumerate(first, start=1):
        if name in seen:
            raise error(
                f"{path}:1: column {name!r} appears twice in the header (columns {seen[name]} "
                f"and {i}); each column must be named once"
            )
        seen[name] = i
    return first


def read_csv_text(path: Path, error: ErrorFactory) -> CsvText:
    """Every column as text. Fast path: polars; on a parse error, line by line (above)."""
    header = check_header(path, error)
    try:
        return CsvText(pl.read_csv(path, infer_schema=False, encoding="utf8"))
    except pl.exceptions.ComputeError:
        pass  # a malformed line (or bytes that are not UTF-8): read it line by line
    return read_lines(path, header, error)


def read_lines(path: Path, header: list[str], error: ErrorFactory) -> CsvText:
    """The slow path: Python's csv, strict, restarted after each line it cannot split."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(
            f"{path}:{line}: not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8"
        ) from None
    lines = text.split("\n")
    width = len(header)
    columns: list[list[str | None]] = [[] for _ in header]
    malformed: dict[int, tuple[int, str]] = {}
    n = 0  # rows so far

    def add(fields: list[str] | None, line: int, reason: str = "") -> None:
        nonlocal n
        if fields is None:
            malformed[n] = (line, reason)
            for col in columns:
                col.append(None)
        else:
            for i, col in enumerate(columns):
                v = fields[i] if i < len(fields) else ""
                col.append(v if v != "" else None)
        n += 1

    pos = 1  # index of the line after the header (a header spanning lines is not supported)
    while pos < len(lines):
        start = pos
        reader = csv.reader((ln + "\n" for ln in lines[start:]), strict=True)
        try:
            while True:
                before = reader.line_num
                try:
                    fields = next(reader)
                except StopIteration:
                    pos = len(lines)
                    break
                line = start + before + 1  # 1-based line of the file where the record starts
                if not fields:
                    continue  # a blank line (polars skips them too)
                if len(fields) > width:
                    add(None, line, f"{len(fields)} fields where the header has {width}")
                else:
                    add(fields, line)
        except csv.Error as exc:
            line = start + before + 1
            reason = str(exc)
            if "unexpected end of data" in reason or "EOF" in reason:
                reason = "a quote opened on this line is never closed"
            add(None, line, reason)
            pos = line  # resume on the next line of the file (index = line)
    frame = pl.DataFrame(
        {name: pl.Series(name, col, dtype=pl.String) for name, col in zip(header, columns, strict=True)}
    )
    return CsvText(frame, malformed)


def malformed_message(line: int, reason: str) -> str:
    return (
        f"line {line} of the file is malformed CSV ({reason}); its fields are not read — "
        "correct the line (quote a field that contains a comma, close every quote)"
    )
