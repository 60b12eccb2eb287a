"""The calendar data file (``data/calendar_kz.yaml``): what the ``holidays`` package does not
know (the yearly transfer acts it has not transcribed, official dates of lunar holidays), the
years the data declares final, and the Russian names of the holidays — each with its legal
source."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DayKind(StrEnum):
    DAY_OFF = "day_off"  # not a working day (holiday, transferred day off)
    WORKING_DAY = "working_day"  # a working day (a weekend day made working, or a correction)
    CONFIRM = "confirm"  # confirms a date the package only estimates (Kurban Ait)


class CoveredRange(BaseModel):
    """The final coverage: the days whose holidays *and* transfer acts are in the data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first: dt.date
    last: dt.date
    reference: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> CoveredRange:
        if self.first > self.last:
            raise ValueError(f"first {self.first} is after last {self.last}")
        return self


class TransferAct(BaseModel):
    """The act on the transfer of days off (о переносе дней отдыха) of one year, or the
    statement that the year has none; every final year names one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=1990, le=2200)
    reference: str = Field(min_length=1)


class Provisional(BaseModel):
    """Years after the final coverage that are computed anyway, marked provisional.

    ``years_ahead``: the provisional years run to the end of the year ``years_ahead`` after the
    later of the last final year and the current year — so the calendar never expires, and a
    date far in the future is still refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    years_ahead: int = Field(ge=0, le=10)
    reference: str = Field(min_length=1)
    note_ru: str = Field(min_length=1)  # "{year}" is replaced; names the missing act
    note_en: str = Field(min_length=1)


class HolidayNames(BaseModel):
    """Russian names of the package's holidays (the package has Kazakh and English only),
    keyed by the package's English name, and the patterns of its derived names."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ru: dict[str, str]
    observed_ru: str = Field(min_length=1)  # "{name}"
    estimated_ru: str = Field(min_length=1)  # "{name}"
    substituted_ru: str = Field(min_length=1)  # "{date}": the weekend day it came from
    working_ru: str = Field(min_length=1)
    working_kk: str = Field(min_length=1)
    working_en: str = Field(min_length=1)


class DayEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    kind: DayKind
    name: str = Field(min_length=1)
    name_ru: str | None = Field(default=None, min_length=1)
    name_kk: str | None = Field(default=None, min_length=1)
    reference: str = Field(min_length=1)


class CalendarFile(BaseModel):
    """A calendar data file. ``covered`` is required in the shipped file; an extra file
    (``kazakhstan(extra_file=...)``) may omit it or move ``last`` forward — naming, in
    ``transfer_acts``, the act of every year it makes final."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    covered: CoveredRange | None = None
    transfer_acts: tuple[TransferAct, ...] = ()
    provisional: Provisional | None = None
    holiday_names: HolidayNames | None = None
    days: tuple[DayEntry, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> CalendarFile:
        seen: set[dt.date] = set()
        dup = sorted({e.date for e in self.days if e.date in seen or seen.add(e.date)})  # type: ignore[func-returns-value]
        if dup:
            raise ValueError(f"dates listed twice: {[d.isoformat() for d in dup]}")
        years = [a.year for a in self.transfer_acts]
        twice = sorted({y for y in years if years.count(y) > 1})
        if twice:
            raise ValueError(f"transfer_acts: years listed twice: {twice}")
        return self
