"""The register's validation in memory (``load_register``: fast paths for clean data) against
its lazy twin (``split_register`` + ``describe_errors``: one plan, no fast path).

``load_register`` leaves out work that clean data does not need — blanks are turned into null
only in a column that has one, the shared-id count runs only when two id hashes are equal, and
no filter copies the register when no record is bad. Whatever the data, it must give exactly the
records and errors of the plain plan: an id with spaces around it is the same id, a cell of
spaces is missing (docs/screening.md, "The register")."""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osms_defects.screening import REGISTER_COLUMNS, load_register
from osms_defects.screening.register import ROW, describe_errors, split_register

#: text cells: clean, padded, blank, empty, missing
IDS = ["R1", "R2", " R1", "R2 ", "  ", "", None, "\tR3", "R3"]
TYPES = ["service", " service", "hospitalization", "visit", "", None]
DATES = ["2023-01-05", " 2023-01-06 ", "2023-1-5", "", "  ", None, "2023-01-04"]
TEXT = st.sampled_from(["P1", " P1", "P2", "", None])


def _register(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict.fromkeys(REGISTER_COLUMNS, pl.String))


@st.composite
def text_registers(draw: st.DrawFn) -> pl.DataFrame:
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        row: dict[str, Any] = dict.fromkeys(REGISTER_COLUMNS)
        row.update(
            record_id=draw(st.sampled_from(IDS)),
            record_type=draw(st.sampled_from(TYPES)),
            patient_id=draw(TEXT),
            provider_id=draw(TEXT),
            care_type=draw(st.sampled_from(["inpatient", " ", None])),
            service_code=draw(st.sampled_from(["A01", " A01", "", None])),
            service_date=draw(st.sampled_from(DATES)),
            admitted_on=draw(st.sampled_from(DATES)),
            discharged_on=draw(st.sampled_from(DATES)),
            referred_on=draw(st.sampled_from(DATES)),
        )
        rows.append(row)
    return _register(rows)


def _lazy_twin(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(valid records, errors) by the one lazy plan, with the exact shared-id check."""
    good, bad, text_dates = split_register(frame)
    records, bad_records = pl.collect_all([good, bad])
    errors = describe_errors(bad_records.lazy(), text_dates).collect()
    # a record pre-marked only by the 64-bit hash of its id (no error row) is valid
    valid = bad_records.filter(~pl.col(ROW).is_in(errors.get_column(ROW).implode()))
    if valid.height:
        records = pl.concat([records, valid.select(records.columns)]).sort(ROW)
    return records, errors


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text_registers())
def test_in_memory_validation_equals_the_lazy_plan(frame: pl.DataFrame) -> None:
    reg = load_register(frame)
    records, errors = _lazy_twin(frame)
    assert reg.records.equals(records)
    assert reg.errors.equals(errors)
    assert reg.n_records == frame.height


def test_padded_ids_are_one_id_and_a_cell_of_spaces_is_missing() -> None:
    """" R1" and "R1 " are the same record id (shared: both records are errors); "  " is no
    id at all ("record_id is missing"); a padded date is read as the date."""
    service = {"record_type": "service", "patient_id": "P1", "provider_id": "A",
               "service_code": "A01", "service_date": "2023-01-05"}  # fmt: skip
    frame = _register(
        [
            {**service, "record_id": " R1"},
            {**service, "record_id": "R1 "},
            {**service, "record_id": "  "},
            {**service, "record_id": "R2", "record_type": " service ", "patient_id": " P1 ",
             "service_date": " 2023-01-06 "},
        ]
    )
    reg = load_register(frame)
    assert reg.records.get_column("record_id").to_list() == ["R2"]
    assert reg.records.get_column("patient_id").to_list() == ["P1"]
    assert reg.records.get_column("service_date").cast(pl.String).to_list() == ["2023-01-06"]
    problems = {(r["row"], r["field"], r["message"]) for r in reg.errors.iter_rows(named=True)}
    assert problems == {
        (1, "record_id", "record_id used by 2 records; each record needs its own id"),
        (2, "record_id", "record_id used by 2 records; each record needs its own id"),
        (3, "record_id", "record_id is missing"),
    }
