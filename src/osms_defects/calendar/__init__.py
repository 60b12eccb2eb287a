"""Working-day calendars: ``WorkCalendar`` (fed by data) and ``kazakhstan()``.

The Rules count most of their terms in working days (рабочие дни); see
``osms_defects.deadlines`` for the terms themselves and ``docs/calendar.md`` for the data.
"""

from __future__ import annotations

from ..errors import CalendarRangeError
from .data import CalendarFile, DayEntry, DayKind
from .kazakhstan import build_kazakhstan, kazakhstan
from .workcalendar import DayNote, WorkCalendar

__all__ = [
    "CalendarFile",
    "CalendarRangeError",
    "DayEntry",
    "DayKind",
    "DayNote",
    "WorkCalendar",
    "build_kazakhstan",
    "kazakhstan",
]
