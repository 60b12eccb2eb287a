"""The plausible range of the dates of findings and registers (issue 18).

A date outside this range is a typing error (``9999-12-31``, ``0001-01-01``, a year typed as
``2203``), never a date to look an edition of the classifier up for: a finding gets the error
kind ``implausible_date``, a register record a data error; neither is computed or screened
under the last (or first) edition.

* :data:`EARLIEST_PLAUSIBLE` = 2020-01-01: compulsory social health insurance (ОСМС) pays
  providers from 1 January 2020 (the Law «Об обязательном социальном медицинском страховании»;
  its text is not among the sources in ../shared), the Rules of monitoring of order ҚР
  ДСМ-321/2020 are of 24.12.2020, and the working-day calendar's data start in 2020. Nothing
  the library computes can be about an earlier date. A date from 2020-01-01 to the start of
  the first edition of the classifier in the data (2022-10-16) is plausible and gives the
  error ``no_edition``, as before.
* :data:`FUTURE_MARGIN_DAYS` = 366: the latest plausible date is today plus one year (a leap
  year's worth): a register or a conclusion may carry a planned date (a referral, a
  scheduled service) some months ahead, never years ahead.

"Today" is the machine's date when a :class:`~osms_defects.deductions.engine.Resolver` is made
(the command line makes one per run) or a register is validated.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "EARLIEST_PLAUSIBLE",
    "FUTURE_MARGIN_DAYS",
    "implausible_date",
    "latest_plausible",
]

#: the earliest date of a finding or a register record (ОСМС from 2020-01-01; see above)
EARLIEST_PLAUSIBLE = dt.date(2020, 1, 1)
#: how far after today a date may lie (one year of 366 days; see above)
FUTURE_MARGIN_DAYS = 366


def latest_plausible(today: dt.date | None = None) -> dt.date:
    """Today (or ``today``) plus :data:`FUTURE_MARGIN_DAYS`."""
    return (today or dt.date.today()) + dt.timedelta(days=FUTURE_MARGIN_DAYS)


def implausible_date(
    value: dt.date, field: str, latest: dt.date | None = None
) -> str | None:
    """None for a plausible date, else the message naming the field, the value and the range."""
    hi = latest if latest is not None else latest_plausible()
    if EARLIEST_PLAUSIBLE <= value <= hi:
        return None
    return (
        f"{field} {value.isoformat()} is not a plausible date: allowed from "
        f"{EARLIEST_PLAUSIBLE.isoformat()} (ОСМС from 2020) to {hi.isoformat()} (today plus "
        f"{FUTURE_MARGIN_DAYS} days); correct the date (osms_defects.dates)"
    )
