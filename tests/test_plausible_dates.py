"""Dates outside the plausible range of osms_defects.dates (before 2020-01-01, after today plus
366 days) are errors ``implausible_date``, never computed under the last edition (issue 18)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

import osms_defects as od
from osms_defects.dates import EARLIEST_PLAUSIBLE, FUTURE_MARGIN_DAYS, implausible_date
from osms_defects.deductions.frame import RESULT_COLUMNS, deduct_frame, deductions_frame


def _finding(detected: dt.date, signed: dt.date | None = None) -> od.Finding:
    return od.Finding(code="5.2", care_type="inpatient", base_amount="1000.00",
                      detected_on=detected, conclusion_signed_on=signed)  # fmt: skip


def test_9999_is_not_deducted_under_the_2026_edition() -> None:
    d = od.deduct(_finding(dt.date(9999, 12, 31)))
    assert d.status is od.Status.ERROR and d.error_kind is od.ErrorKind.IMPLAUSIBLE_DATE
    assert "9999-12-31" in d.error and "2020-01-01" in d.error
    assert od.deduct(_finding(dt.date(2019, 12, 31))).error_kind is od.ErrorKind.IMPLAUSIBLE_DATE
    # 2020-01-01 is plausible: no edition in force then (reading R4), as before
    assert od.deduct(_finding(dt.date(2020, 1, 1))).error_kind is od.ErrorKind.NO_EDITION
    signed = od.deduct(_finding(dt.date(2023, 5, 3), dt.date(1, 1, 1)))
    assert signed.error_kind is od.ErrorKind.IMPLAUSIBLE_DATE and "conclusion_signed_on" in signed.error


def test_the_fast_path_does_not_skip_the_check() -> None:
    ok = _finding(dt.date(2023, 5, 3))
    assert od.deduct(ok).status is od.Status.DEDUCTED  # a plan for the key now exists
    bad = _finding(dt.date(2023, 5, 3), dt.date(9999, 1, 1))
    assert od.deduct(bad).error_kind is od.ErrorKind.IMPLAUSIBLE_DATE


def test_bounds() -> None:
    today = dt.date(2026, 12, 7)
    last = today + dt.timedelta(days=FUTURE_MARGIN_DAYS)
    assert implausible_date(EARLIEST_PLAUSIBLE, "d", last) is None
    assert implausible_date(last, "d", last) is None
    assert implausible_date(last + dt.timedelta(days=1), "d", last) is not None
    assert implausible_date(EARLIEST_PLAUSIBLE - dt.timedelta(days=1), "d", last) is not None


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_both_paths_agree_on_any_date(day: dt.date) -> None:
    rows = [{"code": "5.2", "care_type": "inpatient", "base_amount": "1000.00",
             "monitoring_kind": "current", "detected_on": day.isoformat(),
             "conclusion_signed_on": day.isoformat()}]  # fmt: skip
    scalar = list(od.deduct_many(rows))
    assert deduct_frame(pl.DataFrame(rows)).select(RESULT_COLUMNS).equals(deductions_frame(scalar))
    outside = not (EARLIEST_PLAUSIBLE <= day <= dt.date.today() + dt.timedelta(FUTURE_MARGIN_DAYS))
    assert (scalar[0].error_kind is od.ErrorKind.IMPLAUSIBLE_DATE) == outside


def test_register_dates_outside_the_range_are_data_errors() -> None:
    from osms_defects.screening import screen
    from osms_defects.screening.register import REGISTER_COLUMNS

    from .screening_reference import D2022

    def rec(rid: str, admitted: str, discharged: str) -> dict[str, str | None]:
        r: dict[str, str | None] = dict.fromkeys(REGISTER_COLUMNS)
        r.update(record_id=rid, record_type="hospitalization", patient_id="p1",
                 provider_id="C", care_type="inpatient", admitted_on=admitted,
                 discharged_on=discharged)  # fmt: skip
        return r

    df = pl.DataFrame(
        [rec("a", "0001-01-01", "0001-01-05"), rec("b", "9999-12-30", "9999-12-31"),
         rec("c", "2023-01-02", "2023-01-10")],
        schema=dict.fromkeys(REGISTER_COLUMNS, pl.String),
    )  # fmt: skip
    res = screen(df, detected_on=D2022)
    assert res.n_bad_records == 2
    bad = res.errors.filter(pl.col("message").str.contains("not a plausible date"))
    assert sorted(set(bad.get_column("row").to_list())) == [1, 2]
    assert set(bad.get_column("field")) == {"admitted_on", "discharged_on"}
