"""The Spark recipe of docs/screening.md: the same polars rules per patient through Arrow.

Skipped when pyspark is not installed (it is not a dependency of the project).
"""

from __future__ import annotations

import pytest

pyspark = pytest.importorskip("pyspark")


def test_spark_apply_in_arrow_matches_local() -> None:  # pragma: no cover - needs pyspark
    import polars as pl
    import pyarrow as pa
    from pyspark.sql import SparkSession

    from osms_defects.screening import screen

    from .conftest import REPO

    src = REPO / "examples" / "register.csv"
    local = screen(src).defects

    def screen_group(table: pa.Table) -> pa.Table:
        res = screen(pl.from_arrow(table))  # type: ignore[arg-type]
        return res.defects.with_columns(pl.col("event_date").cast(pl.String)).to_arrow()

    schema = (
        "rule string, code string, record_id string, evidence_ids string, provider_id string, "
        "patient_id string, care_type string, record_type string, event_date string, days long, "
        "hours double, workdays long, count long, row long, reference string, note string"
    )
    spark = SparkSession.builder.master("local[1]").getOrCreate()
    try:
        sdf = spark.createDataFrame(pl.read_csv(src, infer_schema=False).to_pandas())
        hits = sdf.groupBy("patient_id").applyInArrow(screen_group, schema).toPandas()
    finally:
        spark.stop()
    assert sorted(zip(hits["rule"], hits["record_id"], strict=True)) == sorted(
        local.select("rule", "record_id").iter_rows()
    )
