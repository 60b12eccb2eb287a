"""BatchResult: a batch of deductions for analysts (issue 6: a batch result shows as a table in
Jupyter and converts to polars and pandas; issue 3: totals reconcile, nothing is skipped).

Amounts worked by hand from Annex 1 (2022 edition):
* 5.2, inpatient: group 5.0 prints 300% in column 6 → 3 × 287 450.00 = 862 350.00;
* 6.1, tuberculosis: group 6.0 prints 0,3 КТ in column 12 → 0.3 × 100 000.05 = 30 000.015,
  half up to the tiyn → 30 000.02 (a tie);
* 2.1, inpatient: group 2.0 prints "0" → recorded, 0.00;
* 5.0 itself: a group with sub-codes, not assignable (reading R1) → error.
"""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

import osms_defects as od

ROWS = {
    "finding_id": ["F1", "F2", "F3", "F4"],
    "provider_id": ["P-A", "P-B", "P-A", "P-B"],
    "case_id": ["C1", "C2", "C3", "C4"],
    "code": ["5.2", "6.1", "2.1", "5.0"],
    "care_type": ["inpatient", "tuberculosis", "inpatient", "inpatient"],
    "base_amount": ["287450.00", "100000.05", "", "1000.00"],
    "monitoring_kind": ["current"] * 4,
    "detected_on": ["2023-05-03", "2023-05-04", "2023-05-05", "2023-05-06"],
}


@pytest.fixture(scope="module")
def batch() -> od.BatchResult:
    return od.deduct_table(pl.DataFrame(ROWS))


def test_summary_reconciles(batch: od.BatchResult) -> None:
    s = batch.summary()
    assert (s.rows, s.deducted, s.recorded, s.warnings, s.errors) == (4, 2, 1, 0, 1)
    assert s.total == Decimal("892350.02")  # 862 350.00 + 30 000.02
    assert s.rows == s.deducted + s.recorded + s.warnings + s.errors
    assert len(batch) == 4


def test_errors_keep_their_row(batch: od.BatchResult) -> None:
    err = batch.errors
    assert err["row"].to_list() == [4]
    assert err["error"][0].startswith("group_not_assignable")


def test_breakdowns_are_exact(batch: od.BatchResult) -> None:
    by_p = dict(batch.by_provider().select("provider_id", "total").iter_rows())
    assert by_p == {"P-A": Decimal("862350.00"), "P-B": Decimal("30000.02")}
    by_c = batch.by_code()
    assert by_c["code"].to_list() == ["5.2", "6.1"]  # largest first
    with pytest.raises(KeyError, match="no column nope"):
        batch.by("nope")


def test_explain_a_row(batch: od.BatchResult) -> None:
    text = batch.explain(1, lang="en")
    assert "862350.00" in text and "5.2" in text
    assert batch.deduction(2).amount == Decimal("30000.02")
    with pytest.raises(IndexError):
        batch.deduction(5)


def test_conversions_are_numeric_and_exact(batch: od.BatchResult) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pdf = batch.to_pandas()
    assert len(pdf) == 4
    assert pdf.loc[0, "amount"] == 862350.00  # float tenge, for plots
    assert pdf.loc[1, "amount_tiyn"] == 3000002  # exact integer tiyn beside it
    assert pdf["amount_tiyn"].isna().tolist() == [False, False, False, True]
    assert batch.to_polars().schema["amount"] == pl.Decimal(38, 2)
    assert batch.to_polars()["amount"][3] is None  # the error row: no amount, not zero


def test_html_shows_the_summary(batch: od.BatchResult) -> None:
    page = batch._repr_html_()
    assert "892350.02" in page and "<table" in page


def test_from_a_file_and_write(tmp_path: pytest.TempPathFactory) -> None:
    from pathlib import Path

    src = Path(str(tmp_path)) / "f.csv"
    pl.DataFrame(ROWS).write_csv(src)
    b = od.deduct_table(src)
    assert b.source == str(src) and b.summary().total == Decimal("892350.02")
    out = Path(str(tmp_path)) / "out.csv"
    b.write(out)
    back = pl.read_csv(out, infer_schema=False)
    assert back["amount"].to_list()[:3] == ["862350.00", "30000.02", "0.00"]
