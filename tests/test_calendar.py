"""Kazakhstan working-day calendar: hand-checked days 2020–2026 and yearly counts.

Every expected value below was worked out by hand from the Law «О праздниках в Республике
Казахстан» (ст. 5: a holiday on a Saturday or Sunday moves the day off to the next working
day, except Orthodox Christmas and the first day of Kurban Ait), the yearly transfer acts and
the public announcements cited beside each case — never from the code's output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from osms_defects.calendar import CalendarRangeError, WorkCalendar, kazakhstan
from osms_defects.errors import DataFileError, OsmsDefectsError

D = dt.date


#: the provisional horizon counts from "today": fixed here, so the tests do not age
TODAY = D(2026, 12, 7)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return kazakhstan(today=TODAY)


def test_contract_basics(cal: WorkCalendar) -> None:
    assert cal.first == D(2020, 1, 1)
    # final through 2026 (the transfer acts in data/calendar_kz.yaml); 2027 provisional
    assert cal.final_last == D(2026, 12, 31)
    assert cal.last == D(2028, 12, 31)  # two years after 2026 (provisional.years_ahead)
    assert [p.year for p in cal.provisional_years] == [2027, 2028]
    assert kazakhstan(today=TODAY) is cal  # cached
    assert kazakhstan(today=TODAY, strict_calendar=True).last == D(2026, 12, 31)
    assert issubclass(CalendarRangeError, OsmsDefectsError)


# --- working Saturdays and Sundays (перенос выходного дня) ---------------------------------


def test_working_saturday_2023_07_01(cal: WorkCalendar) -> None:
    # Постановление Правительства РК 2023 (P2300000326): «день отдыха с субботы, 1 июля,
    # переносится на пятницу, 7 июля» (https://forbes.kz/news/newsid_300087/amp).
    assert cal.is_workday(D(2023, 7, 1))
    assert not cal.is_workday(D(2023, 7, 7))
    assert cal.add_workdays(D(2023, 6, 30), 1) == D(2023, 7, 1)
    # Thu 6 July (Capital Day) and Fri 7 July off: after Wed 5 July comes Mon 10 July
    assert cal.add_workdays(D(2023, 7, 5), 1) == D(2023, 7, 10)
    # 26–30 June less Wed 28 June (Kurban Ait) = 4, + Sat 1 July, + Mon–Wed 3–5 July = 8
    assert cal.count_workdays(D(2023, 6, 26), D(2023, 7, 9)) == 8


def test_working_sunday_and_moved_monday_2020(cal: WorkCalendar) -> None:
    # Постановление 2020 (P1900000820): «с воскресенья 5 января 2020 года на пятницу 3 января,
    # с понедельника 11 мая на пятницу 8 мая, с воскресенья 20 декабря на пятницу 18 декабря»
    # (https://kyzylorda-news.kz/ru/obshestvo/kak-kazahstanczy-otdohnut-v-2020-godu-kalendar-31660/)
    assert cal.is_workday(D(2020, 1, 5))
    assert not cal.is_workday(D(2020, 1, 3))
    assert cal.is_workday(D(2020, 5, 11))  # Monday after Victory Day (Sat 9 May) works
    assert not cal.is_workday(D(2020, 5, 8))
    assert cal.is_workday(D(2020, 12, 20))
    assert cal.add_workdays(D(2020, 1, 2), 1) == D(2020, 1, 5)
    note = cal.note(D(2020, 1, 5))
    assert note is not None and note.working and "P1900000820" in note.reference


def test_working_sunday_2025_01_05(cal: WorkCalendar) -> None:
    # Приказ МТСЗН 2025: «выходной день с воскресенья, 5 января, перенесут на пятницу, 3 января»
    # (https://informburodata.com/novosti/v-novyi-god-kazaxstancy-otdoxnut-cetyre-dnya-podryad)
    assert cal.is_workday(D(2025, 1, 5))
    assert not cal.is_workday(D(2025, 1, 3))
    assert list(cal.workdays(D(2025, 1, 1), D(2025, 1, 10))) == [
        D(2025, 1, 5),
        D(2025, 1, 6),
        D(2025, 1, 8),  # 7 January: Orthodox Christmas
        D(2025, 1, 9),
        D(2025, 1, 10),
    ]


# --- holidays moved off the weekend; those that never move --------------------------------


def test_moved_holidays(cal: WorkCalendar) -> None:
    # 2021: Наурыз 21 March is a Sunday → the day off moves to Wed 24 March (nur.kz 2021).
    assert not cal.is_workday(D(2021, 3, 24))
    assert cal.is_workday(D(2021, 3, 25))
    # 2023: 1 January is a Sunday → Tue 3 January off (astanatv.kz/ru/news/74678).
    assert not cal.is_workday(D(2023, 1, 3))
    assert cal.is_workday(D(2023, 1, 4))
    # 2025: Constitution Day 30 August is a Saturday → Mon 1 September off.
    assert not cal.is_workday(D(2025, 9, 1))
    # 2020: Наурыз 21–22 March on the weekend → 24 and 25 March off (yujanka.kz/51865-2/).
    assert not cal.is_workday(D(2020, 3, 25))
    assert cal.add_workdays(D(2020, 3, 20), 1) == D(2020, 3, 26)


def test_christmas_on_saturday_does_not_move(cal: WorkCalendar) -> None:
    # 7 January 2023 is a Saturday; «переноса выходного дня не будет» (astanatv.kz/ru/news/74678)
    assert cal.is_workday(D(2023, 1, 9))


def test_kurban_ait_on_sunday_has_no_replacement_2024(cal: WorkCalendar) -> None:
    # ДУМК set Kurban Ait 2024 on Sunday 16 June; МТСЗН: «дополнительного выходного дня в связи
    # с празднованием Курбан айта 17 июня 2024 года не будет … переносу подлежат только
    # праздничные дни» (https://alau.kz/otmena-vyhodnogo-dnja-na-kurban-ajt-v-mintruda-sdelali-zajavlenie)
    assert cal.is_workday(D(2024, 6, 17))
    assert cal.count_workdays(D(2024, 6, 1), D(2024, 6, 30)) == 20
    # 2022: Kurban Ait on Saturday 9 July, Monday 11 July is a working day.
    assert cal.is_workday(D(2022, 7, 11))


def test_year_boundary(cal: WorkCalendar) -> None:
    # 2026: 1–2 January holidays (Thu, Fri), 3–4 weekend, no transfer (inform.kz, 28.11.2025)
    assert cal.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 5)
    assert cal.add_workdays(D(2026, 1, 5), -1) == D(2025, 12, 31)
    assert cal.count_workdays(D(2025, 12, 30), D(2026, 1, 6)) == 4  # 30, 31 Dec; 5, 6 Jan
    # 2024: 1–2 January Mon–Tue holidays; 30–31 Dec 2023 weekend
    assert cal.add_workdays(D(2023, 12, 29), 1) == D(2024, 1, 3)


def test_30_august_not_a_holiday_from_2026(cal: WorkCalendar) -> None:
    # МТСЗН, 18.03.2026: «с этого года 30 августа больше не считается Днем Конституции, а
    # значит не является праздничным выходным» (https://taspanews.kz/novosti-kazakhstana/
    # v-etom-godu-u-kazakhstantsev-ne-budet-odnogo-vykhodnogo-795514517615). 30 Aug 2026 is a
    # Sunday: before the change Mon 31 August would have been the day off.
    assert cal.is_workday(D(2026, 8, 31))
    assert cal.note(D(2026, 8, 30)) is None
    assert not cal.is_workday(D(2024, 8, 30))  # still a holiday before 2026


def test_kurban_ait_2026(cal: WorkCalendar) -> None:
    # ДУМК calendar for 2026: first day of Kurban Ait on 27 May (zakon.kz, 06.11.2025)
    assert not cal.is_workday(D(2026, 5, 27))


# --- yearly counts against the official production calendars (five-day week) -------------

# Hand-written lists of the weekdays off and the weekend days worked, from the law and acts
# above; the test checks the calendar has exactly these, and the count against the published
# figure where one was found.
OFF_WEEKDAYS = {
    2020: "01-01 01-02 01-03 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-08 07-06 07-31 08-31 "
    "12-01 12-16 12-17 12-18",
    2021: "01-01 01-04 01-07 03-08 03-22 03-23 03-24 05-03 05-07 05-10 07-05 07-06 07-20 08-30 "
    "12-01 12-16 12-17",
    2022: "01-03 01-04 01-07 03-07 03-08 03-21 03-22 03-23 05-02 05-09 05-10 07-06 08-29 08-30 "
    "10-24 10-25 12-16",
    2023: "01-02 01-03 03-08 03-21 03-22 03-23 05-01 05-08 05-09 06-28 07-06 07-07 08-30 10-25 "
    "12-18",
    2024: "01-01 01-02 03-08 03-21 03-22 03-25 05-01 05-07 05-08 05-09 07-08 08-30 10-25 12-16",
    2025: "01-01 01-02 01-03 01-07 03-10 03-21 03-24 03-25 05-01 05-07 05-09 06-06 07-07 09-01 "
    "10-27 12-16",
    2026: "01-01 01-02 01-07 03-09 03-23 03-24 03-25 05-01 05-07 05-11 05-27 07-06 10-26 12-16",
}
WORKED_WEEKENDS = {
    2020: "01-05 12-20",
    2021: "07-03",
    2022: "03-05 08-27 10-22",
    2023: "07-01",
    2024: "05-04",
    2025: "01-05",
    2026: "",
}

# Published yearly figures (five-day week):
# 2020: 120 days of rest in 366 → 246 (https://yujanka.kz/51865-2/, Sputnik).
# 2021: 120 days of rest in 365 → 245 (https://nur.kz/society/1888162-skolko-dnej-kazahstancy-otdohnut-v-2021-godu).
# 2022: published 245 (https://ada-adv.kz/rus/news?cid=0&rid=1574, Dec 2021) — before the law of
#       28.09.2022 restored Republic Day (25 Oct, with Sat 22 Oct → Mon 24 Oct) and removed
#       1 December and 17 December: 245 - 2 (24, 25 Oct) + 1 (22 Oct) + 1 (1 Dec) + 1 (Mon
#       19 Dec, for Sat 17 Dec) = 246. The revised figure itself was not found in a source.
# 2023: no published yearly figure found; hand count (260 weekdays - 15 + 1 = 246), and the
#       published monthly figures below (January 20, July 20) agree.
# 2024: published 248 in the МТСЗН balance of working time (https://help.inbuh.kz/6801/), made
#       with Kurban Ait on Monday 17 June; ДУМК moved it to Sunday 16 June and МТСЗН said 17 June
#       is a working day (alau.kz, above) → 249.
# 2025: 119 days of rest in 365 → 246 (https://rus.azattyq-ruhy.kz/index.php/society/77649-
#       prazdniki-i-vykhodnye-kak-kazakhstantsy-otdokhnut-v-2025-godu), = the hand count 261 - 16 + 1.
# 2026: the МТСЗН calendar of Dec 2025 gave 246 working days and 119 days of rest
#       (https://alau.kz/kalendar-2026-dlinnye-vyhodnye-perenosy-i-idealnye-dni-dlja-otpuska/,
#       from tengrinews.kz), with 30 August still a holiday moved to Monday 31 August
#       (https://news.mail.ru/society/69046544/); 30 August is no longer a holiday from 2026,
#       so 31 August is a working day: 246 + 1 = 247 (= the hand count 261 - 14).
PUBLISHED = {2020: 246, 2021: 245, 2022: 246, 2023: 246, 2024: 249, 2025: 246, 2026: 247}


# Published monthly figures (five-day week), each from a source other than the yearly ones.
PUBLISHED_MONTHS = {
    # «В календаре первого месяца 2023 года всего 11 красных дней» (https://astanatv.kz/ru/news/74678)
    (2023, 1): 31 - 11,
    # «в июле казахстанцы будут работать 20 дней, а отдыхать — 11» (Sat 1 July worked, Fri 7 July
    # off; https://otyrar.kz/2023/06/kazahstantsev-zhdut-dlinnye-vyhodnye-v-iyule/)
    (2023, 7): 20,
    # «Итого за январь: 12 выходных, 19 рабочих дней» (https://alau.kz/novyj-god-2026-utverzhdjon-
    # oficialnyj-kalendar-vyhodnyh/)
    (2026, 1): 19,
}


@pytest.mark.parametrize(("year", "month"), sorted(PUBLISHED_MONTHS))
def test_month_matches_published_figure(cal: WorkCalendar, year: int, month: int) -> None:
    first = D(year, month, 1)
    last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    assert cal.count_workdays(first, last) == PUBLISHED_MONTHS[(year, month)]


def _dates(year: int, text: str) -> set[dt.date]:
    return {D.fromisoformat(f"{year}-{md}") for md in text.split()}


@pytest.mark.parametrize("year", range(2020, 2027))
def test_year_matches_hand_list(cal: WorkCalendar, year: int) -> None:
    first, last = D(year, 1, 1), D(year, 12, 31)
    off = {d for d in cal.days_off(first, last) if d.isoweekday() <= 5}
    worked = {d for d in cal.workdays(first, last) if d.isoweekday() >= 6}
    assert off == _dates(year, OFF_WEEKDAYS[year])
    assert worked == _dates(year, WORKED_WEEKENDS[year])
    weekdays = sum(
        1 for i in range((last - first).days + 1) if (first + dt.timedelta(i)).isoweekday() <= 5
    )
    expected = weekdays - len(off) + len(worked)
    assert cal.count_workdays(first, last) == expected == PUBLISHED[year]


# --- range and errors ----------------------------------------------------------------------


def test_outside_range_is_an_error(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarRangeError, match="2019-12-31"):
        cal.is_workday(D(2019, 12, 31))
    strict = cal.strict()  # the strict calendar refuses the provisional year
    with pytest.raises(CalendarRangeError, match="2027-01-01"):
        strict.add_workdays(D(2027, 1, 1), 1)
    with pytest.raises(CalendarRangeError, match="outside the covered range"):
        strict.add_workdays(D(2026, 12, 31), 1)
    with pytest.raises(CalendarRangeError, match="2029-01-03"):
        cal.is_workday(D(2029, 1, 3))  # after the provisional horizon
    with pytest.raises(CalendarRangeError):
        cal.add_workdays(D(2020, 1, 3), -1)  # the last working day of 2019 is not covered
    with pytest.raises(CalendarRangeError):
        cal.add_workdays_array(np.array(["2026-06-01", "2030-01-01"], dtype="datetime64[D]"), 1)


def test_count_and_iteration_edges(cal: WorkCalendar) -> None:
    assert cal.count_workdays(D(2024, 1, 10), D(2024, 1, 9)) == 0
    assert cal.count_workdays(D(2024, 1, 6), D(2024, 1, 7)) == 0  # a weekend
    assert cal.count_workdays(D(2024, 1, 8), D(2024, 1, 8)) == 1
    assert list(cal.workdays(D(2024, 1, 10), D(2024, 1, 9))) == []
    assert cal.add_workdays(D(2024, 1, 6), 0) == D(2024, 1, 6)
    assert cal.roll_forward(D(2024, 1, 6)) == D(2024, 1, 8)
    assert cal.roll_forward(D(2024, 1, 8)) == D(2024, 1, 8)
    assert cal.next_workday(D(2024, 1, 8)) == D(2024, 1, 9)
    assert cal.previous_workday(D(2024, 1, 8)) == D(2024, 1, 5)


def test_arrays_and_polars(cal: WorkCalendar) -> None:
    dates = np.array(["2023-06-30", "2025-12-31", "2024-06-14"], dtype="datetime64[D]")
    out = cal.add_workdays_array(dates, 1)
    assert out.tolist() == [D(2023, 7, 1), D(2026, 1, 5), D(2024, 6, 17)]
    out2 = cal.add_workdays_array(dates, np.array([0, -1, 2]))
    assert out2.tolist() == [D(2023, 6, 30), D(2025, 12, 30), D(2024, 6, 18)]
    counts = cal.count_workdays_array(dates, dates + np.timedelta64(10, "D"))
    assert counts.dtype == np.int64
    assert counts.tolist() == [cal.count_workdays(d, d + dt.timedelta(10)) for d in dates.tolist()]
    s = pl.Series("d", [D(2023, 6, 30), None, D(2025, 12, 31)])
    r = cal.add_workdays_series(s, 1)
    assert r.dtype == pl.Date
    assert r.to_list() == [D(2023, 7, 1), None, D(2026, 1, 5)]
    c = cal.count_workdays_series(s, pl.Series([D(2023, 7, 3), D(2023, 7, 3), None]))
    assert c.to_list() == [3, None, None]  # Fri 30 Jun, Sat 1 Jul (worked), Mon 3 Jul
    assert cal.is_workday_series(s).to_list() == [True, None, True]


# --- the data file and a fund's extra file -------------------------------------------------


def test_extra_file_extends_the_range(tmp_path: Path) -> None:
    extra = tmp_path / "kz2027.yaml"
    extra.write_text(
        "covered:\n"
        "  first: '2020-01-01'\n"
        "  last: '2027-12-31'\n"
        "  reference: test decree for 2027\n"
        "transfer_acts:\n"
        "  - {year: 2027, reference: test decree for 2027}\n"
        "days:\n"
        "  - date: '2027-05-17'\n"
        "    kind: day_off\n"
        "    name: Kurban Ait (official date, test)\n"
        "    reference: test\n"
        "  - date: '2027-05-16'\n"
        "    kind: working_day\n"
        "    name: not Kurban Ait (test)\n"
        "    reference: test\n"
        "  - date: '2027-07-03'\n"
        "    kind: working_day\n"
        "    name: a working Saturday (test)\n"
        "    reference: test\n",
        encoding="utf-8",
    )
    c = kazakhstan(extra_file=extra, today=TODAY)
    assert c.final_last == D(2027, 12, 31)  # 2027 is final now; the next year provisional
    assert [p.year for p in c.provisional_years] == [2028, 2029] and c.last == D(2029, 12, 31)
    assert not c.is_provisional(D(2027, 7, 3)) and c.is_provisional(D(2028, 1, 3))
    assert not c.is_workday(D(2027, 5, 17))
    assert c.is_workday(D(2027, 7, 3))
    assert c.note(D(2027, 7, 3)) is not None
    assert kazakhstan(today=TODAY).final_last == D(2026, 12, 31)  # the shipped one untouched


def test_estimated_holiday_must_be_confirmed(tmp_path: Path) -> None:
    extra = tmp_path / "kz2027.yaml"
    extra.write_text(
        "covered: {first: '2020-01-01', last: '2027-12-31', reference: test}\n"
        "transfer_acts: [{year: 2027, reference: test}]\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"2027-05-16.*estimate"):
        kazakhstan(extra_file=extra, today=TODAY)
    # a final year must name its transfer act
    extra.write_text(
        "covered: {first: '2020-01-01', last: '2027-12-31', reference: test}\n", encoding="utf-8"
    )
    with pytest.raises(DataFileError, match=r"final years \[2027\] name no act"):
        kazakhstan(extra_file=extra, today=TODAY)


def test_bad_data_file_lists_problems(tmp_path: Path) -> None:
    extra = tmp_path / "bad.yaml"
    extra.write_text(
        "days:\n  - date: '2026-13-01'\n    kind: holiday\n    name: x\n    reference: y\n"
        "    comment: z\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as exc:
        kazakhstan(extra_file=extra)
    text = str(exc.value)
    assert "bad.yaml:2" in text and "kind" in text and "unknown key 'comment'" in text


def test_workcalendar_from_plain_data() -> None:
    c = WorkCalendar(
        D(2024, 1, 1), D(2024, 1, 31), {D(2024, 1, 2): "x"}, {D(2024, 1, 6): "y"}, name="test"
    )
    assert c.count_workdays(D(2024, 1, 1), D(2024, 1, 7)) == 5  # Mon, Wed–Fri, Sat
    with pytest.raises(ValueError, match="not on the weekend"):
        WorkCalendar(D(2024, 1, 1), D(2024, 1, 31), (), {D(2024, 1, 2): "x"})


def test_problem_in_extra_file_is_located_by_line(tmp_path: Path) -> None:
    extra = tmp_path / "kz.yaml"
    extra.write_text(
        "days:\n"
        "  - date: '2026-06-01'\n"
        "    kind: confirm\n"
        "    name: not an estimated day\n"
        "    reference: test\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r"kz\.yaml:2 \(days\[0\]\).*not a holiday of the package"):
        kazakhstan(extra_file=extra, today=TODAY)


def test_zero_steps_on_the_last_days_of_the_range() -> None:
    c = WorkCalendar(D(2024, 1, 1), D(2024, 1, 7), (), ())  # Mon..Sun, range ends on a weekend
    dates = np.array(["2024-01-06", "2024-01-05"], dtype="datetime64[D]")
    assert c.add_workdays_array(dates, np.array([0, -1])).tolist() == [D(2024, 1, 6), D(2024, 1, 4)]
    with pytest.raises(CalendarRangeError):
        c.add_workdays(D(2024, 1, 6), 1)
