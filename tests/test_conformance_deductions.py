"""Every conformance vector of data/conformance/deductions.yaml (edition 2022-10-16),
data/conformance/deductions_2025.yaml (edition 2025-08-01, order No. 68) and
data/conformance/deductions_2026.yaml (edition 2026), through both paths. The expected values in
the files were worked by hand from the printed Annex 1 of each edition. The note (readings
E18–E20) is checked on the scalar path only: the columnar path has no note column."""

from __future__ import annotations

from collections import Counter

import polars as pl
import pytest

from osms_defects.deductions.conformance import (
    VECTOR_FILES,
    Batch,
    Vector,
    VectorFile,
    check,
    load_vectors,
    resolver_for,
    scalar_record,
)
from osms_defects.deductions.engine import Resolver, deduct_many, deduct_row
from osms_defects.deductions.frame import RESULT_COLUMNS, deduct_frame
from osms_defects.deductions.model import ErrorKind
from osms_defects.errors import DataFileError
from osms_defects.resources import data_path

FILES: dict[str, VectorFile] = {name: load_vectors(data_path(name)) for name in VECTOR_FILES}
VF = FILES[VECTOR_FILES[0]]
VF26 = FILES[VECTOR_FILES[1]]
VF25 = FILES[VECTOR_FILES[2]]
_CACHE: dict[object, Resolver] = {}

VECTORS = [(name, v) for name, vf in FILES.items() for v in vf.vectors]
BATCHES = [(name, b) for name, vf in FILES.items() for b in vf.batches]


@pytest.mark.parametrize(("name", "v"), VECTORS, ids=[f"{n}:{v.id}" for n, v in VECTORS])
def test_vector_scalar(name: str, v: Vector) -> None:
    vf = FILES[name]
    d = deduct_row(vf.row(v), resolver_for(v, cache=_CACHE), unremedied=v.unremedied, row_number=1)
    assert check(v, scalar_record(d)) == []


@pytest.mark.parametrize("name", VECTOR_FILES)
def test_vectors_columnar(name: str) -> None:
    """All vectors of a file through deduct_frame, one frame per set of options."""
    vf = FILES[name]
    groups: dict[tuple[object, ...], list[Vector]] = {}
    for v in vf.vectors:
        groups.setdefault((v.unremedied, v.accept_reading, v.accept_doubtful), []).append(v)
    for (unremedied, _r, _d), vs in groups.items():
        fields = sorted({k for v in vs for k in vf.row(v)})
        df = pl.DataFrame([{k: vf.row(v).get(k) for k in fields} for v in vs],
                          schema={k: pl.String for k in fields})  # fmt: skip
        res = resolver_for(vs[0], cache=_CACHE)
        out = deduct_frame(df, res, unremedied=bool(unremedied)).select(RESULT_COLUMNS)
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
    # kinds of an input, not of one finding: tests/test_duplicates.py, test_malformed_lines.py
    data_specific |= {ErrorKind.DUPLICATE_FINDING, ErrorKind.MALFORMED_LINE}
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


@pytest.mark.parametrize(("name", "b"), BATCHES, ids=[f"{n}:{b.id}" for n, b in BATCHES])
def test_batches_both_paths(name: str, b: Batch) -> None:
    vf = FILES[name]
    res = resolver_for(b, cache=_CACHE)
    rows = [vf.row(r) for r in b.rows]
    scalar = [
        scalar_record(d)
        for d in deduct_many(rows, res, case_policy=b.case_policy, unremedied=b.unremedied)
    ]
    fields = sorted({k for r in rows for k in r})
    df = pl.DataFrame(
        [{k: r.get(k) for k in fields} for r in rows], schema=dict.fromkeys(fields, pl.String)
    )
    columnar = deduct_frame(df, res, case_policy=b.case_policy, unremedied=b.unremedied).select(
        RESULT_COLUMNS
    )
    for e, s, c in zip(b.expect, scalar, columnar.iter_rows(named=True), strict=True):
        assert check(e, s) == [] and check(e, c) == [], b.id


def test_there_are_batches_for_both_policies() -> None:
    assert {b.case_policy for b in VF.batches} == {"each", "max_per_case"}
    assert {b.case_policy for b in VF26.batches} == {"each", "max_per_case"}


def test_coverage_of_the_2026_vectors(clf: object) -> None:
    """≥ 60 vectors for the 2026 edition: every one of the 15 columns, every basis of the
    edition, both readings of two-reading cells and none, doubtful cells refused and accepted,
    a not-printed cell, the sub-codes with their own amounts, the three classes of п. 11 and an
    absent one, kinds not in force, the start-date boundary and the gaps, rounding ties."""
    import osms_defects as od

    assert isinstance(clf, od.Classifier)
    vs = VF26.vectors
    assert VF26.edition == "2026" and len(vs) >= 60
    ed = clf.edition(id="2026")
    cares = {VF26.row(v)["care_type"] for v in vs if v.expect.error_kind is None}
    assert cares >= {c.id for c in ed.care_types}  # all 15 columns, each computed at least once
    assert {v.expect.basis for v in vs} >= {"KPN", "PN", "KT", "COST", "NONE"}
    readings = {v.accept_reading for v in vs if v.expect.status.value == "deducted"}
    assert readings >= {"KPN", "PN", "KT", "COST"}
    kinds = Counter(v.expect.error_kind for v in vs)
    for k in (ErrorKind.READING_REQUIRED, ErrorKind.DOUBTFUL_CELL, ErrorKind.KIND_NOT_IN_FORCE,
              ErrorKind.EDITION_GAP, ErrorKind.CLASS_NOT_IN_EDITION, ErrorKind.NOT_APPLICABLE,
              ErrorKind.GROUP_NOT_ASSIGNABLE, ErrorKind.UNKNOWN_CODE,
              ErrorKind.UNKNOWN_CARE_TYPE):  # fmt: skip
        assert kinds[k] >= 1, k
    accepted = [v for v in vs if v.accept_doubtful and v.expect.status.value == "deducted"]
    refused = [v for v in vs if v.accept_doubtful and v.expect.error_kind is ErrorKind.DOUBTFUL_CELL]
    assert accepted and refused  # a short-row cell accepted; a not-printed one refused anyway
    codes = {VF26.row(v)["code"] for v in vs if v.expect.status.value == "deducted"}
    assert {"3.4", "12.3"} <= codes
    classes = {VF26.row(v).get("defect_class", "") for v in vs}
    assert {"general", "potential", "", "общие", "дополнительные"} <= classes
    dates = {VF26.row(v)["detected_on"] for v in vs}
    assert {"2026-03-13", "2026-03-16", "2025-01-15"} <= dates
    assert sum("tie" in v.id for v in vs) >= 6


def test_coverage_of_the_2025_vectors() -> None:
    """≥ 40 vectors for the edition of order No. 68: every column, the bases of the edition,
    code 1.3 (this edition only), recorded and "-" cells, doubtful cells (E3, E17) refused and
    accepted, the classes of п. 11–14, its two kinds and one it lacks, rounding ties, and the
    boundaries 31.07.2025 (gap), 01.08.2025, 14–17.03.2026 (the window of order No. 19, marked)
    and 18.03.2026 (not marked)."""
    vs = VF25.vectors
    assert VF25.edition == "2025-08-01" and len(vs) >= 40
    cares = {VF25.row(v)["care_type"] for v in vs if v.expect.error_kind is None}
    assert len(cares) == 15  # columns 4–18
    assert {v.expect.basis for v in vs} >= {"KPN", "PN", "KT", "COST", "NONE"}
    deducted = [v for v in vs if v.expect.status.value == "deducted"]
    assert {VF25.row(v)["code"] for v in deducted} >= {"1.3", "3.4"}
    assert sum(VF25.row(v)["code"] == "1.3" for v in deducted) >= 4
    kinds = Counter(v.expect.error_kind for v in vs)
    for k in (ErrorKind.READING_REQUIRED, ErrorKind.DOUBTFUL_CELL, ErrorKind.KIND_NOT_IN_FORCE,
              ErrorKind.EDITION_GAP, ErrorKind.NOT_APPLICABLE, ErrorKind.UNKNOWN_CODE):  # fmt: skip
        assert kinds[k] >= 1, k
    assert any(v.accept_doubtful and "E17" in (v.expect.reference_contains or "") for v in deducted)
    assert any(v.accept_doubtful and "E3" in (v.expect.reference_contains or "") for v in deducted)
    assert {v.expect.status.value for v in vs} >= {"deducted", "recorded", "error"}
    classes = {VF25.row(v).get("defect_class", "") for v in vs}
    assert {"general", "potential", "", "общие", "дополнительные"} <= classes
    mk = {VF25.row(v)["monitoring_kind"] for v in deducted}
    assert {"current", "unplanned"} <= mk
    by_date = {VF25.row(v)["detected_on"]: v.expect for v in vs}
    assert by_date["2025-07-31"].error_kind is ErrorKind.EDITION_GAP
    for day, ed in (("2025-08-01", "2025-08-01"), ("2026-03-18", "2026")):
        assert by_date[day].edition == ed and by_date[day].no_note, day
    for day, ed in (("2026-03-15", "2025-08-01"), ("2026-03-16", "2026"), ("2026-03-17", "2026")):
        marked = [v for v in vs if VF25.row(v)["detected_on"] == day and v.expect.note_contains]
        assert marked and all(v.expect.edition == ed for v in marked), day
    assert sum("tie" in v.id for v in vs) >= 6
