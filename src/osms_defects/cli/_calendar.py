"""The calendar options every command takes (docs/calendar.md, "Coverage"):

* ``--calendar-file FILE`` — a fund's calendar file (next year's transfer act) applied after the
  shipped ``data/calendar_kz.yaml``; without it, the file named by ``OSMS_DEFECTS_CALENDAR``;
* ``--strict-calendar`` — refuse dates in a year whose transfer act is not in the data instead
  of computing them as provisional.

A result computed on a provisional year is marked in the output, and the command says so on
stderr (:func:`warn_provisional`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from ..calendar import CALENDAR_ENV, WorkCalendar, kazakhstan


def add_calendar_options(p: argparse.ArgumentParser, *, sub: bool = False) -> None:
    """Add the options to ``p``; ``sub=True`` for the parser of an operation under a command
    that has them too (its defaults then leave the command's values alone)."""
    keep = {"default": argparse.SUPPRESS} if sub else {}
    p.add_argument(
        "--calendar-file",
        metavar="FILE",
        **keep,  # type: ignore[arg-type]
        help=(
            "a calendar YAML (e.g. next year's act on the transfer of days off) applied after "
            f"the shipped one; default: the file named by ${CALENDAR_ENV}, if set"
        ),
    )
    p.add_argument(
        "--strict-calendar",
        action="store_true",
        **keep,  # type: ignore[arg-type]
        help=(
            "refuse dates in a year whose transfer act is not in the calendar data (default: "
            "compute them and mark the results provisional)"
        ),
    )


def calendar_from_args(args: argparse.Namespace) -> WorkCalendar:
    """The calendar the options name (cached by ``kazakhstan``)."""
    return kazakhstan(
        extra_file=getattr(args, "calendar_file", None),
        strict_calendar=bool(getattr(args, "strict_calendar", False)),
    )


def warn_provisional(command: str, notes: Iterable[str], count: int | None = None) -> None:
    """Print each provisional-calendar note once on stderr (``count``: results marked)."""
    unique = list(dict.fromkeys(n for n in notes if n))
    if not unique:
        return
    what = f"{count} result(s) use" if count is not None else "the result uses"
    for note in unique:
        sys.stderr.write(
            f"osms-defects {command}: warning: {what} a provisional calendar — {note} "
            "(--strict-calendar refuses; --calendar-file adds the act)\n"
        )
