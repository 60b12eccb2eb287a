"""The same screening rules on Apache Spark, through Arrow (issue 5: «for users who outgrow one
machine … without writing the rules a second time»).

Every rule looks only at the records of one patient (4.0, 6.12 and item 13 group by patient,
2.3 and 7.1 by record), so a Spark job partitions the register by ``patient_id`` and calls
``screen()`` — the same polars code — on each partition through Arrow. No pyspark import here:
these are plain functions of Arrow tables/batches that Spark's ``applyInArrow`` (per patient
group, Spark ≥ 4.0) or ``mapInArrow`` (per partition, Spark ≥ 3.3) calls on its workers::

    from osms_defects.screening.spark import defects_ddl, screen_batches, screen_table
    reg = spark.read.parquet("register.parquet")          # the register contract's columns
    hits = reg.groupBy("patient_id").applyInArrow(screen_table, defects_ddl())
    hits = reg.repartition("patient_id").mapInArrow(screen_batches, defects_ddl())
    # other rules: arrow_functions("my_screening.yaml").screen_table (or .screen_batches)

What differs from one ``screen()`` over the whole register (docs/screening.md):
``row`` is the record's number within its group, not in the register (carry your own global
number as an extra column, e.g. ``register_row``: extra columns are carried through); the
record-id uniqueness check sees one group only (check ``groupBy("record_id").count() > 1`` in
Spark); data errors come from ``errors_table`` / ``errors_batches`` (``errors_ddl()``), a
second pass — a record with a data error is not screened, and nothing is dropped silently
only if that pass is run too.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import polars as pl

from .engine import DEFECT_SCHEMA
from .register import ERROR_SCHEMA
from .result import ScreeningResult, rules_in_force, screen
from .rules import EditionRules, ScreeningRules

# pyarrow has no type stubs: its tables and batches are ``Any`` here
ArrowTable = Any
ArrowBatch = Any

_SPARK_TYPES: dict[pl.DataType, str] = {
    pl.String(): "string",
    pl.Int64(): "bigint",
    pl.Float64(): "double",
    pl.Date(): "date",
    pl.Boolean(): "boolean",  # calendar_provisional (the defects' schema)
}


def _ddl(schema: Mapping[str, pl.DataType], extra: Mapping[str, str] | None) -> str:
    cols = [f"`{name}` {_SPARK_TYPES[dtype]}" for name, dtype in schema.items()]
    cols += [f"`{name}` {spark_type}" for name, spark_type in (extra or {}).items()]
    return ", ".join(cols)


def defects_ddl(extra: Mapping[str, str] | None = None) -> str:
    """Spark's DDL schema of the potential defects: ``DEFECT_COLUMNS`` then the register's
    extra columns, given in order as ``{name: Spark type}`` (e.g. ``{"register_row":
    "bigint"}``)."""
    return _ddl(DEFECT_SCHEMA, extra)


def errors_ddl() -> str:
    """Spark's DDL schema of the data errors (``ERROR_COLUMNS``)."""
    return _ddl(ERROR_SCHEMA, None)


def _to_spark(frame: pl.DataFrame) -> ArrowTable:
    """The frame as an Arrow table with plain (32-bit offset) strings: Spark's schema check
    refuses polars' large strings for a ``string`` column."""
    pa = importlib.import_module("pyarrow")  # untyped; needed only on Spark's workers
    table = frame.to_arrow()
    fields = [
        pa.field(f.name, pa.string()) if pa.types.is_large_string(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _frame(data: ArrowTable | Iterator[ArrowBatch]) -> pl.DataFrame:
    if isinstance(data, Iterator):
        frames = [f for f in (pl.from_arrow(b) for b in data) if isinstance(f, pl.DataFrame)]
        return pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    frame = pl.from_arrow(data)
    assert isinstance(frame, pl.DataFrame)  # a table, never a single array
    return frame


class ArrowFunctions(NamedTuple):
    """The four functions Spark calls, each of ONE argument as Spark wants (it calls a
    two-argument function with the group key first, and counts a method's ``self``)."""

    #: potential defects (``defects_ddl()``) of an Arrow table of whole patients' records:
    #: for ``groupBy("patient_id").applyInArrow``
    screen_table: Callable[[ArrowTable], ArrowTable]
    #: data errors (``errors_ddl()``) of the same
    errors_table: Callable[[ArrowTable], ArrowTable]
    #: ``mapInArrow`` over a partition of whole patients (``repartition("patient_id")``)
    screen_batches: Callable[[Iterator[ArrowBatch]], Iterator[ArrowBatch]]
    #: ``mapInArrow`` counterpart of ``errors_table``
    errors_batches: Callable[[Iterator[ArrowBatch]], Iterator[ArrowBatch]]


def arrow_functions(
    rules: EditionRules | ScreeningRules | str | Path | None = None,
    *,
    detected_on: dt.date | None = None,
) -> ArrowFunctions:
    """The Spark-facing functions screening with ``rules`` (default ``data/screening.yaml``)
    through ``screen()`` — the same polars code as on one machine — as they run on
    ``detected_on`` (default: today's date WHEN THIS IS CALLED, fixed for every group of the
    job): the codes, references and thresholds of the classifier edition in force that day
    (reading S7). Resolved here, on the driver, so a bad date or rules file fails before the
    job starts; give ``detected_on`` explicitly for a job that may run across midnight."""
    resolved = rules_in_force(rules, detected_on)

    def run(data: ArrowTable | Iterator[ArrowBatch]) -> ScreeningResult | None:
        frame = _frame(data)
        return screen(frame, resolved) if frame.width else None

    def screen_table(table: ArrowTable) -> ArrowTable:
        res = run(table)
        assert res is not None
        return _to_spark(res.defects)

    def errors_table(table: ArrowTable) -> ArrowTable:
        res = run(table)
        assert res is not None
        return _to_spark(res.errors)

    def screen_batches(batches: Iterator[ArrowBatch]) -> Iterator[ArrowBatch]:
        res = run(iter(batches))
        if res is not None:
            yield from _to_spark(res.defects).to_batches()

    def errors_batches(batches: Iterator[ArrowBatch]) -> Iterator[ArrowBatch]:
        res = run(iter(batches))
        if res is not None:
            yield from _to_spark(res.errors).to_batches()

    return ArrowFunctions(screen_table, errors_table, screen_batches, errors_batches)



def _today_function(name: str) -> Callable[[Any], Any]:
    """The function ``name`` of ``arrow_functions()`` resolved at each call (today's date then),
    so that importing this module does not fix a date or load the classifier."""

    def call(data: Any) -> Any:
        fn: Callable[[Any], Any] = getattr(arrow_functions(), name)
        return fn(data)

    call.__name__ = name
    return call


#: with the packaged rules and the edition in force TODAY (each call); for a job prefer
#: ``arrow_functions("my_screening.yaml", detected_on=...)`` (one date for every group)
screen_table = _today_function("screen_table")
errors_table = _today_function("errors_table")
screen_batches = _today_function("screen_batches")
errors_batches = _today_function("errors_batches")
