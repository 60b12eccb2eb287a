"""Property tests of the working-day arithmetic (issue 4): add then subtract returns to the
start on a working day; count agrees with add; results are working days; the vectorised forms
agree with the scalar ones; and everything agrees with a plain day-by-day walk."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from osms_defects.calendar import WorkCalendar, kazakhstan

CAL: WorkCalendar = kazakhstan()
# keep n working days of slack on both sides of the covered range
dates = st.dates(min_value=dt.date(2020, 3, 1), max_value=dt.date(2026, 10, 1))
steps = st.integers(min_value=-40, max_value=40)
SETTINGS = settings(max_examples=150, deadline=None)


def _walk(d: dt.date, n: int) -> dt.date:
    """The reference: step one calendar day at a time."""
    step = dt.timedelta(days=1 if n > 0 else -1)
    left = abs(n)
    while left:
        d += step
        if CAL.is_workday(d):
            left -= 1
    return d


@SETTINGS
@given(dates, steps)
def test_add_matches_day_by_day_walk(d: dt.date, n: int) -> None:
    assert CAL.add_workdays(d, n) == _walk(d, n)


@SETTINGS
@given(dates, steps.filter(bool))
def test_result_is_a_working_day(d: dt.date, n: int) -> None:
    assert CAL.is_workday(CAL.add_workdays(d, n))


@SETTINGS
@given(dates, steps)
def test_add_then_subtract_returns_on_a_working_day(d: dt.date, n: int) -> None:
    start = CAL.roll_forward(d)
    assert CAL.add_workdays(CAL.add_workdays(start, n), -n) == start


@SETTINGS
@given(dates, st.integers(min_value=1, max_value=40))
def test_count_agrees_with_add(d: dt.date, n: int) -> None:
    end = CAL.add_workdays(d, n)
    # d not counted, the n-th working day counted
    assert CAL.count_workdays(d + dt.timedelta(days=1), end) == n
    assert CAL.count_workdays(d, end) == n + CAL.is_workday(d)


@SETTINGS
@given(dates, dates)
def test_count_is_additive_and_matches_iteration(a: dt.date, b: dt.date) -> None:
    lo, hi = min(a, b), max(a, b)
    n = CAL.count_workdays(lo, hi)
    assert n == sum(1 for _ in CAL.workdays(lo, hi))
    assert CAL.count_workdays(hi, lo) == (n if lo == hi else 0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(dates, steps), min_size=1, max_size=50))
def test_vectorised_equals_scalar(pairs: list[tuple[dt.date, int]]) -> None:
    ds = np.array([p[0] for p in pairs], dtype="datetime64[D]")
    ns = np.array([p[1] for p in pairs], dtype=np.int64)
    got = CAL.add_workdays_array(ds, ns).tolist()
    assert got == [CAL.add_workdays(d, n) for d, n in pairs]
    ends = ds + np.abs(ns).astype("timedelta64[D]")
    counts = CAL.count_workdays_array(ds, ends).tolist()
    assert counts == [
        CAL.count_workdays(d, e) for d, e in zip(ds.tolist(), ends.tolist(), strict=True)
    ]
    flags = CAL.is_workday_array(ds).tolist()
    assert flags == [CAL.is_workday(d) for d, _ in pairs]
