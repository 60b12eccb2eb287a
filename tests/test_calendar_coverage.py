"""Coverage of the calendar by data (docs/calendar.md, "Coverage"): final years, provisional
years, a fund's file for a new year, the strict option, names in Russian and Kazakh, and the
holes found by mutation testing of ``calendar/workcalendar.py``.

Expected values are worked by hand from the Law «О праздниках в Республике Казахстан» (ст. 5:
a holiday on a Saturday or Sunday moves the day off to the next working day, except Orthodox
Christmas and the first day of Kurban Ait) and the evidence in
../shared/sources/kz-holidays-2026-2027_evidence.txt (Constitution Day on 15 March from 2027).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osms_defects import deadlines as dl
from osms_defects.calendar import CALENDAR_ENV, CalendarRangeError, WorkCalendar, kazakhstan
from osms_defects.errors import DataFileError

from .conftest import REPO

D = dt.date
TODAY = D(2026, 12, 7)
FICTITIOUS = REPO / "examples" / "calendar_2027_fictitious.yaml"


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return kazakhstan(today=TODAY)


# --- 2027 from the package and the Law, provisional ---------------------------------------


def test_2027_days_off_from_the_law(cal: WorkCalendar) -> None:
    # Constitution Day 15 March from 2027 (the 2026 constitutional changes: МТСЗН, March 2026)
    assert not cal.is_workday(D(2027, 3, 15))
    # Nauryz 21–23 March; the 21st is a Sunday, its day off moves to Wednesday the 24th
    for day in (22, 23, 24):
        assert not cal.is_workday(D(2027, 3, day))
    assert cal.is_workday(D(2027, 3, 25))
    # 30 August is no longer a holiday (from 2026)
    assert cal.is_workday(D(2027, 8, 30))
    # 1 January Friday, 2 January Saturday → Monday 4 January off; 7 January (Orthodox
    # Christmas, a Thursday) off
    assert [d.day for d in cal.days_off(D(2027, 1, 1), D(2027, 1, 8))] == [1, 2, 3, 4, 7]


def test_2027_month_and_year_counts(cal: WorkCalendar) -> None:
    # 2027 starts on a Friday: 52 weeks and one Friday, 261 weekdays. Weekdays off: 1, 4, 7 Jan;
    # 8, 15, 22, 23, 24 Mar; 3 May (1 May a Saturday), 7 May, 10 May (9 May a Sunday); 6 Jul;
    # 25 Oct; 16 Dec — 14 days. Kurban Ait (estimated 16 May) is a Sunday and never moves.
    assert cal.count_workdays(D(2027, 1, 1), D(2027, 12, 31)) == 261 - 14
    assert cal.count_workdays(D(2027, 3, 1), D(2027, 3, 31)) == 23 - 5
    assert cal.count_workdays(D(2027, 1, 1), D(2027, 1, 31)) == 21 - 3


def test_provisional_marks_and_notes(cal: WorkCalendar) -> None:
    assert not cal.is_provisional(D(2026, 12, 31))
    assert cal.is_provisional(D(2027, 1, 1))
    assert cal.provisional_notes(D(2026, 1, 5), D(2026, 12, 31)) == ()
    (note,) = cal.provisional_notes(D(2026, 12, 28), D(2027, 1, 6))
    assert "2027" in note and "переносе дней отдыха" in note
    assert "transfer of days off in 2027" in cal.provisional_notes(D(2027, 5, 5), lang="en")[0]


def test_deadline_in_2027_is_marked_and_explained() -> None:
    # п. 26 (2026): five working days after Friday 12 March 2027: Monday 15 off (Constitution
    # Day), 16, 17, 18, 19 (1–4); 22–24 off (Nauryz), Thursday 25 (5)
    d = dl.potential_defect_objection(D(2027, 3, 12), cal=kazakhstan(today=TODAY))
    assert d.due == D(2027, 3, 25)
    assert d.calendar_provisional and "2027" in d.calendar_note
    names_kk = [n.label("kk") for n in d.days_off if n.date.isoweekday() <= 5]
    assert names_kk == [
        "Қазақстан Республикасының Конституциясы күні",
        "Наурыз мейрамы",
        "Наурыз мейрамы",
        "Наурыз мейрамы (қайта белгіленген демалыс)",
    ]
    ru = d.explain("ru")
    assert "15.03.2027 День Конституции Республики Казахстан" in ru
    assert "24.03.2027 Наурыз мейрамы (перенесённый выходной день)" in ru
    assert "предварительный" in ru
    assert "демалыс күндері" in d.explain("kk")
    with pytest.raises(CalendarRangeError):
        dl.potential_defect_objection(D(2027, 3, 12), cal=kazakhstan(today=TODAY).strict())


def test_names_of_the_2020_transfer_in_three_languages(cal: WorkCalendar) -> None:
    note = cal.note(D(2020, 1, 3))  # the day off moved from Sunday 5 January 2020
    assert note is not None and not note.working
    assert note.label("ru") == "Выходной день (перенесён с 05.01.2020)"
    assert note.label("kk") == "Демалыс күні (05.01.2020 бастап ауыстырылды)"
    worked = cal.note(D(2020, 1, 5))
    assert worked is not None and worked.working
    assert worked.label("ru") == "Рабочий день (перенос выходного дня)"


def test_horizon_follows_today_and_data() -> None:
    assert kazakhstan(today=D(2026, 1, 1)).last == D(2028, 12, 31)
    later = kazakhstan(today=D(2029, 6, 1))  # nobody added an act: still computed, marked
    assert later.last == D(2031, 12, 31) and later.final_last == D(2026, 12, 31)
    assert [p.year for p in later.provisional_years] == [2027, 2028, 2029, 2030, 2031]
    with pytest.raises(CalendarRangeError, match="2019-12-31"):
        later.is_workday(D(2019, 12, 31))  # before the first covered year: refused


# --- a fund's file for a new year -----------------------------------------------------------


def test_fictitious_transfer_file_makes_2027_final() -> None:
    c = kazakhstan(extra_file=FICTITIOUS, today=TODAY)
    assert c.final_last == D(2027, 12, 31) and not c.is_provisional(D(2027, 3, 26))
    # the file's transfer: Friday 26 March off, Saturday 27 March working
    assert not c.is_workday(D(2027, 3, 26)) and c.is_workday(D(2027, 3, 27))
    assert c.count_workdays(D(2027, 1, 1), D(2027, 12, 31)) == 247  # one day off, one worked
    d = dl.potential_defect_objection(D(2027, 3, 12), cal=c)
    assert d.due == D(2027, 3, 25) and not d.calendar_provisional
    # п. 26 from Thursday 25 March: Friday 26 off (the transfer), Saturday 27 working (1),
    # 29, 30, 31 March, 1 April (2–5)
    assert dl.potential_defect_objection(D(2027, 3, 25), cal=c).due == D(2027, 4, 1)
    note = c.note(D(2027, 3, 26))
    assert note is not None and "фиктивный" in note.label("ru")


def test_environment_variable_names_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CALENDAR_ENV, str(FICTITIOUS))
    assert kazakhstan(today=TODAY).final_last == D(2027, 12, 31)
    assert not dl.potential_defect_objection(D(2027, 3, 12)).calendar_provisional
    monkeypatch.setenv(CALENDAR_ENV, str(REPO / "no-such-calendar.yaml"))
    with pytest.raises(DataFileError, match=r"no-such-calendar\.yaml"):
        kazakhstan(today=TODAY)


def test_a_final_year_needs_its_act_and_a_whole_year(tmp_path: Path) -> None:
    f = tmp_path / "half.yaml"
    f.write_text(
        "covered: {first: '2020-01-01', last: '2027-06-30', reference: test}\n"
        "transfer_acts: [{year: 2027, reference: test}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match="not the 31 December"):
        kazakhstan(extra_file=f, today=TODAY)


# --- holes found by mutation testing of workcalendar.py (each test fails on its mutant) ----


def test_array_result_before_the_range_is_an_error_not_a_wrapped_date(cal: WorkCalendar) -> None:
    # Saturday 4 January 2020 − 10 working days is in 2019: outside. A negative index would
    # wrap around numpy's array to a date at the end of the range ("|" turned into "&").
    with pytest.raises(CalendarRangeError, match="outside the covered range"):
        cal.add_workdays_array(np.array(["2020-01-04"], dtype="datetime64[D]"), -10)
    with pytest.raises(CalendarRangeError):
        cal.add_workdays_array(np.array(["2020-01-04"], dtype="datetime64[D]"), np.array([-10]))


def test_non_date_array_is_a_type_error(cal: WorkCalendar) -> None:
    with pytest.raises(TypeError, match="datetime64"):
        cal.add_workdays_array(np.array([20240101, 20240102]), 1)
    with pytest.raises(TypeError, match="datetime64"):
        cal.is_workday_array(np.array(["2024-01-01"]))


def test_days_off_includes_the_last_day(cal: WorkCalendar) -> None:
    assert list(cal.days_off(D(2027, 3, 22), D(2027, 3, 24))) == [
        D(2027, 3, 22), D(2027, 3, 23), D(2027, 3, 24)
    ]  # fmt: skip
    assert list(cal.days_off(D(2024, 1, 7), D(2024, 1, 7))) == [D(2024, 1, 7)]


def test_scalar_accepts_numpy_dates_refuses_datetimes_and_fractions(cal: WorkCalendar) -> None:
    assert cal.is_workday(np.datetime64("2023-07-01"))  # type: ignore[arg-type]  # worked Saturday
    assert cal.add_workdays(np.datetime64("2023-06-30"), 1) == D(2023, 7, 1)  # type: ignore[arg-type]
    assert cal.is_workday(D(2023, 7, 3))
    with pytest.raises(TypeError, match=r"pass value\.date\(\)"):
        cal.is_workday(dt.datetime(2023, 7, 3, 9, 0))
    with pytest.raises(TypeError):
        cal.is_workday("2023-07-03")  # type: ignore[arg-type]
    assert cal.add_workdays(D(2023, 6, 30), np.int64(1)) == D(2023, 7, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cal.add_workdays(D(2023, 6, 30), 1.5)  # type: ignore[arg-type]


def _walk(c: WorkCalendar, d: dt.date, n: int) -> dt.date | None:
    """The n-th working day after (n < 0: before) d, one day at a time; None when the walk
    leaves the covered range."""
    step = 1 if n > 0 else -1
    left = abs(n)
    while left:
        d += dt.timedelta(days=step)
        if not c.covers(d):
            return None
        left -= c.is_workday(d)
    return d


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(min_value=D(2020, 1, 1), max_value=D(2027, 12, 31)),
    n=st.integers(min_value=-40, max_value=40),
)
def test_array_equals_a_day_by_day_walk(day: dt.date, n: int) -> None:
    c = kazakhstan(today=TODAY)
    want = day if n == 0 else _walk(c, day, n)
    arr = np.array([day.isoformat()], dtype="datetime64[D]")
    for steps in (n, np.array([n])):
        if want is None:
            with pytest.raises(CalendarRangeError):
                c.add_workdays_array(arr, steps)
            with pytest.raises(CalendarRangeError):
                c.add_workdays(day, n)
        else:
            assert c.add_workdays_array(arr, steps).tolist() == [want]
            assert c.add_workdays(day, n) == want
