"""``osms-defects workdays``: working-day arithmetic on the Kazakhstan calendar.

* ``workdays add DATE N`` — the N-th working day after DATE (N < 0 counts back);
* ``workdays count FROM TO`` — working days from FROM to TO, both included;
* ``workdays list YEAR`` — the weekdays off and the working weekend days of a year, with their
  sources and names (``--lang ru|kk|en``);
* ``workdays --year YEAR`` — the working days of each month and of the year: the check a fund
  runs after adding a year's transfer act (docs/calendar.md, "Each December").

A year whose transfer act is not in the data is computed and marked provisional (a warning on
stderr); ``--strict-calendar`` refuses it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from dateutil.relativedelta import relativedelta

from ..calendar import WorkCalendar
from ._calendar import add_calendar_options, calendar_from_args, warn_provisional


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-05-02"
        ) from None


def _year(text: str) -> int:
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; write it as YYYY, e.g. 2024")
    return int(text)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "workdays",
        help="working days of the Kazakhstan calendar: add, count, list",
        description=(
            "Working-day arithmetic on the Kazakhstan calendar of the five-day week (holidays, "
            "days off moved from the weekend, transferred days off and working Saturdays). "
            "Dates outside the covered range are errors."
        ),
    )
    add_calendar_options(p)
    p.add_argument(
        "--year",
        dest="year_table",
        type=_year,
        metavar="YEAR",
        help="print the working days of each month of YEAR and of the year (instead of an OP)",
    )
    ops = p.add_subparsers(dest="op", metavar="OP", help="add, count or list")
    a = ops.add_parser("add", help="the N-th working day after DATE (N < 0: before)")
    a.add_argument("date", type=iso_date, metavar="DATE", help="YYYY-MM-DD")
    a.add_argument("n", type=int, metavar="N", help="working days to add (negative: back)")
    c = ops.add_parser("count", help="working days from FROM to TO, both included")
    c.add_argument("start", type=iso_date, metavar="FROM", help="first day, YYYY-MM-DD")
    c.add_argument("end", type=iso_date, metavar="TO", help="last day, YYYY-MM-DD")
    li = ops.add_parser(
        "list", help="weekdays off and working weekend days of YEAR, with their sources"
    )
    li.add_argument("year", type=_year, metavar="YEAR", help="YYYY")
    li.add_argument(
        "--all",
        action="store_true",
        help="also list holidays that fall on a weekend (they change no working day)",
    )
    li.add_argument(
        "--lang",
        choices=("ru", "kk", "en"),
        default="ru",
        help="language of the names of days off (default ru)",
    )
    for op in (a, c, li):  # the options also after the operation: workdays add D N --strict…
        add_calendar_options(op, sub=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if (args.op is None) == (args.year_table is None):
        sys.stderr.write("osms-defects workdays: give one of OP (add, count, list) or --year YEAR\n")
        return 2
    cal = calendar_from_args(args)
    out = sys.stdout
    if args.year_table is not None:
        return _year_table(cal, args.year_table)
    if args.op == "add":
        due = cal.add_workdays(args.date, args.n)
        out.write(due.isoformat() + "\n")
        warn_provisional("workdays", cal.provisional_notes(args.date, due))
    elif args.op == "count":
        out.write(f"{cal.count_workdays(args.start, args.end)}\n")
        warn_provisional("workdays", cal.provisional_notes(args.start, args.end))
    else:
        first, last = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
        out.write("date\tweekday\tstatus\tname\treference\n")
        for note in cal.notes(first, last):
            weekend = note.date.isoweekday() in cal.weekend
            # a holiday on a weekend changes no working day: listed only with --all
            if note.working == weekend or args.all:
                status = "working" if note.working else ("weekend" if weekend else "day off")
                out.write(
                    f"{note.date.isoformat()}\t{note.date:%a}\t{status}\t"
                    f"{note.label(args.lang)}\t{note.reference}\n"
                )
        out.write(f"# {cal.count_workdays(first, last)} working days in {args.year}\n")
        warn_provisional("workdays", cal.provisional_notes(first, last))
    return 0


def _year_table(cal: WorkCalendar, year: int) -> int:
    """Working days per month and in the year, to compare with the production calendar."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    total = cal.count_workdays(first, last)  # refuses an uncovered year before printing
    provisional = cal.provisional_notes(first, last)
    sys.stdout.write("month\tworking_days\tdays_off_on_weekdays\n")
    for month in range(1, 13):
        a = dt.date(year, month, 1)
        b = (a + relativedelta(months=1)) - dt.timedelta(days=1)
        off = sum(1 for d in cal.days_off(a, b) if d.isoweekday() not in cal.weekend)
        sys.stdout.write(f"{a:%Y-%m}\t{cal.count_workdays(a, b)}\t{off}\n")
    status = "provisional" if provisional else "final"
    sys.stdout.write(f"{year}\t{total}\t# {status}\n")
    warn_provisional("workdays", provisional)
    return 0
