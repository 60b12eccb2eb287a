"""Reporting periods (п. 32: квартал, полугодие, год) and the report's due date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from ..errors import ReportInputError

PeriodKind = Literal["quarter", "half", "year"]
_RX = re.compile(r"^(\d{4})(?:-(Q[1-4]|H[12]))?$")


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period of п. 32: ``2023-Q2``, ``2023-H1`` or ``2023``."""

    label: str
    kind: PeriodKind
    start: date
    end: date

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    @property
    def title_ru(self) -> str:
        """The period as written in the form's title («за II квартал 2023 года»)."""
        year = self.start.year
        if self.kind == "quarter":
            q = ("I", "II", "III", "IV")[(self.start.month - 1) // 3]
            return f"{q} квартал {year} года"
        if self.kind == "half":
            return f"{'I' if self.start.month == 1 else 'II'} полугодие {year} года"
        return f"{year} год"


def parse_period(text: str) -> Period:
    """Parse ``2023-Q2`` / ``2023-H1`` / ``2023``; anything else is a ReportInputError."""
    m = _RX.match(text.strip())
    if not m:
        raise ReportInputError(
            f"period {text!r}: expected YYYY-Qn (quarter), YYYY-Hn (half-year) or YYYY (year), "
            "the periods of п. 32"
        )
    year, part = int(m.group(1)), m.group(2)
    if part is None:
        return Period(text.strip(), "year", date(year, 1, 1), date(year, 12, 31))
    n = int(part[1])
    if part[0] == "Q":
        first = 3 * (n - 1) + 1
        return Period(text.strip(), "quarter", date(year, first, 1), _month_end(year, first + 2))
    first = 1 if n == 1 else 7
    return Period(text.strip(), "half", date(year, first, 1), _month_end(year, first + 5))


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


if TYPE_CHECKING:  # pragma: no cover
    from ..calendar import WorkCalendar


@dataclass(frozen=True, slots=True)
class ReportDue:
    """The date a report is due, with the paragraph that sets it."""

    due: date
    reference: str
    description: str
    calendar_provisional: bool = False  # the due date used a provisional calendar year
    calendar_note: str = ""


def report_due(
    period: Period, cal: WorkCalendar | None = None, edition: str | None = None
) -> ReportDue:
    """The report's due date (п. 32): ``osms_defects.deadlines.monitoring_report``.

    «до 30 числа месяца, следующего за отчетным периодом»; the deadlines module moves a 30th
    that is not a working day to the next working day (its reading C5).
    """
    from ..deadlines import monitoring_report

    d = monitoring_report(period.label, edition=edition, cal=cal)
    return ReportDue(d.due, d.reference, d.description, d.calendar_provisional, d.calendar_note)
