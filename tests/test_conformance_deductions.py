"""Every conformance vector of data/conformance/deductions.yaml, through both paths. The
expected values in the file were worked by hand from the printed Annex 1."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest

from osms_defects.deductions.conformance import Batch, Vector, check, load_vectors
from osms_defects.deductions.engine import deduct_many, deduct_row
from osms_defects.deductions.frame import RESULT_COLUMNS, deduct_frame, record
from osms_defects.deductions.model import ErrorKind
from osms_defects.errors import DataFileError

VF = load_vectors()


@pytest.mark.parametrize("v", VF.vectors, ids=[v.id for v in VF.vectors])
def test_vector_scalar(v: Vector) -> None:
    d = deduct_row(VF.row(v), unremedied=v.unremedied, row_number=1)
    assert check(v, record(d)) == []


@pytest.mark.parametrize("unremedied", [False, True])
def test_vectors_columnar(unremedied: bool) -> None:
    vs = [v for v in VF.vectors if v.unremedied is unremedied]
    fields = sorted({k for v in vs for k in VF.row(v)})
    df = pl.DataFrame([{k: VF.row(v).get(k) for k in fields} for v in vs],
                      schema={k: pl.String for k in fields})  # fmt: skip
    out = deduct_frame(df, unremedied=unremedied).select(RESULT_COLUMNS)
    for v, got in zip(vs, out.iter_rows(named=True), strict=True):
        assert check(v, got) == [], v.id


def test_coverage_of_the_vectors() -> None:
    """≥ 60 vectors; every basis, every column, every error kind (but the data-specific ones),
    proactive warnings and the three exempt groups."""
    assert len(VF.vectors) >= 60
    bases = {v.expect.basis for v in VF.vectors}
    assert bases >= {"KPN", "PN", "KT", "COST", "NONE", "PATIENT_EXPENSES"}
    cares = {VF.row(v)["care_type"] for v in VF.vectors}
    assert cares >= {"ambulatory_capitation", "ambulatory_service", "inpatient", "emergency",
                     "rural", "mental_health", "tuberculosis", "hiv", "pathology", "blood_services"}  # fmt: skip
    kinds = {v.expect.error_kind for v in VF.vectors}
    # calendar_range depends on the calendar's data, doubtful_cell and reading_required on the
    # secondary copy of the 2026 table: unit tests cover them (test_deduct.py)
    data_specific = {ErrorKind.CALENDAR_RANGE, ErrorKind.DOUBTFUL_CELL, ErrorKind.READING_REQUIRED}
    assert kinds >= set(ErrorKind) - data_specific
    statuses = Counter(v.expect.status.value for v in VF.vectors)
    assert statuses["warning"] >= 4
    exempt = {VF.row(v)["code"].split(".")[0] for v in VF.vectors
              if VF.row(v).get("monitoring_kind") == "proactive" and v.expect.status.value == "deducted"
              and not v.unremedied}  # fmt: skip
    assert exempt >= {"3", "5", "8"}
    assert sum("tie" in v.id for v in VF.vectors) >= 6


def test_bad_vector_file_is_located(tmp_path: object) -> None:
    from pathlib import Path

    p = Path(str(tmp_path)) / "v.yaml"
    p.write_text(
        "schema_version: 1\nedition: x\nvectors:\n  - id: a\n    paragraph: п. 30\n"
        "    input: {code: '5.2', bogus: x}\n    expect: {status: deducted}\n    work: w\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as exc:
        load_vectors(p)
    assert "v.yaml:" in str(exc.value)


@pytest.mark.parametrize("b", VF.batches, ids=[b.id for b in VF.batches])
def test_batches_both_paths(b: Batch) -> None:
    rows = [VF.row(r) for r in b.rows]
    scalar = [
        record(d) for d in deduct_many(rows, case_policy=b.case_policy, unremedied=b.unremedied)
    ]
    fields = sorted({k for r in rows for k in r})
    df = pl.DataFrame(
        [{k: r.get(k) for k in fields} for r in rows], schema=dict.fromkeys(fields, pl.String)
    )
    columnar = deduct_frame(df, case_policy=b.case_policy, unremedied=b.unremedied).select(
        RESULT_COLUMNS
    )
    for e, s, c in zip(b.expect, scalar, columnar.iter_rows(named=True), strict=True):
        assert check(e, s) == [] and check(e, c) == [], b.id


def test_there_are_batches_for_both_policies() -> None:
    assert {b.case_policy for b in VF.batches} == {"each", "max_per_case"}
