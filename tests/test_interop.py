"""Analyst interop (issue 19, item 3 of its list; the lead's item 4): ``to_pandas`` /
``to_polars`` give numeric amounts and real dates, the README's plot line works, and
``screen()`` / ``deduct_frame()`` take pandas, polars and Arrow frames alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

import osms_defects as od
from osms_defects.deductions import deduct_frame
from osms_defects.screening import screen

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pa_csv = pytest.importorskip("pyarrow.csv")

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FINDINGS = EXAMPLES / "findings.csv"
REGISTER = EXAMPLES / "register.csv"
DATES = ("detected_on", "conclusion_signed_on", "remedy_due")


@pytest.fixture(scope="module")
def batch() -> od.BatchResult:
    return od.deduct_table(FINDINGS)


def test_polars_types(batch: od.BatchResult) -> None:
    df = batch.to_polars()
    assert df.schema["amount"] == pl.Decimal(38, 2)
    for c in DATES:
        assert df.schema[c] == pl.Date, c
    assert df.get_column("amount").sum() == batch.summary().total
    assert df.get_column("detected_on").drop_nulls().min() >= dt.date(2020, 1, 1)  # type: ignore[operator]


def test_pandas_types_and_exact_total(batch: od.BatchResult) -> None:
    df = batch.to_pandas()
    assert str(df["amount"].dtype) == "float64"
    assert str(df["amount_tiyn"].dtype) == "Int64"
    cols = list(df.columns)
    assert cols[cols.index("amount") + 1] == "amount_tiyn"
    for c in DATES:
        assert pd.api.types.is_datetime64_any_dtype(df[c]), c
    # the exact total is the integer sum; the float sum agrees to the tiyn
    assert Decimal(int(df["amount_tiyn"].sum())) / 100 == batch.summary().total
    assert round(df["amount"].sum(), 2) == float(batch.summary().total)


def test_the_readme_plot_line(batch: od.BatchResult) -> None:
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt

    ax = batch.to_pandas().groupby("provider_id").amount.sum().plot.bar()
    try:
        assert len(ax.patches) == batch.to_polars()["provider_id"].n_unique()
        heights = sorted(p.get_height() for p in ax.patches)
        assert heights[-1] > 0
    finally:
        plt.close("all")


def _findings_frames() -> dict[str, object]:
    text = pd.read_csv(FINDINGS, dtype=str, keep_default_na=False)
    return {
        "polars": pl.read_csv(FINDINGS, infer_schema=False),
        "pandas": text,
        "arrow": pa.Table.from_pandas(text, preserve_index=False),
    }


@pytest.mark.parametrize("kind", ["polars", "pandas", "arrow"])
def test_deduct_frame_takes_each_kind(kind: str) -> None:
    want = od.deduct_table(FINDINGS).frame.select("row", "status", "amount", "error")
    got = deduct_frame(_findings_frames()[kind]).select("row", "status", "amount", "error")
    assert got.fill_null("").equals(want.fill_null(""))


def _register_frames() -> dict[str, object]:
    loose = pd.read_csv(REGISTER)  # pandas' own inference: numbers, NaN for blanks
    return {
        "polars": pl.read_csv(REGISTER, infer_schema=False),
        "pandas": loose,
        "pandas-text": pd.read_csv(REGISTER, dtype=str),
        "arrow": pa_csv.read_csv(REGISTER),
    }


@pytest.mark.parametrize("kind", ["polars", "pandas", "pandas-text", "arrow"])
def test_screen_takes_each_kind(kind: str) -> None:
    on = dt.date(2025, 9, 1)
    want = screen(REGISTER, detected_on=on)
    got = screen(_register_frames()[kind], detected_on=on)  # type: ignore[arg-type]
    assert (got.n_records, got.n_bad_records) == (want.n_records, want.n_bad_records)
    keys = ["rule", "record_id"]
    assert got.defects.select(keys).sort(keys).equals(want.defects.select(keys).sort(keys))
    assert want.defects.height > 0


def test_screen_refuses_what_is_not_a_table() -> None:
    with pytest.raises(od.RegisterError, match="cannot read a object as a register"):
        screen(object(), detected_on=dt.date(2025, 9, 1))  # type: ignore[arg-type]
