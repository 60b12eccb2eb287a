"""Reading CSV input files (findings, registers) as offices write them, so that one bad line
does not refuse a file.

**How a file is written** (its *dialect*) is found out, or given (``--delimiter``,
``--encoding``; :class:`CsvSource`). The rule, documented in ``docs/input.md``:

* encoding: a byte-order mark decides (UTF-8, UTF-16); else UTF-8 when the first MiB of the
  file is valid UTF-8; else Windows-1251 (what Excel in a Russian or Kazakh locale writes as
  "CSV"). Only these; any other is given with ``--encoding``.
* delimiter: the one of ``,`` ``;`` tab that occurs most often in the header line outside
  quotes (column names never contain one); ``,`` when none does.
* *the Russian convention* holds in a file separated by ``;`` or tabs (Excel in a Russian or
  Kazakh locale writes those, with a decimal comma and day-first dates): there an amount may be
  written ``1 487,35`` / ``1487,35`` (space, no-break space or narrow no-break space between
  thousands; at most two decimals after the comma) and a date ``03.05.2023``; such values are
  rewritten to ``1487.35`` and ``2023-05-03`` as they are read (text to text: exact). In a
  ``,`` file neither is read: the comma is the field separator there, so ``1,487`` or
  ``03.05.2023`` stay errors. ``1,487`` (three decimals after a comma) is never rewritten: it
  could be 1487 or 1.487. Digits other than ASCII 0-9 are never read as numbers or dates.

polars reads a well-formed file fast; when it fails on a malformed line (a line with more
fields than the header, a quote that is never closed, text after a closing quote), the file
is read again line by line with Python's ``csv`` module (strict), and each line it cannot
split becomes a *malformed line*: the row is kept with every field empty and the reason, so
that rows in = rows out and the caller reports it as an error row with its line number. A line
with fewer fields than the header is padded with empty fields (as polars does). Only a file
that cannot be read at all is refused: not text in its encoding (the line of the first bad
byte), or a header that cannot be split, or is empty, or names a column twice (naming the
column).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import OsmsDefectsError

if TYPE_CHECKING:
    import polars as pl

#: encodings read, by the names a user may give (``--encoding``)
ENCODINGS: dict[str, str] = {
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "cp1251": "cp1251",
    "windows-1251": "cp1251",
    "1251": "cp1251",
    "utf-16": "utf-16",
}
#: delimiters read, by the names a user may give (``--delimiter``)
DELIMITERS: dict[str, str] = {
    ",": ",",
    "comma": ",",
    ";": ";",
    "semicolon": ";",
    "\t": "\t",
    "\\t": "\t",
    "tab": "\t",
}
_HEAD = 1 << 20  # bytes looked at to tell the encoding
_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space (Excel's thousands)
#: an amount in the Russian convention: thousands grouped by a space, or none; a decimal comma
#: with one or two decimals (``1,487`` is not one: ambiguous)
RU_AMOUNT_RE = rf"^-?(?:[0-9]{{1,3}}(?:[{_SPACES}][0-9]{{3}})+|[0-9]+)(?:,[0-9]{{1,2}})?$"
RU_DATE_RE = r"^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$"
RU_DATETIME_RE = r"^([0-9]{2})\.([0-9]{2})\.([0-9]{4})([ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"


@dataclass(frozen=True, slots=True)
class CsvSource:
    """A CSV input and, where the user says so, how it is written.

    ``path`` names it in messages (``-`` for standard input); ``data``, when given, is its
    content (standard input, an upload) and the file is not opened. ``delimiter`` and
    ``encoding``: None finds them out (module docstring)."""

    path: Path
    data: bytes | None = None
    delimiter: str | None = None
    encoding: str | None = None

    @classmethod
    def of(
        cls,
        source: str | Path | CsvSource,
        *,
        delimiter: str | None = None,
        encoding: str | None = None,
    ) -> CsvSource:
        if isinstance(source, CsvSource):
            return source
        return cls(Path(source), None, delimiter, encoding)


@dataclass(frozen=True, slots=True)
class Dialect:
    delimiter: str
    encoding: str

    @property
    def russian(self) -> bool:
        """The Russian convention (decimal comma, day-first dates): a ``;`` or tab file."""
        return self.delimiter != ","

    def describe(self) -> str:
        names = {",": "comma", ";": "semicolon", "\t": "tab"}
        return f"{names.get(self.delimiter, self.delimiter)}-separated, {self.encoding}" + (
            " (Russian convention: decimal comma, DD.MM.YYYY dates)" if self.russian else ""
        )


ErrorFactory = Callable[[str], OsmsDefectsError]


def canonical_encoding(name: str, error: ErrorFactory) -> str:
    enc = ENCODINGS.get(name.strip().lower())
    if enc is None:
        raise error(
            f"encoding {name!r} is not read; allowed: utf-8, utf-8-sig, cp1251 (windows-1251), "
            "utf-16"
        )
    return enc


def canonical_delimiter(name: str, error: ErrorFactory) -> str:
    d = DELIMITERS.get(name if name in DELIMITERS else name.strip().lower())
    if d is None:
        raise error(f"delimiter {name!r} is not read; allowed: ',', ';', tab")
    return d


def _head(src: CsvSource) -> bytes:
    if src.data is not None:
        return src.data[:_HEAD]
    with src.path.open("rb") as fh:
        return fh.read(_HEAD)


def detect_encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 by its BOM, else Windows-1251 (module docstring)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a character cut by the end of the first MiB is not a reason for another encoding
        if not (len(head) == _HEAD and exc.start >= len(head) - 3):
            return "cp1251"
    return "utf-8"


def detect_delimiter(header_line: str) -> str:
    """The most frequent of ``,`` ``;`` tab outside quotes in the header line; ``,`` if none."""
    counts = {",": 0, ";": 0, "\t": 0}
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: (counts[k], k == ","))
    return best if counts[best] else ","


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def sniff(src: CsvSource, error: ErrorFactory) -> Dialect:
    """The dialect of a CSV input: what the user gave, else found out (module docstring)."""
    head = _head(src)
    enc = canonical_encoding(src.encoding, error) if src.encoding else detect_encoding(head)
    if src.delimiter:
        delim = canonical_delimiter(src.delimiter, error)
    else:
        first = head.split(b"\n", 1)[0] if enc != "utf-16" else head
        delim = detect_delimiter(_first_line(first.decode(enc, errors="replace")))
    return Dialect(delim, enc)


def decode(src: CsvSource, dialect: Dialect, error: ErrorFactory) -> str:
    """The whole input as text; bytes that are not text in its encoding are refused with the
    line of the first one and a hint."""
    raw = src.data if src.data is not None else src.path.read_bytes()
    try:
        text = raw.decode(dialect.encoding)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(
            f"{src.path}:{line}: not {dialect.encoding} text (byte {raw[exc.start]:#04x}); "
            "save the file as UTF-8, or give its encoding (--encoding cp1251)"
        ) from None
    return text.removeprefix("\ufeff")


def _check_names(first: list[str] | None, path: Path, error: ErrorFactory) -> list[str]:
    if not first or first == [""]:
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


def check_header(
    path: Path | CsvSource, error: ErrorFactory, dialect: Dialect | None = None
) -> list[str]:
    """The header's column names; a repeated or empty name, or a header that cannot be split,
    is refused (polars would rename a repeat and read the first column silently)."""
    src = CsvSource.of(path)
    dialect = dialect or sniff(src, error)
    head = _head(src)
    if dialect.encoding == "utf-16":
        raw_text = head.decode("utf-16", errors="ignore")
    else:
        raw = head.split(b"\n", 1)[0]
        try:
            raw_text = raw.decode(dialect.encoding)
        except UnicodeDecodeError as exc:
            raise error(
                f"{src.path}:1: not {dialect.encoding} text (byte {raw[exc.start]:#04x}); "
                "save the file as UTF-8, or give its encoding (--encoding cp1251)"
            ) from None
    text = _first_line(raw_text.removeprefix("\ufeff"))
    try:
        first = next(csv.reader([text], strict=True, delimiter=dialect.delimiter), None)
    except csv.Error as exc:
        raise error(f"{src.path}:1: the header line cannot be read as CSV: {exc}") from None
    return _check_names(first, src.path, error)


def polars_input(src: CsvSource, dialect: Dialect, error: ErrorFactory) -> Path | io.BytesIO:
    """What polars reads: the file itself when it is UTF-8 without BOM, else its text
    re-encoded as UTF-8 in memory."""
    if src.data is None and dialect.encoding == "utf-8":
        return src.path
    return io.BytesIO(decode(src, dialect, error).encode("utf-8"))


def localize(
    frame: pl.LazyFrame,
    dialect: Dialect,
    *,
    amounts: Collection[str] = (),
    dates: Collection[str] = (),
    datetimes: Collection[str] = (),
) -> pl.LazyFrame:
    """The Russian convention's amounts and dates rewritten to the canonical text (module
    docstring); other values untouched, so that the checks downstream report them."""
    if not dialect.russian:
        return frame
    import polars as pl

    names = set(frame.collect_schema().names())
    exprs = []
    for c in amounts:
        if c in names:
            t = pl.col(c).str.strip_chars(" \u00a0\u202f\t")
            exprs.append(
                pl.when(t.str.contains(RU_AMOUNT_RE) & t.str.contains(f"[,{_SPACES}]"))
                .then(t.str.replace_all(f"[{_SPACES}]", "").str.replace(",", ".", literal=True))
                .otherwise(pl.col(c))
                .alias(c)
            )
    for c in dates:
        if c in names:
            exprs.append(pl.col(c).str.replace(RU_DATE_RE, "$3-$2-$1").alias(c))
    for c in datetimes:
        if c in names:
            exprs.append(pl.col(c).str.replace(RU_DATETIME_RE, "$3-$2-$1$4").alias(c))
    return frame.with_columns(exprs) if exprs else frame


@dataclass(frozen=True, slots=True)
class CsvText:
    """A CSV file as a frame of text columns and its malformed lines.

    ``malformed`` maps the 0-based index of a row of ``frame`` to (line number in the file,
    reason); such a row has every field null."""

    frame: pl.DataFrame
    malformed: dict[int, tuple[int, str]] = field(default_factory=dict)
    dialect: Dialect = Dialect(",", "utf-8")


def read_csv_text(path: Path | CsvSource, error: ErrorFactory) -> CsvText:
    """Every column as text. Fast path: polars; on a parse error, line by line (above)."""
    import polars as pl

    src = CsvSource.of(path)
    dialect = sniff(src, error)
    header = check_header(src, error, dialect)
    try:
        frame = pl.read_csv(
            polars_input(src, dialect, error),
            infer_schema=False,
            encoding="utf8",
            separator=dialect.delimiter,
        )
        return CsvText(frame, {}, dialect)
    except pl.exceptions.ComputeError:
        pass  # a malformed line (or bytes that are not UTF-8): read it line by line
    got = read_lines(src, header, error, dialect)
    return CsvText(got.frame, got.malformed, dialect)


def read_lines(
    path: Path | CsvSource, header: list[str], error: ErrorFactory, dialect: Dialect | None = None
) -> CsvText:
    """The slow path: Python's csv, strict, restarted after each line it cannot split."""
    import polars as pl

    src = CsvSource.of(path)
    dialect = dialect or sniff(src, error)
    text = decode(src, dialect, error)
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
        reader = csv.reader(
            (ln + "\n" for ln in lines[start:]), strict=True, delimiter=dialect.delimiter
        )
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
        {
            name: pl.Series(name, col, dtype=pl.String)
            for name, col in zip(header, columns, strict=True)
        }
    )
    return CsvText(frame, malformed, dialect)


def malformed_message(line: int, reason: str) -> str:
    return (
        f"line {line} of the file is malformed CSV ({reason}); its fields are not read — "
        "correct the line (quote a field that contains a comma, close every quote)"
    )
