"""``osms-defects workdays``: working-day arithmetic on the Kazakhstan calendar.

* ``workdays add DATE N`` — the N-th working day after DATE (N < 0 counts back);
* ``workdays count FROM TO`` — working days from FROM to TO, both included;
* ``workdays list YEAR`` — the weekdays off and the working weekend days of a year, with their
  sources.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from ..calendar import kazakhstan


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
    p.add_argument(
        "--calendar-file",
        metavar="PATH",
        help="extra calendar YAML (next year's transfer decree) applied after the shipped one",
    )
    ops = p.add_subparsers(dest="op", metavar="OP", required=True, help="add, count or list")
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
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    cal = kazakhstan(extra_file=args.calendar_file)
    out = sys.stdout
    if args.op == "add":
        out.write(cal.add_workdays(args.date, args.n).isoformat() + "\n")
    elif args.op == "count":
        out.write(f"{cal.count_workdays(args.start, args.end)}\n")
    else:
        first, last = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
        out.write("date\tweekday\tstatus\tname\treference\n")
        for note in cal.notes(first, last):
            weekend = note.date.isoweekday() in cal.weekend
            if (
                note.working == weekend or args.all
            ):  # skip holidays on a weekend: they change nothing
                status = "working" if note.working else ("weekend" if weekend else "day off")
                out.write(
                    f"{note.date.isoformat()}\t{note.date:%a}\t{status}\t{note.name}\t"
                    f"{note.reference}\n"
                )
        out.write(f"# {cal.count_workdays(first, last)} working days in {args.year}\n")
    return 0
