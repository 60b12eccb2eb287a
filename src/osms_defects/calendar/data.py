"""The calendar data file (``data/calendar_kz.yaml``): corrections and additions to the
``holidays`` package, each with its legal source."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator


class DayKind(StrEnum):
    DAY_OFF = "day_off"  # not a working day (holiday, transferred day off)
    WORKING_DAY = "working_day"  # a working day (a weekend day made working, or a correction)
    CONFIRM = "confirm"  # confirms a date the package only estimates (Kurban Ait)


class CoveredRange(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    first: dt.date
    last: dt.date
    reference: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> CoveredRange:
        if self.first > self.last:
            raise ValueError(f"first {self.first} is after last {self.last}")
        return self


class DayEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    date: dt.date
    kind: DayKind
    name: str = Field(min_length=1)
    reference: str = Field(min_length=1)


class CalendarFile(BaseModel):
    """A calendar corrections file. ``covered`` is required in the shipped file; an extra
    file (``kazakhstan(extra_file=...)``) may omit it or move ``last`` forward."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    covered: CoveredRange | None = None
    days: tuple[DayEntry, ...] = ()

    @model_validator(mode="after")
    def _unique(self) -> CalendarFile:
        seen: set[dt.date] = set()
        dup = sorted({e.date for e in self.days if e.date in seen or seen.add(e.date)})  # type: ignore[func-returns-value]
        if dup:
            raise ValueError(f"dates listed twice: {[d.isoformat() for d in dup]}")
        return self
