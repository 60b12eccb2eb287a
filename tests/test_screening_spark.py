"""The Spark recipe of docs/screening.md, run for real on a small local session: the same
polars rules per patient through Arrow (``osms_defects.screening.spark``) give exactly what
``screen(, detected_on=D2022)`` gives over the whole register (issue 5).

Skipped when pyspark is not installed (it is not a dependency of the project), except in CI:
``.ci/run`` installs ``.[spark]`` and sets ``OSMS_REQUIRE_SPARK=1``, under which a missing pyspark
fails the run. Also needs Java (Spark 4 needs Java 17+; ``.ci/run`` installs a JRE if none).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest

import osms_defects
from osms_defects.screening import screen
from osms_defects.screening.register import ROW as ROW_COLUMN
from osms_defects.screening.spark import (
    arrow_functions,
    defects_ddl,
    errors_ddl,
)

from .conftest import REPO
from .screening_reference import D2022

if os.environ.get("OSMS_REQUIRE_SPARK") == "1":
    # CI (.ci/run) installs pyspark: there a missing pyspark is a failure, never a skip
    import pyarrow  # noqa: F401
    import pyspark  # noqa: F401
else:
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
# the rules as they run on a 2022-edition detection date, fixed on the driver for every group
screen_table, errors_table, screen_batches, errors_batches = arrow_functions(detected_on=D2022)

SRC = str(Path(osms_defects.__file__).resolve().parents[1])


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    # the Python workers are started by the JVM: same interpreter, and this checkout's code
    old = {k: os.environ.get(k) for k in ("PYSPARK_PYTHON", "PYTHONPATH")}
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, old["PYTHONPATH"]) if p)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("osms-defects-screening-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    try:
        yield session
    finally:
        session.stop()
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _register() -> pl.DataFrame:
    """examples/register.csv (every rule fires once or twice), a second copy under other
    patients and ids, and two records with data errors; ``register_row`` = the global row."""
    base = pl.read_csv(REPO / "examples" / "register.csv", infer_schema=False)
    copy = base.with_columns(
        pl.format("{}-b", "record_id").alias("record_id"),
        pl.format("{}-b", "patient_id").alias("patient_id"),
    )
    bad = base.head(2).with_columns(
        pl.format("{}-bad", "record_id").alias("record_id"),
        pl.lit("X9").alias("patient_id"),
        pl.lit("visit").alias("record_type"),
    )
    reg = pl.concat([base, copy, bad])
    return reg.with_row_index("register_row", offset=1).select(
        pl.exclude("register_row"), pl.col("register_row").cast(pl.Int64)
    )


def _sorted(df: pl.DataFrame) -> pl.DataFrame:
    return df.sort("rule", "record_id")


def _local_with_global_row(reg: pl.DataFrame) -> pl.DataFrame:
    local = screen(reg, detected_on=D2022).defects
    assert (local[ROW_COLUMN] == local["register_row"]).all()  # one run: row is global
    return local.drop(ROW_COLUMN)


def test_spark_apply_in_arrow_per_patient_equals_screen(spark: Any) -> None:
    reg = _register()
    local = _local_with_global_row(reg)
    assert local.height == 14  # 7 potential defects per copy of the example
    sdf = spark.createDataFrame(reg.to_pandas())
    ddl = defects_ddl({"register_row": "bigint"})
    hits = sdf.groupBy("patient_id").applyInArrow(screen_table, ddl).toArrow()
    got = pl.from_arrow(hits)
    assert isinstance(got, pl.DataFrame)
    assert _sorted(got.drop(ROW_COLUMN)).equals(_sorted(local))
    errs = pl.from_arrow(sdf.groupBy("patient_id").applyInArrow(errors_table, errors_ddl()).toArrow())
    assert isinstance(errs, pl.DataFrame)
    assert sorted(errs["record_id"]) == sorted(screen(reg, detected_on=D2022).errors["record_id"])


def test_spark_map_in_arrow_over_patient_partitions_equals_screen(spark: Any) -> None:
    reg = _register()
    local = _local_with_global_row(reg)
    sdf = spark.createDataFrame(reg.to_pandas()).repartition(2, "patient_id")
    ddl = defects_ddl({"register_row": "bigint"})
    got = pl.from_arrow(sdf.mapInArrow(screen_batches, ddl).toArrow())
    assert isinstance(got, pl.DataFrame)
    assert _sorted(got.drop(ROW_COLUMN)).equals(_sorted(local))
    errs = pl.from_arrow(sdf.mapInArrow(errors_batches, errors_ddl()).toArrow())
    assert isinstance(errs, pl.DataFrame)
    assert errs.height == screen(reg, detected_on=D2022).errors.height == 2
