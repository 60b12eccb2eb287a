"""``Deadline``: a term of the Rules applied to a date — the due date, the paragraph, the
edition, the counting rule, the days off it stepped over and the provisional-calendar mark."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..calendar import DayNote, WorkCalendar
from .procedure import TermUnit


@dataclass(frozen=True, slots=True)
class Deadline:
    """A term of the Rules applied to a date.

    ``due`` is the last day on which the act is still in time. ``counted_from`` is the event
    date the term runs from (or, for "not less than N days before", the start it precedes).
    ``reference`` is the paragraph ("п. 36 Правил"), ``edition`` the id of the edition of the
    Rules it comes from ("2022-10-16", "2026"); ``citation`` joins the two.
    """

    name: str
    due: dt.date
    reference: str
    description: str
    counted_from: dt.date
    term: int
    unit: TermUnit
    rule: str  # the counting rule applied, in words (readings C1–C4)
    rolled: bool = False  # True when C3 moved the due date off a non-working day
    edition: str = ""  # the edition of the Rules whose term this is (data/procedure.yaml)
    #: True when a day the term spans lies in a year whose transfer act is not in the
    #: calendar data: computed from the holidays and their statutory moves, never silently final
    calendar_provisional: bool = False
    calendar_note: str = ""  # names the missing act(s) (Russian; "" when final)
    #: the holidays and transferred days off between ``counted_from`` and ``due`` (named in
    #: Russian and Kazakh: :meth:`explain`); weekends are not listed
    days_off: tuple[DayNote, ...] = ()
    #: the edition's mark (reading E18: a date in the uncertain window of order No. 19; E19: an
    #: amendment whose text is missing; E20: an edition the caller chose); "" when none
    edition_note: str = ""

    def met_by(self, done_on: dt.date) -> bool:
        """Whether an act done on ``done_on`` meets the term (on or before ``due``)."""
        return done_on <= self.due

    @property
    def citation(self) -> str:
        """The paragraph and the edition, e.g. "п. 58 Правил (ред. 2022-10-16)"."""
        return f"{self.reference} (ред. {self.edition})" if self.edition else self.reference

    def __str__(self) -> str:
        return f"{self.name}: {self.due.isoformat()} ({self.citation}: {self.description})"

    def explain(self, lang: str = "ru") -> str:
        """The counting rule, the days off it stepped over (named in ``lang``: ru, kk, en) and,
        for a provisional calendar, the note naming the missing act."""
        lines = [f"{self.due.isoformat()} — {self.citation}: {self.rule}"]
        if self.days_off:
            head = {"kk": "демалыс күндері", "en": "days off"}.get(lang, "нерабочие дни")
            lines.append(
                f"{head}: "
                + "; ".join(f"{n.date.strftime('%d.%m.%Y')} {n.label(lang)}" for n in self.days_off)
            )
        if self.calendar_provisional:
            lines.append(self.calendar_note)
        if self.edition_note:
            lines.append(self.edition_note)
        return "\n".join(lines)


def days_off_between(c: WorkCalendar, a: dt.date, b: dt.date) -> tuple[DayNote, ...]:
    """The annotated days off (holidays, moved and transferred days) between two dates."""
    lo, hi = (a, b) if a <= b else (b, a)
    lo, hi = max(lo, c.first), min(hi, c.last)
    if lo > hi:
        return ()
    return tuple(n for n in c.notes(lo, hi) if not n.working)

