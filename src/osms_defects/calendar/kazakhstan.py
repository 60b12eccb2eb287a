"""Kazakhstan's working-day calendar (five-day week) from the ``holidays`` package plus the
calendar data file ``data/calendar_kz.yaml`` (and a fund's own file for a new year).

Sources of law:

* Закон РК «О праздниках в Республике Казахстан» от 13.12.2001 № 267-II — the holidays, and
  its article 5: when a holiday falls on a day off, the next working day is the day off, except
  Orthodox Christmas (7 January) and the first day of Kurban Ait, which never move;
* Трудовой кодекс РК, ст. 85: the Government (from 2024 the Ministry of Labour) moves days off
  each year to join them to holidays, making some Saturdays or Sundays working days.

The ``holidays`` package (>= 0.101) carries both for the years it knows: its KZ calendar lists
the holidays with their moved days off ("observed") and the transferred days off
("substituted"), and ``weekend_workdays`` gives the Saturdays and Sundays made working days.

Coverage is data (docs/calendar.md, "Coverage"): the years of ``covered`` are *final* (their
transfer act is named in ``transfer_acts``); the years after them, up to ``provisional``'s
horizon, are computed from the package and marked *provisional*; before ``covered.first`` and
after the horizon a date is refused.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from pathlib import Path

import holidays

from .._yaml import line_of, load_model
from ..errors import DataFileError, Problem
from ..resources import data_path
from .data import (
    CalendarFile,
    CoveredRange,
    DayEntry,
    DayKind,
    HolidayNames,
    Provisional,
    TransferAct,
)
from .workcalendar import DayNote, ProvisionalYear, WorkCalendar

#: The environment variable naming a fund's extra calendar file, read by every command and by
#: ``kazakhstan()`` when no ``extra_file`` is given.
CALENDAR_ENV = "OSMS_DEFECTS_CALENDAR"

#: Law «О праздниках в Республике Казахстан», the base reference of the package's holidays.
LAW_ON_HOLIDAYS = "Закон РК «О праздниках в Республике Казахстан» от 13.12.2001 № 267-II"

_SUFFIX = re.compile(r"^(?P<base>.*) \((?P<what>observed|estimated)\)$")
_SUBSTITUTED = re.compile(r"^Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)$")


def _package_reference(name: str, year: int, acts: dict[int, str]) -> str:
    version = getattr(holidays, "__version__", "?")
    if "substituted" in name:
        act = acts.get(year, "акт о переносе дней отдыха")
        return f"{act}; holidays {version}"
    if "observed" in name:
        return f"{LAW_ON_HOLIDAYS}, ст. 5 (перенос выходного дня); holidays {version}"
    return f"{LAW_ON_HOLIDAYS}; holidays {version}"


def russian_name(english: str, kazakh: str, names: HolidayNames) -> str:
    """The Russian name of a package holiday from its English name (the package has no
    Russian); a holiday the table does not know keeps its Kazakh name."""
    sub = _SUBSTITUTED.match(english)
    if sub:
        month, day, year = sub.groups()
        return names.substituted_ru.format(date=f"{day}.{month}.{year}")
    m = _SUFFIX.match(english)
    if m:
        base = russian_name(m["base"], kazakh, names)
        pattern = names.observed_ru if m["what"] == "observed" else names.estimated_ru
        return pattern.format(name=base)
    return names.ru.get(english, kazakh)


class _Merged:
    """The shipped file and a fund's files merged in order: a later file overrides an earlier
    one date by date, year by year, and may move ``covered.last`` forward."""

    def __init__(self, files: list[Path]) -> None:
        loaded = [(str(p), load_model(CalendarFile, p)) for p in files]
        self.models = [(f, m) for f, (m, _lines) in loaded]
        self.line_maps = {f: lines for f, (_m, lines) in loaded}
        self.file = self.models[-1][0]
        covered: CoveredRange | None = None
        provisional: Provisional | None = None
        names: HolidayNames | None = None
        self.acts: dict[int, TransferAct] = {}
        for _file, model in self.models:
            covered = model.covered or covered
            provisional = model.provisional or provisional
            names = model.holiday_names or names
            self.acts.update({a.year: a for a in model.transfer_acts})
        problems: list[Problem] = []
        if covered is None:
            problems.append(Problem(self.file, "covered", "no covered range given"))
        if names is None:
            problems.append(Problem(self.file, "holiday_names", "no holiday names given"))
        if covered is not None:
            if covered.last != dt.date(covered.last.year, 12, 31):
                problems.append(
                    Problem(
                        self.file,
                        "covered.last",
                        f"{covered.last} is not the 31 December of its year: a year becomes "
                        "final with its whole transfer act",
                    )
                )
            missing = [
                y for y in range(covered.first.year, covered.last.year + 1) if y not in self.acts
            ]
            if missing:
                problems.append(
                    Problem(
                        self.file,
                        "transfer_acts",
                        f"the final years {missing} name no act on the transfer of days off; "
                        "add `transfer_acts: [{year: …, reference: …}]` (or state that the year "
                        "has none, citing the source)",
                    )
                )
        if problems:
            raise DataFileError(self.file, problems)
        assert covered is not None and names is not None
        self.covered = covered
        self.provisional = provisional
        self.names = names


def build_kazakhstan(
    files: list[Path], *, today: dt.date | None = None, strict: bool = False
) -> WorkCalendar:
    """Build the calendar from the package and the given data files (in order).

    ``today`` fixes the provisional horizon (default: today's date); ``strict=True`` leaves
    the provisional years out (a date in them is refused)."""
    merged = _Merged(files)
    first, final_last = merged.covered.first, merged.covered.last
    horizon = final_last.year
    if merged.provisional is not None and not strict:
        this_year = (today or dt.date.today()).year
        horizon = max(final_last.year, this_year) + merged.provisional.years_ahead
    days = _PackageDays(merged, first, dt.date(horizon, 12, 31))
    days.apply_files()
    return WorkCalendar(
        first,
        days.last,
        days.off,
        days.working,
        name="Kazakhstan working-day calendar (five-day week)",
        provisional=_provisional_years(merged.provisional, final_last.year + 1, horizon),
    )


class _PackageDays:
    """The package's days off and working weekend days of ``first .. last``, named in three
    languages, then corrected by the data files (``apply_files``)."""

    def __init__(self, merged: _Merged, first: dt.date, last: dt.date) -> None:
        self.merged, self.first, self.last = merged, first, last
        names = merged.names
        years = range(first.year, last.year + 1)
        acts = {y: a.reference for y, a in merged.acts.items()}
        # islamic_show_estimated (the default) labels Kurban Ait dates the package only guesses
        self.pkg = holidays.country_holidays(
            "KZ", years=years, language="en_US", islamic_show_estimated=True
        )
        kk = holidays.country_holidays("KZ", years=years, language="kk", islamic_show_estimated=True)
        inside = [(d, n) for d, n in sorted(self.pkg.items()) if first <= d <= last]
        self.off: dict[dt.date, DayNote] = {
            d: DayNote(
                d, False, name, _package_reference(name, d.year, acts),
                russian_name(name, kk.get(d, name), names), kk.get(d, ""),
            )
            for d, name in inside
        }  # fmt: skip
        self.working: dict[dt.date, DayNote] = {
            d: DayNote(
                d, True, names.working_en, _package_reference("substituted", d.year, acts),
                names.working_ru, names.working_kk,
            )
            for d in sorted(self.pkg.weekend_workdays)
            if first <= d <= last
        }  # fmt: skip
        # an estimated (lunar) date is an error in a final year, never a silent guess; in a
        # provisional year it stays, marked like the whole year
        final_last = merged.covered.last
        self.unconfirmed = {d for d, n in inside if d <= final_last and "estimated" in n.lower()}
        self.problems: list[Problem] = []

    def apply_files(self) -> None:
        """Each entry of each file in order (a later one overrides an earlier one); raises
        DataFileError with every problem located by file and line."""
        for file, model in self.merged.models:
            for i, e in enumerate(model.days):
                line = line_of(self.merged.line_maps[file], ("days", i))
                self._apply(e, file, f"{file}:{line}" if line is not None else file, f"days[{i}]")
        for d in sorted(self.unconfirmed):
            self.problems.append(
                Problem(
                    self.merged.file,
                    "days",
                    f"{d} ({self.pkg.get(d)}) is only an estimate of the holidays package; "
                    "confirm it (kind: confirm) or give the official date (kind: day_off / "
                    "working_day)",
                )
            )
        if self.problems:
            raise DataFileError(self.merged.file, self.problems)

    def _apply(self, e: DayEntry, file: str, file_at: str, where: str) -> None:
        if not self.first <= e.date <= self.last:
            self.problems.append(
                Problem(
                    file_at,
                    where,
                    f"date {e.date} is outside the covered range {self.first}..{self.last}",
                )
            )
            return
        self.unconfirmed.discard(e.date)
        if e.kind is DayKind.CONFIRM:
            if e.date not in self.pkg:
                estimated = sorted(d.isoformat() for d, n in self.pkg.items() if "estimated" in n)
                self.problems.append(
                    Problem(
                        file_at,
                        where,
                        f"{e.date} is not a holiday of the package (its estimated dates: "
                        f"{estimated}); use kind day_off or working_day",
                    )
                )
                return
            self.off[e.date] = DayNote(
                e.date, False, e.name, e.reference, e.name_ru or "", e.name_kk or ""
            )
            return
        note = DayNote(
            e.date, e.kind is DayKind.WORKING_DAY, f"{e.name} [{Path(file).name}]",
            e.reference, e.name_ru or "", e.name_kk or "",
        )  # fmt: skip
        if e.kind is DayKind.DAY_OFF:
            self.working.pop(e.date, None)
            self.off[e.date] = note
        else:
            self.off.pop(e.date, None)
            if e.date.isoweekday() >= 6:
                self.working[e.date] = note


def _provisional_years(
    provisional: Provisional | None, first_year: int, last_year: int
) -> tuple[ProvisionalYear, ...]:
    """The years computed without their transfer act, each with the note naming it."""
    if provisional is None:
        return ()
    return tuple(
        ProvisionalYear(
            y, provisional.note_ru.format(year=y), provisional.note_en.format(year=y),
            provisional.reference,
        )
        for y in range(first_year, last_year + 1)
    )  # fmt: skip


@lru_cache(maxsize=8)
def _cached(files: tuple[Path, ...], year: int, strict: bool) -> WorkCalendar:
    return build_kazakhstan(list(files), today=dt.date(year, 1, 1), strict=strict)


def calendar_files(extra_file: str | Path | None = None) -> list[Path]:
    """The data files of the calendar: the shipped one, then ``extra_file`` or, when it is
    None, the file named by the environment variable ``OSMS_DEFECTS_CALENDAR`` (if set)."""
    files = [data_path("calendar_kz.yaml")]
    if extra_file is None:
        extra_file = os.environ.get(CALENDAR_ENV) or None
    if extra_file is not None:
        path = Path(extra_file)
        if not path.is_file():
            raise DataFileError(
                str(extra_file),
                [Problem(str(extra_file), "calendar file", "no such file (a calendar YAML file)")],
            )
        files.append(path.resolve())
    return files


def kazakhstan(
    extra_file: str | Path | None = None,
    *,
    strict_calendar: bool = False,
    today: dt.date | None = None,
) -> WorkCalendar:
    """Kazakhstan's working-day calendar for the five-day week (cached).

    ``extra_file``: a YAML file in the format of ``data/calendar_kz.yaml`` with a fund's own
    additions (next year's transfer act, ``covered.last`` moved to that year's end); applied
    after the shipped file. When None, the file named by ``OSMS_DEFECTS_CALENDAR`` is used.

    ``strict_calendar=True``: the years whose transfer act is not in the data are refused
    (``CalendarRangeError``) instead of being computed and marked provisional.
    ``today``: the date the provisional horizon is counted from (default: today).
    """
    files = tuple(calendar_files(extra_file))
    return _cached(files, (today or dt.date.today()).year, strict_calendar)
