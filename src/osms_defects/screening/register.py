"""Reading and validating a service register (реестр услуг) for screening.

The register format is the project's contract (docs/screening.md): one record per row,
``record_type`` ∈ ``service|hospitalization|emergency_call|death`` and the columns that type
needs. A record that cannot be screened — a missing field for its type, an unknown type, an
unparsable date, dates in the wrong order, a record id used twice — is a *data error* reported
with its row, field, value and what is allowed; it is never dropped silently nor guessed at.

Everything here is columnar (polars expressions over the whole register).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol

import polars as pl

from .._csv import (
    CsvSource,
    check_header,
    localize,
    malformed_message,
    polars_input,
    read_lines,
    sniff,
)
from ..dates import EARLIEST_PLAUSIBLE, latest_plausible
from ..errors import RegisterError

#: the register's columns (the contract); any other column is an *extra* column, carried
#: through under its own name into each potential-defect row of the flagged record
REGISTER_COLUMNS: tuple[str, ...] = (
    "record_id",
    "record_type",
    "patient_id",
    "provider_id",
    "care_type",
    "service_code",
    "service_date",
    "admitted_on",
    "discharged_on",
    "referred_on",
    "call_at",
    "died_on",
    "death_registered_on",
)
#: columns without which no record can be screened: their absence is a file-level error
KEY_COLUMNS: tuple[str, ...] = ("record_id", "record_type", "patient_id", "provider_id")
ID_COLUMNS: tuple[str, ...] = (*KEY_COLUMNS, "care_type", "service_code")
DATE_COLUMNS: tuple[str, ...] = (
    "service_date",
    "admitted_on",
    "discharged_on",
    "referred_on",
    "died_on",
    "death_registered_on",
)
DATETIME_COLUMNS: tuple[str, ...] = ("call_at",)

RECORD_TYPES: tuple[str, ...] = ("service", "hospitalization", "emergency_call", "death")
#: the fields each record type needs (issue 5; docs/screening.md)
REQUIRED: dict[str, tuple[str, ...]] = {
    "service": ("service_code", "service_date"),
    "hospitalization": ("admitted_on", "discharged_on"),
    "emergency_call": ("call_at",),
    "death": ("died_on", "death_registered_on"),
}
#: (earlier, later, record type, what the order means): later < earlier is a data error
ORDER_CHECKS: tuple[tuple[str, str, str, str], ...] = (
    ("admitted_on", "discharged_on", "hospitalization", "discharged before admitted"),
    ("died_on", "death_registered_on", "death", "death registered before the death"),
    ("referred_on", "service_date", "service", "service provided before the referral"),
)
DATETIME_FORMATS: tuple[str, ...] = (
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
)
ROW = "row"  # 1-based number of the record in the register (CSV line = row + 1)
RAW_SUFFIX = "__raw"  # <date column>__raw: the text of a date column, kept to report it
#: working column of a register shard (``screening.sharded``): the number of records of the
#: WHOLE register that share the record's id, counted before sharding, so that the shared-id
#: check of a shard sees ids shared with records of other shards
ID_COUNT = "_id_count"
#: names an extra column may not have: the potential-defect output's own columns (extra
#: columns are carried into it under their own names) and the validation's working column
RESERVED_NAMES: tuple[str, ...] = (
    "rule",
    "code",
    "evidence_ids",
    "event_date",
    "days",
    "hours",
    "workdays",
    "count",
    ROW,
    "reference",
    "edition",
    "detected_on",
    "note",
    "_bad",
    ID_COUNT,
)
ERROR_COLUMNS: tuple[str, ...] = (ROW, "record_id", "field", "value", "message")
ERROR_SCHEMA: dict[str, pl.DataType] = {
    ROW: pl.Int64(),
    "record_id": pl.String(),
    "field": pl.String(),
    "value": pl.String(),
    "message": pl.String(),
}

EngineName = Literal["auto", "streaming"]


class ArrowStream(Protocol):
    """A table exporting the Arrow C stream interface: a pyarrow Table or RecordBatchReader,
    a pandas DataFrame (pandas >= 2.2), a DuckDB relation, …"""

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any: ...


Source = str | Path | pl.DataFrame | pl.LazyFrame | CsvSource | ArrowStream


def as_polars(source: Any, what: str, error: type[Exception]) -> pl.DataFrame:
    """A pandas frame, an Arrow table (or anything exporting the Arrow C stream) or a dict of
    columns as a polars DataFrame; ``error`` names ``what`` when it cannot be read."""
    if isinstance(source, pl.DataFrame):
        return source
    try:
        if type(source).__module__.split(".")[0] == "pandas":
            frame: pl.DataFrame = pl.from_pandas(source)
            return frame
        return pl.DataFrame(source)
    except (TypeError, ValueError, ImportError, pl.exceptions.PolarsError) as exc:
        raise error(f"cannot read a {type(source).__name__} as {what}: {exc}") from None


def scan_register(source: Source) -> pl.LazyFrame:
    """The register as a LazyFrame with a 1-based ``row`` column, nothing parsed yet.

    CSV is read with every column as text so that a bad value is reported, not inferred away;
    Parquet keeps its types (dates may already be dates). Missing optional columns are added
    as empty; missing key columns raise ``RegisterError``.
    """
    if isinstance(source, pl.DataFrame):
        lf = source.lazy()
    elif isinstance(source, pl.LazyFrame):
        lf = source
    elif not isinstance(source, str | Path | CsvSource):  # pandas, Arrow
        lf = as_polars(source, "a register", RegisterError).lazy()
    elif isinstance(source, CsvSource) and source.data is not None:
        lf = _scan_csv(source)
    else:
        path = source.path if isinstance(source, CsvSource) else Path(source)
        if not path.exists():
            raise RegisterError(f"{path}: no such register file")
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            lf = pl.scan_parquet(path)
        elif suffix in (".csv", ".txt", ".tsv") or isinstance(source, CsvSource):
            lf = _scan_csv(CsvSource.of(source))
        else:
            raise RegisterError(
                f"{path}: unknown register format {suffix!r}; allowed: .csv, .parquet"
            )
    try:
        schema = lf.collect_schema()
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise RegisterError(f"{source}: cannot read the register: {exc}") from None
    missing = [c for c in KEY_COLUMNS if c not in schema]
    if missing:
        raise RegisterError(
            f"{_name(source)}: missing column(s) {', '.join(missing)}; a register needs "
            f"{', '.join(KEY_COLUMNS)} and, per record type, {_required_text()}"
        )
    if ROW in schema:
        raise RegisterError(f"{_name(source)}: the column name {ROW!r} is reserved")
    clash = [c for c in schema if c not in REGISTER_COLUMNS and _is_reserved(c)]
    if clash:
        raise RegisterError(
            f"{_name(source)}: extra column(s) {', '.join(clash)} clash with the screening "
            f"output or its working columns; extra columns are carried into the output under "
            f"their own names, so rename them (reserved: {', '.join(RESERVED_NAMES)}, and "
            f"names ending in {RAW_SUFFIX!r})"
        )
    for col, dtype in schema.items():
        if col in DATETIME_COLUMNS and isinstance(dtype, pl.Datetime) and dtype.time_zone:
            raise RegisterError(
                f"{_name(source)}: column {col} has time zone {dtype.time_zone}; give local "
                "date-times without a zone (the register's dates are local)"
            )
    add = [pl.lit(None, dtype=pl.String).alias(c) for c in REGISTER_COLUMNS if c not in schema]
    return lf.with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64), *add)


def _scan_csv(src: CsvSource) -> pl.LazyFrame:
    """A CSV register as text columns: its delimiter and encoding found out (or given), its
    dates in the Russian convention (``03.05.2023``) rewritten in a ``;`` or tab file
    (:mod:`osms_defects._csv`, docs/input.md); streamed from the file when it is UTF-8."""
    dialect = sniff(src, RegisterError)
    check_header(src, RegisterError, dialect)  # a column named twice is refused, not renamed
    given = polars_input(src, dialect, RegisterError)
    if isinstance(given, Path):
        lf = pl.scan_csv(given, infer_schema=False, separator=dialect.delimiter)
    else:
        lf = pl.read_csv(given, infer_schema=False, separator=dialect.delimiter).lazy()
    return localize(lf, dialect, dates=DATE_COLUMNS, datetimes=DATETIME_COLUMNS)


def _is_reserved(col: str) -> bool:
    return col in RESERVED_NAMES or col.endswith(RAW_SUFFIX)


def extra_columns(names: Collection[str]) -> tuple[str, ...]:
    """The extra columns among ``names`` (beyond the contract and ``row``), in their order."""
    return tuple(c for c in names if c not in (ROW, ID_COUNT) and c not in REGISTER_COLUMNS)


def _name(source: Source) -> str:
    if isinstance(source, CsvSource):
        return str(source.path)
    return str(source) if isinstance(source, str | Path) else "register"


def _required_text() -> str:
    return "; ".join(f"{t}: {', '.join(f)}" for t, f in REQUIRED.items())


def as_text(col: str, schema: pl.Schema) -> pl.Expr:
    """The column as text with blanks as missing (an empty cell is a missing value)."""
    e = stripped_text(col, schema)
    # when/then, not the cheaper-looking .replace("", None): measured on a 10M-record CSV,
    # the latter kept the reader's whole text buffers alive (peak RSS 4.5 GiB instead of 3.3)
    return pl.when(e.str.len_bytes() == 0).then(None).otherwise(e)


def stripped_text(col: str, schema: pl.Schema) -> pl.Expr:
    """The column as text, stripped: ``as_text`` without turning blanks into null (which
    ``null_blanks`` does afterwards, only where needed)."""
    e = pl.col(col)
    if schema[col] != pl.String:
        e = e.cast(pl.String)
    return e.str.strip_chars()


def null_blanks(df: pl.DataFrame, columns: Collection[str]) -> pl.DataFrame:
    """``df`` with the empty strings of ``columns`` (stripped text) as null: with
    ``stripped_text`` before it, the columns as ``as_text`` makes them. Done only for a column
    that has a blank (``len_bytes() == 0``, cheap): measured at 10 M records, the
    ``when/then`` cost more than the strip itself, and a register rarely has a blank id."""
    cols = list(columns)
    if not cols:
        return df
    has_blank = df.select((pl.col(c).str.len_bytes() == 0).any() for c in cols).row(0)
    blank = [c for c, b in zip(cols, has_blank, strict=True) if b]
    if not blank:
        return df
    return df.with_columns(
        pl.when(pl.col(c).str.len_bytes() == 0).then(None).otherwise(pl.col(c)).alias(c)
        for c in blank
    )


def ids_are_unique(df: pl.DataFrame) -> bool:
    """Whether no two records of ``df`` share a record id (``record_id`` already through
    ``stripped_text`` and ``null_blanks``), by the 64-bit hashes of the ids: all distinct →
    the ids are distinct. False when some hashes are equal (a shared id, or rarely two ids
    with one hash): the caller then runs the exact check. A count of distinct hashes,
    measured about 4× cheaper at 10 M records than the per-hash window count it spares."""
    ids = df.select("record_id")
    if ids.get_column("record_id").null_count():
        ids = ids.drop_nulls()
    # eager n_unique of the hash column: the lazy select of the same took ~3× longer
    hashes = ids.with_columns(id_hash().alias("_h")).get_column("_h")
    return hashes.n_unique() == hashes.len()


def _is_typed(col: str, schema: pl.Schema) -> bool:
    """Whether a date/date-time column already has its type (Parquet): nothing to parse."""
    dtype = schema[col]
    return dtype == pl.Date if col in DATE_COLUMNS else isinstance(dtype, pl.Datetime)


def text_date_columns(schema: pl.Schema) -> tuple[str, ...]:
    """The date/date-time columns given as text (CSV, or untyped Parquet): parsed, and a value
    that does not parse is a data error."""
    return tuple(c for c in (*DATE_COLUMNS, *DATETIME_COLUMNS) if not _is_typed(c, schema))


def _parse_date(raw: pl.Expr) -> pl.Expr:
    # ISO YYYY-MM-DD only: chrono alone would also accept "2023-1-5"; strict=False so a bad
    # value becomes null, found by comparing with the (non-null) raw text
    parsed = raw.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    return pl.when(raw.str.len_bytes() == 10).then(parsed).otherwise(None)


def _parse_datetime(raw: pl.Expr) -> pl.Expr:
    return pl.coalesce(
        [raw.str.strptime(pl.Datetime("us"), f, strict=False) for f in DATETIME_FORMATS]
    )


def parse_register(
    lf: pl.LazyFrame, *, exact_ids: bool = True, cleaned: bool = False, ids_unique: bool = False
) -> pl.LazyFrame:
    """Typed columns (ids as text, dates as Date, ``call_at`` as Datetime) plus, for each
    date column given as text, ``<col>__raw`` (the stripped text, kept only to report a bad
    value), and ``_bad``: whether the record has any data error. Lazy: nothing is read until
    collected.

    Single pass and columnar: each text date is stripped once and parsed once
    (``strict=False``); a failure is a non-null raw value whose parse is null. Columns that
    Parquet already types are not touched (no text round trip).

    ``exact_ids=False``: the record-id uniqueness part of ``_bad`` is the cheap hash pre-check
    of ``problem_checks(hashed_ids=True)`` — a superset (a record whose distinct id merely
    shares a 64-bit hash with another is marked too); ``load_register`` settles it exactly
    over the marked records and puts such a record back among the valid ones.

    ``cleaned=True``: the id/code columns and the text date columns are already as
    ``as_text`` makes them (``stripped_text``, then ``null_blanks``): not stripped again.
    ``ids_unique=True``: the caller has established that no two records share a
    ``record_id`` (``ids_are_unique``), so the shared-id condition is left out."""
    schema = lf.collect_schema()
    text_dates = text_date_columns(schema)

    def text(c: str) -> pl.Expr:
        return pl.col(c) if cleaned else as_text(c, schema)

    raw = [text(c).alias(f"{c}{RAW_SUFFIX}") for c in text_dates]
    ids = [text(c).alias(c) for c in ID_COLUMNS]
    typed_dt = [
        pl.col(c).cast(pl.Datetime("us"))
        for c in DATETIME_COLUMNS
        if c not in text_dates and schema[c] != pl.Datetime("us")
    ]
    parsed = [
        (_parse_datetime if c in DATETIME_COLUMNS else _parse_date)(
            pl.col(f"{c}{RAW_SUFFIX}")
        ).alias(c)
        for c in text_dates
    ]
    typed = lf.with_columns(*ids, *raw, *typed_dt).with_columns(*parsed)
    given = ID_COUNT in schema
    checks = problem_checks(
        text_dates,
        hashed_ids=not exact_ids and not given,
        given_counts=given,
        ids_unique=ids_unique and not given,
    )
    bad = pl.any_horizontal([cond for cond, _, _, _ in checks])
    return typed.with_columns(_bad=bad)


def problem_checks(
    text_dates: Collection[str] = (*DATE_COLUMNS, *DATETIME_COLUMNS),
    *,
    id_counts: bool = False,
    hashed_ids: bool = False,
    given_counts: bool = False,
    ids_unique: bool = False,
) -> list[tuple[pl.Expr, str, pl.Expr, pl.Expr]]:
    """Every data check as (condition, field, value, message); condition True = an error.

    Works on the output of ``parse_register`` (typed columns and ``<date>__raw`` for the date
    columns in ``text_dates``). ``id_counts``: put the number of records sharing an id in the
    message (costly over a whole register; ``describe_errors`` asks for it only over the bad
    records — every record of a shared id is bad, so the count there is the full count).
    ``hashed_ids``: the shared-id condition counts records per 64-bit hash of the id instead
    of per id — equal ids have equal hashes, so no shared id is missed, but distinct ids with
    equal hashes are marked too (to be settled exactly over the marked records). A count over
    integer hashes instead of strings: measured about 2-3x cheaper on a 1M-record register.
    ``given_counts``: the records carry ``ID_COUNT``, the count over the whole register (a
    shard of ``screening.sharded``); it replaces the count over the frame at hand.
    ``ids_unique``: every record id is known to be unique (``ids_are_unique``): the shared-id
    check is left out (no count at all)."""
    checks: list[tuple[pl.Expr, str, pl.Expr, pl.Expr]] = []
    rtype = pl.col("record_type")
    allowed = ", ".join(RECORD_TYPES)
    for c in KEY_COLUMNS:
        checks.append(
            (pl.col(c).is_null(), c, pl.lit(None, pl.String), pl.lit(f"{c} is missing"))
        )
    checks.append(
        (
            rtype.is_not_null() & ~rtype.is_in(RECORD_TYPES),
            "record_type",
            rtype,
            pl.lit(f"unknown record type; allowed: {allowed}"),
        )
    )
    if given_counts:
        shared = pl.col(ID_COUNT)
        dup = pl.col("record_id").is_not_null() & (shared > 1)
    elif ids_unique:
        shared = pl.lit(1)
        dup = pl.lit(False)
    else:
        shared = pl.len().over("record_id")
        key = id_hash() if hashed_ids else pl.col("record_id")
        dup = pl.col("record_id").is_not_null() & (pl.len().over(key) > 1)
    checks.append(
        (
            dup,
            "record_id",
            pl.col("record_id"),
            pl.format("record_id used by {} records; each record needs its own id", shared)
            if id_counts
            else pl.lit(None, pl.String),
        )
    )
    for c in text_dates:
        rawc = pl.col(f"{c}{RAW_SUFFIX}")
        what = (
            "a date and time YYYY-MM-DDTHH:MM[:SS]" if c in DATETIME_COLUMNS else "a date YYYY-MM-DD"
        )
        checks.append(
            (
                rawc.is_not_null() & pl.col(c).is_null(),
                c,
                rawc,
                pl.lit(f"not {what}"),
            )
        )
    # a date outside the plausible range (osms_defects.dates: 2020-01-01 to today + 366 days)
    # is a typing error (0001-01-01, 9999-12-31), never screened (issue 18)
    lo, hi = EARLIEST_PLAUSIBLE, latest_plausible()
    for c in (*DATE_COLUMNS, *DATETIME_COLUMNS):
        day = pl.col(c).cast(pl.Date)
        checks.append(
            (
                (day < lo) | (day > hi),
                c,
                pl.col(c).cast(pl.String),
                pl.lit(
                    f"not a plausible date: allowed from {lo.isoformat()} to {hi.isoformat()} "
                    "(today plus one year; osms_defects.dates)"
                ),
            )
        )
    for rt, fields in REQUIRED.items():
        for f in fields:
            present = _raw_or_self(f, text_dates)
            checks.append(
                (
                    (rtype == rt) & present.is_null(),
                    f,
                    pl.lit(None, pl.String),
                    pl.lit(f"{f} is missing; a {rt} record needs {', '.join(fields)}"),
                )
            )
    for earlier, later, rt, meaning in ORDER_CHECKS:
        checks.append(
            (
                (rtype == rt) & (pl.col(later) < pl.col(earlier)),
                later,
                pl.format("{} < {}", pl.col(later), pl.col(earlier)),
                pl.lit(f"{meaning}: {later} is before {earlier}"),
            )
        )
    # fill_null(False): a check on a missing value is not itself an error (reported elsewhere)
    return [(cond.fill_null(False), f, v, m) for cond, f, v, m in checks]


def id_hash() -> pl.Expr:
    """The 64-bit hash of ``record_id`` for the pre-check of shared ids (a function so that a
    test can swap in a hash with collisions and check that they are settled exactly)."""
    return pl.col("record_id").hash()


def _raw_or_self(c: str, text_dates: Collection[str]) -> pl.Expr:
    """What says a field is present: its raw text when parsed from text (an unparsable value
    is present, and reported as unparsable, not as missing), else the column itself."""
    return pl.col(f"{c}{RAW_SUFFIX}") if c in text_dates else pl.col(c)


def describe_errors(
    bad: pl.LazyFrame,
    text_dates: Collection[str] = (*DATE_COLUMNS, *DATETIME_COLUMNS),
    *,
    given_counts: bool = False,
) -> pl.LazyFrame:
    """One row per problem of the bad records: row, record_id, field, value, message.
    ``given_counts``: the bad records carry ``ID_COUNT`` (see ``problem_checks``)."""
    parts = [
        bad.filter(cond).select(
            pl.col(ROW),
            pl.col("record_id"),
            pl.lit(field).alias("field"),
            value.cast(pl.String).alias("value"),
            message.alias("message"),
        )
        for cond, field, value, message in problem_checks(
            text_dates, id_counts=True, given_counts=given_counts
        )
    ]
    return pl.concat(parts).sort(ROW, "field", maintain_order=True)


@dataclass(frozen=True, slots=True)
class Register:
    """A validated register: the records that can be screened and the data errors.

    ``records`` has ``row`` (1-based), the typed columns of the contract and then the
    register's extra columns, untouched; ``errors`` has
    one row per problem (``row, record_id, field, value, message``); a record with any problem
    is in ``errors`` only. ``n_records`` = rows read = ``records.height`` + bad rows.
    """

    records: pl.DataFrame
    errors: pl.DataFrame
    n_records: int

    @property
    def n_bad_records(self) -> int:
        return self.n_records - self.records.height


def split_register(source: Source) -> tuple[pl.LazyFrame, pl.LazyFrame, tuple[str, ...]]:
    """The lazy plans of a register: (valid records, bad records, text date columns).

    Valid records have ``row``, the typed columns of the contract and the register's extra
    columns (as read: text from CSV, their own types from Parquet); bad records also have
    ``<col>__raw`` for ``describe_errors``. The bad records may include a valid record whose
    id shares a 64-bit hash with another's (``parse_register(exact_ids=False)``): a record of
    the bad plan with no row in ``describe_errors`` is valid (``load_register`` does this). Both come from ONE parse of the source: collect
    them together (``pl.collect_all``) so polars reads and parses the file once."""
    return split_scanned(scan_register(source))


def split_scanned(scanned: pl.LazyFrame) -> tuple[pl.LazyFrame, pl.LazyFrame, tuple[str, ...]]:
    """``split_register`` of a register already through ``scan_register`` (``row`` numbered):
    also a shard of ``screening.sharded``, whose rows keep their numbers in the whole register
    and whose ``ID_COUNT`` column replaces the shared-id count over the shard."""
    names = scanned.collect_schema().names()
    extras = extra_columns(names)
    given = [ID_COUNT] if ID_COUNT in names else []
    parsed = parse_register(scanned, exact_ids=False)
    # from the schema as read: after parsing every date column is typed
    text_dates = text_date_columns(scanned.collect_schema())
    keep = [ROW, *REGISTER_COLUMNS, *extras]
    good = parsed.filter(~pl.col("_bad")).select(keep)
    bad = parsed.filter(pl.col("_bad")).select(
        *keep, *given, *(f"{c}{RAW_SUFFIX}" for c in text_dates)
    )
    return good, bad, text_dates


def load_register(source: Source, *, streaming: bool = True) -> Register:
    """Read, type and validate a register (CSV, Parquet, a polars DataFrame or LazyFrame).

    A CSV line that cannot be split (more fields than the header, a quote never closed) does
    not refuse the file: its record is a data error (field ``line``, the line number as the
    value) and the other records are screened; rows in = records counted (issue 18)."""
    try:
        return load_scanned(scan_register(source), _name(source), streaming=streaming)
    except RegisterError:
        path = _csv_path(source)
        if path is None:
            raise
        got = read_lines(path, check_header(path, RegisterError), RegisterError)
        if not got.malformed:
            raise  # not a problem of single lines
    frame = localize(got.frame.lazy(), got.dialect, dates=DATE_COLUMNS, datetimes=DATETIME_COLUMNS)
    reg = load_scanned(scan_register(frame), _name(source), streaming=False)
    return _with_malformed(reg, got.malformed)


def unreadable(source: Source, exc: Exception, *, sharded: bool = False) -> RegisterError:
    """The error of a register polars cannot read: for a CSV file, the first line that cannot
    be split, by its number (without polars' tuning hints); else polars' first line."""
    path = _csv_path(source)
    if path is not None:
        got = read_lines(path, check_header(path, RegisterError), RegisterError)
        if got.malformed:
            line, why = next(iter(got.malformed.values()))
            how = (
                "the out-of-core screening (--shards, --max-memory) cannot keep such a line "
                "as a data error: correct it, or screen the register in memory"
                if sharded
                else "correct the line"
            )
            return RegisterError(
                f"{path.path}:{line}: malformed CSV ({why}; {len(got.malformed)} such line(s)); {how}"
            )
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return RegisterError(f"{_name(source)}: cannot read the register: {first}")


def _csv_path(source: Source) -> CsvSource | None:
    if isinstance(source, CsvSource):
        return source
    if isinstance(source, str | Path) and Path(source).suffix.lower() in (".csv", ".txt", ".tsv"):
        return CsvSource.of(source)
    return None


def _with_malformed(reg: Register, malformed: dict[int, tuple[int, str]]) -> Register:
    """The malformed lines' records (every field empty) as one data error each, naming the
    line, instead of the "… is missing" errors of an empty record."""
    rows = [i + 1 for i in malformed]
    lines = pl.DataFrame(
        {
            ROW: rows,
            "record_id": [None] * len(rows),
            "field": ["line"] * len(rows),
            "value": [str(line) for line, _ in malformed.values()],
            "message": [malformed_message(line, why) for line, why in malformed.values()],
        },
        schema=ERROR_SCHEMA,
    )
    others = reg.errors.filter(~pl.col(ROW).is_in(rows))
    errors = pl.concat([others, lines]).sort(ROW, "field", maintain_order=True)
    return Register(records=reg.records, errors=errors, n_records=reg.n_records)


def load_scanned(scanned: pl.LazyFrame, name: str, *, streaming: bool = True) -> Register:
    """``load_register`` of a register already through ``scan_register`` (or of a shard of
    ``screening.sharded``: rows numbered in the whole register, ``ID_COUNT`` given); ``name``
    names it in error messages."""
    schema = scanned.collect_schema()
    names = schema.names()
    given = ID_COUNT in names
    text_dates = text_date_columns(schema)
    text = (*ID_COLUMNS, *text_dates)
    engine: EngineName = "streaming" if streaming else "auto"
    try:
        # stripped as it is read (the streaming engine strips each chunk on its own): the
        # text of a CSV and its stripped copy are never both whole in memory (they were, at
        # 4.7 GiB peak for 10 M records, when the frame was read first and stripped after)
        frame = scanned.with_columns(stripped_text(c, schema) for c in text).collect(
            engine=engine
        )
    except pl.exceptions.PolarsError as exc:
        raise RegisterError(f"{name}: cannot read the register: {exc}") from None
    # in memory, column by column, so that the work clean data does not need is left out:
    # blanks turned into null only where a column has one, the shared-id window count only
    # where two ids share a hash (ids_are_unique); the checks themselves are the plan of
    # parse_register, the same for every path (``split_register`` is its lazy twin)
    frame = null_blanks(frame, text)
    unique = not given and ids_are_unique(frame)
    plan = parse_register(frame.lazy(), exact_ids=False, cleaned=True, ids_unique=unique)
    del frame  # the plan holds the columns it needs; the text is released as it is parsed
    parsed = plan.collect()
    extras = extra_columns(names)
    keep = [ROW, *REGISTER_COLUMNS, *extras]
    marked = parsed.get_column("_bad")
    if marked.any():
        records = parsed.filter(~marked).select(keep)
        bad = parsed.filter(marked).select(
            *keep, *([ID_COUNT] if given else []), *(f"{c}{RAW_SUFFIX}" for c in text_dates)
        )
    else:  # the usual case: no copy of the register by a filter that keeps every row
        records = parsed.select(keep)
        bad = parsed.clear().select(keep)
    # the bad records (few) in one chunk and in memory: polars 2.1's streaming engine panicked
    # ("assertion failed: i < self.len()" in a string function) describing a two-chunk frame of
    # bad records with their raw date texts (a shard of screening.sharded, 40 records)
    errors = (
        describe_errors(bad.rechunk().lazy(), text_dates, given_counts=given).collect(
            engine="in-memory"
        )
        if bad.height
        else _empty_errors()
    )
    n_records = records.height + bad.height
    # a record marked only by the hash pre-check of the id (a distinct id sharing a 64-bit
    # hash; rare) has no error row: it is valid after all, back among the records in row order
    valid = bad.filter(~pl.col(ROW).is_in(errors.get_column(ROW).implode()))
    if valid.height:
        records = pl.concat([records, valid.select(records.columns)]).sort(ROW)
    return Register(records=records, errors=errors, n_records=n_records)


def _empty_errors() -> pl.DataFrame:
    return pl.DataFrame(schema=ERROR_SCHEMA)
