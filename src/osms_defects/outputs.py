"""What every output file of the library does to the values it carries (issue 18).

**Formula injection.** A cell from the data (a provider id, a staff member's name, a free-text
note) that begins with ``=``, ``+``, ``-`` or ``@`` is run as a formula by a spreadsheet that
opens the file (``=cmd|' /C calc'!A0``). So:

* XLSX: every text cell from data is written as text (``data_type = "s"``), never a formula;
  the only formulas are the library's own (the total rows of the reports).
* CSV: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
  gets a leading apostrophe ``'``, as OWASP recommends ("CSV Injection"); a spreadsheet
  shows the text, not a formula. A value that is a plain number (``-1.00``, ``+7``) is left
  alone: it cannot be a formula, and amounts stay exact. This is on by default (a file a
  person opens); ``--no-csv-guard`` (``csv_guard=False``) writes the values as they are, for
  a program that reads the file.

**ИИН.** An ИИН is personal data (Закон РК «О персональных данных и их защите»): outputs show
``********1234`` (the last four digits, :func:`osms_defects.iin.mask_iin`) in

* every column whose name says it holds an ИИН (``iin``, ``иин``, ``patient_iin`` …): every
  value of 12 digits is masked, whatever its check digit;
* every other text column, a value that is a valid ИИН: 12 digits, a correct check digit and
  a birth date shape (digits 3–4 a month 01–12, 5–6 a day 01–31, the 7th digit 0–6) — the
  shape tells an ИИН from a БИН of an organisation (whose 5th digit is 4, 5 or 6, so digits
  5–6 are not a day), which uses the same check digit;
* free text (a conclusion's notes and conclusions): every 12-digit number standing alone that
  is a valid ИИН by the same rule.

``--no-mask`` (``mask=False``) keeps them; the command's summary says which.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import polars as pl

from .iin import is_valid_iin

__all__ = [
    "CSV_GUARD_PREFIXES",
    "guard_csv_cell",
    "guard_csv_frame",
    "looks_like_iin",
    "mask_iin_frame",
    "mask_iin_text",
]

#: the first characters OWASP lists for CSV injection
CSV_GUARD_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
_GUARD_RE = r"^[=+\-@\t\r]"
_NUMBER_RE = r"^[+-]?[0-9]+([.,][0-9]+)?$"
_NUMBER = re.compile(_NUMBER_RE)


def guard_csv_cell(value: str) -> str:
    """``'`` before a text that a spreadsheet would take for a formula (OWASP)."""
    if value.startswith(CSV_GUARD_PREFIXES) and not _NUMBER.match(value):
        return "'" + value
    return value


def guard_csv_frame(df: pl.DataFrame, skip: Iterable[str] = ()) -> pl.DataFrame:
    """:func:`guard_csv_cell` on every text column (numbers and dates are not touched);
    ``skip``: columns the library writes itself. One anchored regular-expression pass per
    column finds the columns that need it at all (usually none)."""
    skipped = set(skip)
    text = [n for n, t in df.schema.items() if t == pl.String and n not in skipped]
    if not text or not df.height:
        return df
    risky_any = df.select(pl.col(c).str.contains(_GUARD_RE).any().alias(c) for c in text).row(0)
    exprs = []
    for name, found in zip(text, risky_any, strict=True):
        if not found:
            continue
        col = pl.col(name)
        risky = col.str.contains(_GUARD_RE) & ~col.str.contains(_NUMBER_RE)
        exprs.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return df.with_columns(exprs) if exprs else df


# ---- ИИН ------------------------------------------------------------------------------------

_IIN_NAME = re.compile(r"(^|[^a-zа-я])(iin|иин)([^a-zа-я]|$)", re.IGNORECASE)
_W1 = tuple(range(1, 12))
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
_MASK = "*" * 8


def is_iin_column(name: str) -> bool:
    """A column whose name says it holds an ИИН (``iin``, ``patient_iin``, ``ИИН пациента``)."""
    return bool(_IIN_NAME.search(name))


def looks_like_iin(text: str) -> bool:
    """A valid ИИН (check digit) with a birth-date shape (see the module's docstring)."""
    return (
        len(text) == 12
        and is_valid_iin(text)
        and 1 <= int(text[2:4]) <= 12
        and 1 <= int(text[4:6]) <= 31
        and text[6] in "0123456"
    )


def _iin_expr(col: pl.Expr) -> pl.Expr:
    """True where the (stripped) value looks like an ИИН: the columnar twin of looks_like_iin."""
    twelve = col.str.contains(r"^[0-9]{12}$")
    d = [col.str.slice(i, 1).cast(pl.Int64, strict=False) for i in range(12)]
    s1 = sum((d[i] * _W1[i] for i in range(11)), pl.lit(0)) % 11
    s2 = sum((d[i] * _W2[i] for i in range(11)), pl.lit(0)) % 11
    check = pl.when(s1 != 10).then(s1).otherwise(s2)
    month = d[2] * 10 + d[3]
    day = d[4] * 10 + d[5]
    return (
        twelve
        & (check != 10)
        & (check == d[11])
        & month.is_between(1, 12)
        & day.is_between(1, 31)
        & (d[6] <= 6)
    ).fill_null(False)


_TWELVE = r"^\s*[0-9]{12}\s*$"


def mask_iin_frame(
    df: pl.DataFrame, skip: Iterable[str] = ()
) -> tuple[pl.DataFrame, list[str]]:
    """The frame with every ИИН masked (see the module's docstring) and the names of the
    columns where one was; ``skip`` names columns never touched (e.g. the library's own).

    One regular-expression pass per text column finds the columns with 12 digits in a row at
    all; the check digit is computed only in those, and free text (12 digits inside a longer
    text) is scanned by :func:`mask_iin_text` only in the cells that have them."""
    skipped = set(skip)
    text = [n for n, t in df.schema.items() if t == pl.String and n not in skipped]
    if not text or not df.height:
        return df, []
    pre = df.select(pl.col(c).str.contains("[0-9]{12}").any().alias(c) for c in text).row(0)
    candidates = [c for c, found in zip(text, pre, strict=True) if found]
    if not candidates:
        return df, []
    masked: list[str] = []
    columns: list[pl.Series] = []
    for name in candidates:
        col = df.get_column(name)
        twelve = col.str.contains(_TWELVE).fill_null(False)
        stripped = col.str.strip_chars()
        whole = twelve if is_iin_column(name) else (
            twelve & pl.select(_iin_expr(pl.lit(stripped))).to_series()
        )
        hidden = pl.select(pl.lit(_MASK) + pl.lit(stripped).str.slice(8)).to_series()
        new = col.zip_with(~whole, hidden)
        # free text: the other cells with 12 digits in a row, in Python (few)
        inner = (col.str.contains("[0-9]{12}").fill_null(False) & ~twelve).arg_true()
        if len(inner):
            fixed = [mask_iin_text(v) for v in col.gather(inner).to_list()]
            new = new.scatter(inner, pl.Series(fixed, dtype=pl.String))
        if not new.equals(col, null_equal=True):
            masked.append(name)
            columns.append(new.alias(name))
    if not masked:
        return df, []
    return df.with_columns(columns), masked


_DIGITS12 = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")


def mask_iin_text(text: str) -> str:
    """Free text with every standalone 12-digit ИИН masked (``********1234``)."""
    return _DIGITS12.sub(
        lambda m: _MASK + m.group()[8:] if looks_like_iin(m.group()) else m.group(), text
    )
