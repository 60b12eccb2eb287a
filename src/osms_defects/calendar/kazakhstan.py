"""Kazakhstan's working-day calendar (five-day week) from the ``holidays`` package plus the
corrections file ``data/calendar_kz.yaml``.

Sources of law:

* Закон РК «О праздниках в Республике Казахстан» от 13.12.2001 № 267-II — the holidays, and
  its article 5: when a holiday falls on a day off, the next working day is the day off, except
  Orthodox Christmas (7 January) and the first day of Kurban Ait, which never move;
* Трудовой кодекс РК, ст. 85: the Government (from 2024 the Ministry of Labour) moves days off
  each year to join them to holidays, making some Saturdays or Sundays working days.

The ``holidays`` package (>= 0.101) carries both: its KZ calendar lists the holidays with their
moved days off ("observed") and the transferred days off ("substituted"), and
``weekend_workdays`` gives the Saturdays and Sundays made working days.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import holidays

from .._yaml import load_model
from ..errors import DataFileError, Problem
from ..resources import data_path
from .data import CalendarFile, DayKind
from .workcalendar import DayNote, WorkCalendar

#: Law «О праздниках в Республике Казахстан», the base reference of the package's holidays.
LAW_ON_HOLIDAYS = "Закон РК «О праздниках в Республике Казахстан» от 13.12.2001 № 267-II"

#: The yearly transfer acts the package transcribes (its own docstring lists them), by year.
TRANSFER_ACTS: dict[int, str] = {
    2020: "постановление Правительства РК от 31.10.2019 (adilet P1900000820)",
    2021: "постановление Правительства РК от 28.12.2020 (adilet P2000000930)",
    2022: "постановление Правительства РК от 30.09.2022 (adilet P2200000796)",
    2023: "постановление Правительства РК от 18.04.2023 (adilet P2300000326)",
    2024: "приказ Министра труда и социальной защиты населения РК (adilet G24G0000109)",
    2025: "приказ Министра труда и социальной защиты населения РК (adilet G24G0000436)",
}


def _package_reference(name: str, year: int) -> str:
    version = getattr(holidays, "__version__", "?")
    if "substituted" in name or "Day off" in name:
        act = TRANSFER_ACTS.get(year, "акт о переносе дней отдыха")
        return f"{act}; holidays {version}"
    if "observed" in name:
        return f"{LAW_ON_HOLIDAYS}, ст. 5 (перенос выходного дня); holidays {version}"
    return f"{LAW_ON_HOLIDAYS}; holidays {version}"


def build_kazakhstan(files: list[Path]) -> WorkCalendar:
    """Build the calendar from the package and the given corrections files (in order; a later
    file overrides an earlier one date by date, and may move ``covered.last`` forward)."""
    models = [(str(p), load_model(CalendarFile, p)[0]) for p in files]
    covered = None
    for _file, model in models:
        if model.covered is not None:
            covered = model.covered
    if covered is None:
        name = models[0][0] if models else "calendar data"
        raise DataFileError(name, [Problem(name, "covered", "no covered range given")])
    first, last = covered.first, covered.last
    years = range(first.year, last.year + 1)

    pkg = holidays.country_holidays("KZ", years=years, language="en_US")
    estimated = holidays.country_holidays(
        "KZ", years=years, language="en_US", islamic_show_estimated=True
    )
    days_off: dict[dt.date, DayNote] = {}
    for d, name in sorted(pkg.items()):
        if first <= d <= last:
            days_off[d] = DayNote(d, False, name, _package_reference(name, d.year))
    working: dict[dt.date, DayNote] = {}
    for d in sorted(pkg.weekend_workdays):
        if first <= d <= last:
            working[d] = DayNote(
                d,
                True,
                "Working day (day off transferred)",
                _package_reference("substituted", d.year),
            )

    unconfirmed = {
        d for d, name in estimated.items() if first <= d <= last and "estimated" in name.lower()
    }
    problems: list[Problem] = []
    for file, model in models:
        for i, e in enumerate(model.days):
            where = f"days[{i}]"
            if not first <= e.date <= last:
                problems.append(
                    Problem(
                        file, where, f"date {e.date} is outside the covered range {first}..{last}"
                    )
                )
                continue
            note_text = f"{e.name} [{Path(file).name}]"
            if e.kind is DayKind.CONFIRM:
                if e.date not in unconfirmed:
                    problems.append(
                        Problem(
                            file,
                            where,
                            f"{e.date} is not an estimated holiday of the package "
                            f"(estimated: {sorted(x.isoformat() for x in unconfirmed)}); "
                            "use kind day_off or working_day",
                        )
                    )
                    continue
                unconfirmed.discard(e.date)
                days_off[e.date] = DayNote(e.date, False, e.name, e.reference)
            elif e.kind is DayKind.DAY_OFF:
                working.pop(e.date, None)
                unconfirmed.discard(e.date)
                days_off[e.date] = DayNote(e.date, False, note_text, e.reference)
            else:
                days_off.pop(e.date, None)
                unconfirmed.discard(e.date)
                if e.date.isoweekday() >= 6:
                    working[e.date] = DayNote(e.date, True, note_text, e.reference)
    for d in sorted(unconfirmed):
        problems.append(
            Problem(
                models[-1][0],
                "days",
                f"{d} ({pkg.get(d)}) is only an estimate of the holidays package; confirm it "
                "(kind: confirm) or give the official date (kind: day_off / working_day)",
            )
        )
    if problems:
        raise DataFileError(models[-1][0], problems)
    return WorkCalendar(
        first,
        last,
        days_off,
        working,
        name="Kazakhstan working-day calendar (five-day week)",
    )


@lru_cache(maxsize=8)
def _cached(files: tuple[Path, ...]) -> WorkCalendar:
    return build_kazakhstan(list(files))


def kazakhstan(extra_file: str | Path | None = None) -> WorkCalendar:
    """Kazakhstan's working-day calendar for the five-day week (cached).

    ``extra_file``: a YAML file in the format of ``data/calendar_kz.yaml`` with a fund's own
    additions (next year's transfer decree and a later ``covered.last``); it is applied after
    the shipped file.
    """
    files = [data_path("calendar_kz.yaml")]
    if extra_file is not None:
        files.append(Path(extra_file).resolve())
    return _cached(tuple(files))
