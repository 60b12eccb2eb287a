"""Working-day calendars: ``WorkCalendar`` (fed by data) and ``kazakhstan()``.

The Rules count most of their terms in working days (рабочие дни); see
``osms_defects.deadlines`` for the terms themselves and ``docs/calendar.md`` for the data.
"""

from __future__ import annotations

from ..errors import CalendarRangeError
from .data import CalendarFile, DayEntry, DayKind
from .kazakhstan import CALENDAR_ENV, build_kazakhstan, calendar_files, kazakhstan
from .workcalendar import DayNote, ProvisionalYear, WorkCalendar

__all__ = [
    "CALENDAR_ENV",
    "CalendarFile",
    "CalendarRangeError",
    "DayEntry",
    "DayKind",
    "DayNote",
    "ProvisionalYear",
    "WorkCalendar",
    "build_kazakhstan",
    "calendar_files",
    "kazakhstan",
]
