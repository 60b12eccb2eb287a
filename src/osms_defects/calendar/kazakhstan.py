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
from .data import CalendarFile, CoveredRange, DayKind, HolidayNames, Provisional, TransferAct
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
    covered, names = merged.covered, merged.names
    first, final_last = covered.first, covered.last
    horizon = final_last.year
    if merged.provisional is not None and not strict:
        this_year = (today or dt.date.today()).year
        horizon = max(final_last.year, this_year) + merged.provisional.years_ahead
    last = dt.date(horizon, 12, 31)
    years = range(first.year, horizon + 1)
    acts = {y: a.reference for y, a in merged.acts.items()}

    # islamic_show_estimated (the default) labels Kurban Ait dates the package only guesses
    pkg = holidays.country_holidays("KZ", years=years, language="en_US", islamic_show_estimated=True)
    kk = holidays.country_holidays("KZ", years=years, language="kk", islamic_show_estimated=True)
    days_off: dict[dt.date, DayNote] = {}
    for d, name in sorted(pkg.items()):
        if first <= d <= last:
            days_off[d] = DayNote(
                d,
                False,
                name,
                _package_reference(name, d.year, acts),
                russian_name(name, kk.get(d, name), names),
                kk.get(d, ""),
            )
    working: dict[dt.date, DayNote] = {}
    for d in sorted(pkg.weekend_workdays):
        if first <= d <= last:
            working[d] = DayNote(
                d,
                True,
                names.working_en,
                _package_reference("substituted", d.year, acts),
                names.working_ru,
                names.working_kk,
            )

    # an estimated (lunar) date is an error in a final year, never a silent guess; in a
    # provisional year it stays, marked like the whole year
    unconfirmed = {
        d for d, name in pkg.items() if first <= d <= final_last and "estimated" in name.lower()
    }
    problems: list[Problem] = []
    for file, model in merged.models:
        for i, e in enumerate(model.days):
            where = f"days[{i}]"
            line = line_of(merged.line_maps[file], ("days", i))
            file_at = f"{file}:{line}" if line is not None else file
            if not first <= e.date <= last:
                problems.append(
                    Problem(
                        file_at, where, f"date {e.date} is outside the covered range {first}..{last}"
                    )
                )
                continue
            note = DayNote(
                e.date,
                e.kind is DayKind.WORKING_DAY,
                f"{e.name} [{Path(file).name}]",
                e.reference,
                e.name_ru or "",
                e.name_kk or "",
            )
            unconfirmed.discard(e.date)
            if e.kind is DayKind.CONFIRM:
                if e.date not in pkg:
                    problems.append(
                        Problem(
                            file_at,
                            where,
                            f"{e.date} is not a holiday of the package (its estimated dates: "
                            f"{sorted(d.isoformat() for d, n in pkg.items() if 'estimated' in n)}"
                            "); use kind day_off or working_day",
                        )
                    )
                    continue
                days_off[e.date] = DayNote(
                    e.date, False, e.name, e.reference, e.name_ru or "", e.name_kk or ""
                )
            elif e.kind is DayKind.DAY_OFF:
                working.pop(e.date, None)
                days_off[e.date] = note
            else:
                days_off.pop(e.date, None)
                if e.date.isoweekday() >= 6:
                    working[e.date] = note
    for d in sorted(unconfirmed):
        problems.append(
            Problem(
                merged.file,
                "days",
                f"{d} ({pkg.get(d)}) is only an estimate of the holidays package; confirm it "
                "(kind: confirm) or give the official date (kind: day_off / working_day)",
            )
        )
    if problems:
        raise DataFileError(merged.file, problems)
    provisional = merged.provisional
    pending = (
        ()
        if provisional is None
        else tuple(
            ProvisionalYear(
                y,
                provisional.note_ru.format(year=y),
                provisional.note_en.format(year=y),
                provisional.reference,
            )
            for y in range(final_last.year + 1, horizon + 1)
        )
    )
    return WorkCalendar(
        first,
        last,
        days_off,
        working,
        name="Kazakhstan working-day calendar (five-day week)",
        provisional=pending,
    )


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
