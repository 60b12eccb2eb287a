"""The counting rules of the terms (readings C1–C5 in ``docs/readings.md``), applied to a term
of the data (``data/procedure.yaml``):

* C1 ``start_next_day=True``: a term counted from an event starts the next day — the event day
  is not counted («течение срока … начинается на следующий день после календарной даты или
  наступления события», the general rule of Kazakh civil law on computing terms);
* C2: a term in working days ends on the n-th working day, by the working-day calendar;
* C3 ``roll_to_workday=True``: a term in calendar days or months whose last day is not a
  working day ends on the next working day («если последний день срока приходится на
  нерабочий день, днем окончания срока считается ближайший следующий за ним рабочий день»);
* C4: a notice «не менее чем за N рабочих дней» is due on the N-th working day before the start;
* C5: «до N числа месяца, следующего за отчетным периодом» includes the N-th.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

from ..calendar import WorkCalendar, kazakhstan
from ..errors import BadPeriodError
from .deadline import Deadline, days_off_between
from .procedure import EditionTerm, TermUnit


def default_calendar(cal: WorkCalendar | None) -> WorkCalendar:
    """``cal``, or Kazakhstan's calendar (which reads ``OSMS_DEFECTS_CALENDAR``)."""
    return cal if cal is not None else kazakhstan()


def _roll(c: WorkCalendar, due: dt.date, roll_to_workday: bool) -> tuple[dt.date, bool]:
    if roll_to_workday and not c.is_workday(due):
        return c.roll_forward(due), True
    c.is_workday(due)  # a due date outside the calendar is still an error, never a guess
    return due, False



def apply_term(
    et: EditionTerm,
    event: dt.date,
    *,
    start_next_day: bool = True,
    roll_to_workday: bool | None = None,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """Apply a resolved term to its event date by the counting rules C1–C4."""
    t, c, n = et.term, default_calendar(cal), et.term.amount
    roll = t.roll_to_workday if roll_to_workday is None else roll_to_workday
    rolled = False

    def done(due: dt.date, rule: str, reference: str | None = None) -> Deadline:
        # every day from the event to the due date is used: a provisional one marks the term
        notes = c.provisional_notes(event, due)
        return Deadline(
            t.name,
            due,
            reference or t.reference,
            t.description,
            event,
            n,
            t.unit,
            rule,
            rolled,
            et.edition,
            bool(notes),
            "; ".join(notes),
            days_off_between(c, event, due),
        )

    if t.unit is TermUnit.WORKING_DAYS:
        if t.direction == "before":
            # C4: «не менее чем за N рабочих дней» — the latest notice day is the N-th working
            # day before the start, the start day itself not counted.
            rule = f"{n}-й рабочий день до начала {event.isoformat()} (день начала не считается)"
            return done(c.add_workdays(event, -n), rule)
        if t.first_day_counted:
            # п. 29 (2022): counted from the visit's first working day, that day being day 1
            first = c.roll_forward(event)
            rule = f"{n}-й рабочий день, считая первый день посещения {first.isoformat()}"
            return done(c.add_workdays(first, n - 1), rule)
        if start_next_day:
            # C1 + C2: the event day is not counted; the n-th working day after it
            rule = f"{n}-й рабочий день после {event.isoformat()} (день события не считается)"
            return done(c.add_workdays(event, n), rule)
        # the event day counts as the first day when it is a working day
        due = c.add_workdays(event, n - 1) if c.is_workday(event) else c.add_workdays(event, n)
        return done(due, f"{n}-й рабочий день, считая день события {event.isoformat()}")
    if t.unit is TermUnit.CALENDAR_DAYS:
        raw = event + dt.timedelta(days=n if start_next_day else n - 1)
        due, rolled = _roll(c, raw, roll)
        rule = f"{n} календарных дней {'после' if start_next_day else 'считая'} {event.isoformat()}"
        rule += f"; {raw.isoformat()} нерабочий — перенос на {due.isoformat()}" if rolled else ""
        return done(due, rule)
    if t.unit is TermUnit.MONTHS:
        # the same day number of the last month (the last day of a shorter month), then C3
        raw = event + relativedelta(months=n)
        due, rolled = _roll(c, raw, roll)
        rule = f"{n} мес. от {event.isoformat()}: {raw.isoformat()}"
        rule += f"; нерабочий день — перенос на {due.isoformat()}" if rolled else ""
        return done(due, rule)
    # DAY_OF_FOLLOWING_MONTH: «до N числа месяца, следующего за отчетным периодом» (C5: the N-th
    # included); ``event`` is the last day of the period
    raw = (event + dt.timedelta(days=1)).replace(day=n)
    due, rolled = _roll(c, raw, roll)
    rule = f"{n} число месяца после {event.isoformat()}: {raw.isoformat()}"
    rule += f"; нерабочий день — перенос на {due.isoformat()}" if rolled else ""
    return done(due, rule)


_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]))?$")


def period_end(period: str) -> dt.date:
    """The last day of a reporting period "YYYY", "YYYY-H1|H2", "YYYY-Q1..Q4"."""
    m = _PERIOD.match(period.strip().upper())
    if not m:
        raise BadPeriodError(
            f"reporting period {period!r} is not understood; write YYYY (a year), YYYY-H1 or "
            "YYYY-H2 (a half-year) or YYYY-Q1 … YYYY-Q4 (a quarter), e.g. 2023-Q2"
        )
    year = int(m.group(1))
    part = m.group(2)
    end_month = 12 if part is None else {"Q": 3, "H": 6}[part[0]] * int(part[1])
    return dt.date(year, end_month, 1) + relativedelta(months=1, days=-1)
