"""Every term (срок) of the Rules as a deadline, by edition, and the terms that define defects.

A term is a property of an edition of the Rules (``data/procedure.yaml``): each function takes
the date it counts from, finds the edition in force on that date (the classifier's editions
and periods, reading E6) — or the one named by ``edition=`` — and applies that edition's term.
A term the edition does not have raises ``TermNotInEditionError`` naming the editions that
have it (the proactive remedy of п. 58 of 2022 under the 2026 edition, which has no proactive
monitoring: п. 4); a date with no edition in the data raises the classifier's
``EditionGapError`` / ``NoEditionError`` naming the missing orders — never a neighbour's term.

Each function returns a ``Deadline``: the due date, the paragraph (``reference``), the edition
(``edition``; ``citation`` gives both), a one-line description, and the term and counting rule
that produced it. The counting rules are explicit parameters (readings C1–C4 in
``docs/readings.md``):

* ``start_next_day=True`` (C1): a term counted from an event starts the next day — the event
  day is not counted (the general rule of Kazakh civil law on computing terms: «течение срока
  … начинается на следующий день после календарной даты или наступления события»);
* a term in working days ends on the n-th working day (C2), by the Kazakhstan working-day
  calendar (``osms_defects.calendar.kazakhstan()``);
* ``roll_to_workday=True`` (C3): a term in calendar days or months whose last day is not a
  working day ends on the next working day (civil law: «если последний день срока приходится на
  нерабочий день, днем окончания срока считается ближайший следующий за ним рабочий день»);
* a notice «не менее чем за N рабочих дней» is due on the N-th working day before the start
  (C4).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

import numpy as np
import numpy.typing as npt
from dateutil.relativedelta import relativedelta

from ..calendar import DayNote, WorkCalendar, kazakhstan
from ..errors import (
    BadPeriodError,
    TimelineInputError,
    UnknownDeadlineError,
    UnknownLanguageError,
)
from .procedure import (
    LANGS,
    Decision,
    EditionTerm,
    Label,
    Procedure,
    ProcedureEdition,
    Term,
    TermUnit,
    load_procedure,
    resolve_term,
    term_names,
)
from .procedure import Lang as Lang

__all__ = [
    "DEADLINES",
    "LANGS",
    "TERMS",
    "TIMELINES",
    "Deadline",
    "Decision",
    "EditionTerm",
    "Label",
    "ObjectionStep",
    "ObjectionTimeline",
    "Procedure",
    "ProcedureEdition",
    "StepStatus",
    "Term",
    "TermUnit",
    "central_review",
    "chain_timeline",
    "conclusion_delivery",
    "conclusion_objection",
    "council_decision_notice",
    "deadline",
    "death_case_central_review",
    "death_case_objection",
    "death_case_objection_review",
    "death_case_repeat_objection",
    "death_case_timeline",
    "hidden_defect_notice",
    "kdu_wait_exceeded",
    "kdu_wait_exceeded_array",
    "late_death_registration",
    "law_enforcement_information",
    "load_procedure",
    "maternal_death_conclusion",
    "monitoring_report",
    "mortality_objection",
    "objection_review",
    "objection_timeline",
    "potential_defect_objection",
    "potential_defect_timeline",
    "potential_objection_review",
    "proactive_remedy",
    "provider_objection",
    "readmission_within_30_days",
    "refund",
    "repeat_call_within_24h",
    "repeat_objection",
    "repeat_objection_review",
    "resolve_term",
    "suspension_notice",
    "targeted_notice",
    "term",
    "timeline",
    "unplanned_notice",
    "unplanned_termination_notice",
    "violation_information",
    "visit_last_day",
    "visit_notice",
]


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
        return "\n".join(lines)


def _cal(cal: WorkCalendar | None) -> WorkCalendar:
    return cal if cal is not None else kazakhstan()


def _days_off_between(c: WorkCalendar, a: dt.date, b: dt.date) -> tuple[DayNote, ...]:
    """The annotated days off (holidays, moved and transferred days) between two dates."""
    lo, hi = (a, b) if a <= b else (b, a)
    lo, hi = max(lo, c.first), min(hi, c.last)
    if lo > hi:
        return ()
    return tuple(n for n in c.notes(lo, hi) if not n.working)


def _roll(c: WorkCalendar, due: dt.date, roll_to_workday: bool) -> tuple[dt.date, bool]:
    if roll_to_workday and not c.is_workday(due):
        return c.roll_forward(due), True
    c.is_workday(due)  # a due date outside the calendar is still an error, never a guess
    return due, False


def _apply(
    et: EditionTerm,
    event: dt.date,
    *,
    start_next_day: bool = True,
    roll_to_workday: bool | None = None,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """Apply a resolved term to its event date by the counting rules C1–C4."""
    t, c, n = et.term, _cal(cal), et.term.amount
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
            _days_off_between(c, event, due),
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


def term(
    name: str,
    event: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    roll_to_workday: bool | None = None,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """The term ``name`` of the edition in force on ``event`` (or of ``edition``) applied to
    ``event``. ``roll_to_workday=None`` takes the term's own rule from the data (C3)."""
    et = resolve_term(name, event, edition)
    return _apply(
        et, event, start_next_day=start_next_day, roll_to_workday=roll_to_workday, cal=cal
    )


# --------------------------------------------------------------------------- 2022 terms
# Each is a term of data/procedure.yaml; the paragraphs below are those of the 2022 edition,
# and the function applies whichever edition is in force (or given) when it has the term.


def conclusion_delivery(
    signed_on: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """The conclusion is sent to the provider within two working days of signing.

    2022: п. 13, 31 Правил «…один из которых направляется поставщику в течение двух рабочих
    дней с даты подписания»; 2026: п. 55 Правил «…направляется поставщику в течение 2 (двух)
    рабочих дней с даты подписания».
    """
    return term(
        "conclusion_delivery", signed_on, edition=edition, start_next_day=start_next_day, cal=cal
    )


def provider_objection(
    received_on: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 36 Правил (2022, ч. 1): the provider's objections within three working days of receipt.

    «…поставщик направляет возражения в адрес филиала фонда не позднее трех рабочих дней со
    дня получения заключения…». On silence: «При непредоставлении поставщиком возражений в
    установленный срок, заключение считается согласованным и принятым поставщиком.»
    The 2026 edition counts from the signing instead: :func:`conclusion_objection`.
    """
    return term(
        "provider_objection", received_on, edition=edition, start_next_day=start_next_day, cal=cal
    )


def objection_review(
    objection_received_on: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """The branch reviews the objections to a conclusion within 3 working days.

    2022: п. 36 Правил (ч. 3) «Филиал фонда рассматривает представленные возражения в течение
    3 (трех) рабочих дней и выносит на экспертный совет.» 2026: п. 58 Правил «Филиал Фонда
    рассматривает представленные возражения в течение 3 (трех) рабочих дней …».
    """
    return term(
        "objection_review",
        objection_received_on,
        edition=edition,
        start_next_day=start_next_day,
        cal=cal,
    )


def council_decision_notice(
    decided_on: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 36 Правил (2022, ч. 4): the expert council's decision reaches the provider in 3
    working days.

    «После принятия экспертным советом решения в течение 3 (трех) рабочих дней филиал фонда
    направляет данное решение поставщику.»
    """
    return term(
        "council_decision_notice",
        decided_on,
        edition=edition,
        start_next_day=start_next_day,
        cal=cal,
    )


def suspension_notice(
    effective_on: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """Notice of suspension or extension of monitoring within 3 working days.

    2022: п. 43 Правил «Уведомление поставщику о приостановлении или продлении мониторинга …
    предоставляется в течение 3 рабочих дней с даты вступления решения в силу суда …»; 2026:
    п. 7 Правил «… в течение 3 (трех) рабочих дней с даты вступления решения суда в законную
    силу …».
    """
    return term(
        "suspension_notice", effective_on, edition=edition, start_next_day=start_next_day, cal=cal
    )


def unplanned_notice(
    starts_on: dt.date, *, edition: str | None = None, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 51 Правил (2022): the latest day to notify an unplanned monitoring (1 working day
    before).

    «Уведомление поставщику о предстоящем проведении внепланового мониторинга предоставляется
    не менее чем за 1 рабочий день.» (2026: the notice of a visit, :func:`visit_notice`.)
    """
    return term("unplanned_notice", starts_on, edition=edition, cal=cal)


def targeted_notice(
    starts_on: dt.date, *, edition: str | None = None, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 64 Правил (2022): the latest day to notify a targeted monitoring (5 working days
    before).

    «Уведомление о предстоящем проведении целевого мониторинга предоставляется поставщику не
    менее чем за пять рабочих дней.»
    """
    return term("targeted_notice", starts_on, edition=edition, cal=cal)


def visit_last_day(
    starts_on: dt.date, *, edition: str | None = None, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 29 Правил (2022): a monitoring visit lasts at most ten working days, the first day
    counted.

    «Мониторинг качества и объема медицинских услуг с посещением поставщика проводится не более
    десяти рабочих дней.» A visit is counted from its first working day (a visit that starts
    on a non-working day is counted from the next working day).
    """
    return term("visit_last_day", starts_on, edition=edition, cal=cal)


def proactive_remedy(
    signed_on: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    roll_to_workday: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 58 Правил (2022): defects found by proactive monitoring are remedied within 45
    calendar days.

    «Устранение выявленных дефектов … проводится поставщиком в течение 45 (сорока пяти)
    календарных дней, со дня подписания заключения по результатам проактивного мониторинга.»
    The 2026 edition has no proactive monitoring (п. 4): TermNotInEditionError.
    """
    return term(
        "proactive_remedy",
        signed_on,
        edition=edition,
        start_next_day=start_next_day,
        roll_to_workday=roll_to_workday,
        cal=cal,
    )


def mortality_objection(
    provided_on: dt.date,
    *,
    edition: str | None = None,
    start_next_day: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 76 Правил (2022): remarks or objections to a mortality conclusion within 5 working
    days.

    «…поставщик направляет в филиал фонда замечания и (или) возражения, в течение пяти рабочих
    дней со дня предоставления заключения.» (2026: :func:`death_case_objection`, п. 44.)
    """
    return term(
        "mortality_objection", provided_on, edition=edition, start_next_day=start_next_day, cal=cal
    )


def maternal_death_conclusion(
    died_on: dt.date,
    *,
    edition: str | None = None,
    roll_to_workday: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 70 Правил (2022): the maternal-death expertise conclusion reaches the Fund within two
    months.

    «…направляет заключение по экспертизе случаев материнской смертности фонду, в срок не более
    двух месяцев от даты смерти.» A term in months ends on the same day number of the last
    month (the last day of a shorter month), then C3.
    """
    return term(
        "maternal_death_conclusion",
        died_on,
        edition=edition,
        roll_to_workday=roll_to_workday,
        cal=cal,
    )


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


def monitoring_report(
    period: str,
    *,
    edition: str | None = None,
    roll_to_workday: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 32 Правил (2022; and п. 39 for the quarterly information): reports by the 30th of the
    month following the period.

    п. 32: «…с периодичностью квартал, полугодие и год, которые направляются … до 30 числа
    месяца, следующего за отчетным периодом.» п. 39: «Фонд ежеквартально, до 30 числа
    следующего за отчетным периодом, направляет…». Reading C5: «до 30 числа» includes the 30th.
    The edition is the one in force on the period's last day (reading E10); the 2026 text sets
    no such day (п. 16: «на ежеквартальной основе»), so it raises TermNotInEditionError.
    """
    end = period_end(period)
    et = resolve_term("monitoring_report", end, edition)
    d = _apply(et, end, roll_to_workday=roll_to_workday, cal=cal)
    if "Q" in period.upper() and et.edition == "2022-10-16":
        # п. 39 (2022): the quarterly information to the state body has the same day
        d = dataclasses.replace(d, reference="п. 32, 39 Правил")
    return d


# --------------------------------------------------------------------------- 2026 terms


def _term_function(name: str, doc: str) -> Callable[..., Deadline]:
    def f(
        event: dt.date,
        *,
        edition: str | None = None,
        start_next_day: bool = True,
        roll_to_workday: bool | None = None,
        cal: WorkCalendar | None = None,
    ) -> Deadline:
        return term(
            name,
            event,
            edition=edition,
            start_next_day=start_next_day,
            roll_to_workday=roll_to_workday,
            cal=cal,
        )

    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return f


visit_notice = _term_function(
    "visit_notice",
    "п. 7 Правил (2026), ч. 1: the latest day to notify a visit to the provider's base. «…Фонд "
    "направляет уведомление не менее чем за один рабочий день до даты посещения…» (C4).",
)
unplanned_termination_notice = _term_function(
    "unplanned_termination_notice",
    "п. 7 Правил (2026), ч. 3: «Уведомление о прекращении проведения внепланового мониторинга "
    "предоставляется поставщику не позднее 1 (одного) рабочего дня с даты регистрации отзыва "
    "обращения.» Event: the day the withdrawal was registered.",
)
violation_information = _term_function(
    "violation_information",
    "п. 17 Правил (2026): information on violations to the state body «в течение 10 рабочих "
    "дней со дня выявления». Event: the day of detection.",
)
law_enforcement_information = _term_function(
    "law_enforcement_information",
    "п. 19, 20 Правил (2026): information to the law-enforcement bodies «в течение десяти "
    "рабочих дней, с даты подписания заключения Фондом». Event: the day of signing.",
)
potential_defect_objection = _term_function(
    "potential_defect_objection",
    "п. 26 Правил (2026): «…поставщик в течение пяти рабочих дней, после дня их выявления, "
    "предоставляет в ИСФ возражение…»; without it the potential defect is confirmed (п. 27). "
    "Event: the day the potential defect was detected.",
)
potential_objection_review = _term_function(
    "potential_objection_review",
    "п. 30 Правил (2026): «Рассмотрение возражений по потенциальным дефектам … в течение пяти "
    "рабочих дней, после дня их выявления.» Event: the day the defect was detected, as the "
    "text says (reading E8).",
)
repeat_objection = _term_function(
    "repeat_objection",
    "п. 32 Правил (2026): «…поставщик в течение трех рабочих дней, после дня получения "
    "подтверждения, направляет посредством ИСФ повторное возражение…». Event: the day the "
    "confirmation was received.",
)
repeat_objection_review = _term_function(
    "repeat_objection_review",
    "п. 34 Правил (2026): the repeat objection is decided «в течение трех рабочих дней». Event: "
    "the day it was sent (it reaches the reviewer the same day, п. 33; reading E9).",
)
central_review = _term_function(
    "central_review",
    "п. 37 Правил (2026): the central office of the Fund decides «в течение трех рабочих дней». "
    "Event: the day the case was sent to it (п. 36; reading E9).",
)
death_case_objection = _term_function(
    "death_case_objection",
    "п. 44 Правил (2026): deaths in hospital, infant deaths — «…поставщик в течение пяти "
    "рабочих дней предоставляет в ИСФ возражение…». Event: the day the decision of п. 43 "
    "reached the provider (reading E9).",
)
death_case_objection_review = _term_function(
    "death_case_objection_review",
    "п. 45 Правил (2026): «По результатам рассмотрения возражения в течение трех рабочих дней "
    "работником филиала Фонда принимается одно из следующих решений». Event: the objection.",
)
death_case_repeat_objection = _term_function(
    "death_case_repeat_objection",
    "п. 46 Правил (2026): «…поставщик в течение трех рабочих дней, после дня получения "
    "подтверждения, направляет посредством ИСФ данный случай…» to the central office.",
)
death_case_central_review = _term_function(
    "death_case_central_review",
    "п. 47 Правил (2026): the central office decides a death case «в течение трех рабочих "
    "дней». Event: the day the case was sent to it (reading E9).",
)
hidden_defect_notice = _term_function(
    "hidden_defect_notice",
    "п. 53 Правил (2026): «Фонд извещает об этом поставщика в течение одного месяца с даты "
    "обнаружения скрытого недостатка». A term in months, then C3.",
)
refund = _term_function(
    "refund",
    "п. 53-1 Правил (2026): «Возврат средств осуществляется поставщиком в срок не позднее 6 "
    "(шести) месяцев с даты выявления факта неисполнения…». A term in months, then C3.",
)
conclusion_objection = _term_function(
    "conclusion_objection",
    "п. 56, 57 Правил (2026): the provider signs the conclusion with objections «в течение 3 "
    "рабочих дней»; «При непредставлении поставщиком возражений в течение 3 (трех) рабочих "
    "дней после подписания, заключение считается согласованным…». Event: the day the Fund "
    "signed (reading E7).",
)


# --------------------------------------------------------------------------- by name

DateDeadline = Callable[[dt.date], Deadline]

#: the terms of the 2022 edition that take one date, by name (kept for compatibility; every
#: function finds the edition in force on its date)
DEADLINES: dict[str, DateDeadline] = {
    "conclusion_delivery": conclusion_delivery,
    "provider_objection": provider_objection,
    "objection_review": objection_review,
    "council_decision_notice": council_decision_notice,
    "suspension_notice": suspension_notice,
    "unplanned_notice": unplanned_notice,
    "targeted_notice": targeted_notice,
    "visit_last_day": visit_last_day,
    "proactive_remedy": proactive_remedy,
    "mortality_objection": mortality_objection,
    "maternal_death_conclusion": maternal_death_conclusion,
}

#: every term of every edition (data/procedure.yaml), in order of first appearance
TERMS: tuple[str, ...] = tuple(term_names())


def deadline(
    name: str,
    when: dt.date | str,
    *,
    edition: str | None = None,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """A deadline by name: a date for the terms of ``TERMS``, a period for
    ``monitoring_report``. Unknown names raise ``UnknownDeadlineError`` listing the allowed;
    ``edition`` (an id or alias) overrides the edition in force on the date."""
    key = name.strip().lower().replace("-", "_")
    if key == "monitoring_report":
        period = when if isinstance(when, str) else str(when.year)
        return monitoring_report(period, edition=edition, cal=cal)
    if key not in TERMS:
        raise UnknownDeadlineError(f"unknown deadline {name!r}; allowed: {', '.join(TERMS)}")
    if isinstance(when, str):
        try:
            when = dt.date.fromisoformat(when)
        except ValueError:
            raise BadPeriodError(
                f"{when!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-05-02"
            ) from None
    return term(key, when, edition=edition, cal=cal)


# --------------------------------------------------------------------------- defect terms


def late_death_registration(died_on: dt.date, registered_on: dt.date, *, days: int = 10) -> bool:
    """Прил. 1, код 2.3: «Несвоевременная регистрация сведений смерти, позднее 10 дней с момента
    смерти больного». Registered on the 10th calendar day after death is in time (C1: the day
    of death is not counted); the 11th is late."""
    return (registered_on - died_on).days > days


def readmission_within_30_days(
    discharged_on: dt.date,
    admitted_on: dt.date,
    *,
    days: int = 30,
    include_same_day: bool = False,
) -> bool:
    """Прил. 1, код 4.0: «повторная госпитализация (30 календарных дней со дня завершения лечения
    в стационаре)». True when the new admission is 1 to 30 calendar days after the discharge
    date (C1: the term starts the day after the discharge). An admission on the discharge day
    itself (a same-day transfer, day 0) counts only with ``include_same_day=True``; an admission
    before the discharge (overlapping stays) never does. Readings C7 and S1; the screening rule
    ``repeat_hospitalization`` takes the same two parameters from ``data/screening.yaml``."""
    gap = (admitted_on - discharged_on).days
    return (0 if include_same_day else 1) <= gap <= days


def repeat_call_within_24h(
    first_call_at: dt.datetime, repeat_call_at: dt.datetime, *, hours: int = 24
) -> bool:
    """Прил. 1, код 6.12: «Повторный вызов скорой помощи в течение 24 часов к одному и тому же
    пациенту». True when the repeat call is after the first and at most 24 hours later
    (exactly 24 h 00 min counts; readings C7 and S2)."""
    delta = repeat_call_at - first_call_at
    return dt.timedelta(0) < delta <= dt.timedelta(hours=hours)


def kdu_wait_exceeded(
    referred_on: dt.date,
    served_on: dt.date,
    *,
    workdays: int = 10,
    cal: WorkCalendar | None = None,
) -> bool:
    """Прил. 1, код 7.1: «Длительность ожидания КДУ услуг более 10 рабочих дней». The wait is
    counted in working days after the referral (C1, C2): served on or before the 10th working
    day after the referral is in time."""
    return served_on > _cal(cal).add_workdays(referred_on, workdays)


def kdu_wait_exceeded_array(
    referred_on: npt.NDArray[np.datetime64],
    served_on: npt.NDArray[np.datetime64],
    *,
    workdays: int = 10,
    cal: WorkCalendar | None = None,
) -> npt.NDArray[np.bool_]:
    """Vectorised ``kdu_wait_exceeded`` over ``datetime64[D]`` arrays (code 7.1)."""
    limit = _cal(cal).add_workdays_array(referred_on, workdays)
    return np.asarray(served_on).astype("datetime64[D]") > limit


# --------------------------------------------------------------------------- п. 36 timeline


class StepStatus(StrEnum):
    MET = "met"  # done on or before the due date
    LATE = "late"  # done after the due date
    PENDING = "pending"  # not done yet, still in time (or no "today" given)
    OVERDUE = "overdue"  # not done and the due date has passed
    WAITING = "waiting"  # the event that starts the term has not happened yet
    NOT_NEEDED = "not_needed"  # the step does not arise (e.g. no objection was made)


@dataclass(frozen=True, slots=True)
class ObjectionStep:
    name: str
    reference: str
    description: str
    due: dt.date | None
    done_on: dt.date | None
    status: StepStatus
    deadline: Deadline | None = None
    decision: str | None = None  # a review's decision on the potential defect (2026 chains)


@dataclass(frozen=True, slots=True)
class ObjectionTimeline:
    """An objection procedure (п. 36 of 2022; п. 23–38 or 40–47 of 2026) laid out from the
    events known so far."""

    steps: tuple[ObjectionStep, ...]
    outcome: str
    accepted_by_silence: bool
    notes: tuple[str, ...] = field(default=())
    edition: str = ""  # the edition whose procedure this is (in force on the first event, E11)
    name: str = ""  # the procedure: conclusion (2022, п. 36), potential_defect, death_case (2026)
    result: Decision | None = None  # 2026: what became of the potential defect, once decided

    @property
    def calendar_provisional(self) -> bool:
        """Whether a step's term used a day of a provisional calendar year."""
        return any(st.deadline is not None and st.deadline.calendar_provisional for st in self.steps)

    @property
    def calendar_notes(self) -> tuple[str, ...]:
        """The provisional-calendar notes of the steps, each once."""
        return tuple(
            dict.fromkeys(
                st.deadline.calendar_note
                for st in self.steps
                if st.deadline is not None and st.deadline.calendar_provisional
            )
        )


def _step(
    name: str,
    d: Deadline | None,
    done_on: dt.date | None,
    today: dt.date | None,
    reference: str,
    description: str,
) -> ObjectionStep:
    if d is None:
        return ObjectionStep(name, reference, description, None, done_on, StepStatus.WAITING)
    if done_on is not None:
        status = StepStatus.MET if d.met_by(done_on) else StepStatus.LATE
    elif today is not None and today > d.due:
        status = StepStatus.OVERDUE
    else:
        status = StepStatus.PENDING
    return ObjectionStep(name, d.reference, d.description, d.due, done_on, status, d)


def objection_timeline(
    signed_on: dt.date,
    *,
    delivered_on: dt.date | None = None,
    objection_on: dt.date | None = None,
    council_decided_on: dt.date | None = None,
    decision_sent_on: dt.date | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """Lay out the objection procedure of п. 36 (with п. 13/31 for the delivery).

    Events (each optional except ``signed_on``): the conclusion signed; delivered to (received
    by) the provider; the provider's objection (``objection_on``: the day it was sent, which
    is also taken as the day the branch received it, reading C6); the expert council's
    decision; the decision sent to the provider. ``today`` lets steps not done yet be marked
    overdue. On silence the conclusion counts as accepted: «При непредоставлении поставщиком
    возражений в установленный срок, заключение считается согласованным и принятым
    поставщиком» (п. 36). This is the procedure of the 2022 edition: every step uses the
    edition in force on ``signed_on`` (or ``edition``), and under the 2026 edition, whose
    objections run from the signing (п. 56–58), it raises TimelineNotInEditionError naming
    the editions that have it (the 2026 procedures: :func:`potential_defect_timeline`,
    :func:`death_case_timeline`). ``lang`` (ru, kk, en) picks the steps' descriptions (E15).
    """
    from .timeline import timeline_spec  # the module imports this one

    if lang not in LANGS:
        raise UnknownLanguageError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    # the whole procedure follows the edition in force on the day of signing (reading E11)
    ped, _ = timeline_spec("conclusion", signed_on, edition)
    tl = _objection_timeline(
        signed_on,
        delivered_on=delivered_on,
        objection_on=objection_on,
        council_decided_on=council_decided_on,
        decision_sent_on=decision_sent_on,
        today=today,
        edition=ped.id,
        cal=cal,
    )
    labels = [ped.label(st.name, lang) for st in tl.steps]
    steps = tuple(
        dataclasses.replace(st, description=lb.text) for st, lb in zip(tl.steps, labels, strict=True)
    )
    notes = tl.notes + tuple(dict.fromkeys(lb.note for lb in labels if lb.note and lang == "kk"))
    return dataclasses.replace(tl, steps=steps, notes=notes, edition=ped.id, name="conclusion")


def _objection_timeline(
    signed_on: dt.date,
    *,
    delivered_on: dt.date | None,
    objection_on: dt.date | None,
    council_decided_on: dt.date | None,
    decision_sent_on: dt.date | None,
    today: dt.date | None,
    edition: str,
    cal: WorkCalendar | None,
) -> ObjectionTimeline:
    notes: list[str] = []
    delivery = conclusion_delivery(signed_on, edition=edition, cal=cal)
    steps = [_step("conclusion_delivery", delivery, delivered_on, today, "п. 13, 31 Правил", "")]
    objection_d = provider_objection(delivered_on, edition=edition, cal=cal) if delivered_on else None
    obj = _step(
        "provider_objection",
        objection_d,
        objection_on,
        today,
        "п. 36 Правил",
        "возражения поставщика — не позднее трех рабочих дней со дня получения заключения",
    )
    if objection_d is None and objection_on is not None:
        notes.append("the delivery date is unknown: the objection's timeliness cannot be judged")
    steps.append(obj)

    accepted = False
    if obj.status is StepStatus.OVERDUE:
        accepted = True
        outcome = (
            "no objection within 3 working days of receipt: the conclusion counts as agreed "
            "and accepted by the provider (п. 36)"
        )
    elif obj.status is StepStatus.LATE:
        accepted = True
        outcome = (
            "the objection came after the 3 working days: the conclusion counts as agreed and "
            "accepted by the provider (п. 36)"
        )
    elif objection_on is None:
        outcome = (
            "waiting for delivery of the conclusion (п. 13, 31)"
            if delivered_on is None
            else f"the provider may object until {obj.due} (п. 36); silence means acceptance"
        )
    else:
        outcome = "objection under review by the branch and the expert council (п. 36)"

    if accepted or (objection_on is None and obj.status is not StepStatus.PENDING):
        not_needed = StepStatus.NOT_NEEDED if accepted else StepStatus.WAITING
        for name, desc in (
            (
                "objection_review",
                "рассмотрение возражений филиалом и вынесение на экспертный совет",
            ),
            ("council_decision_notice", "направление решения экспертного совета поставщику"),
        ):
            steps.append(ObjectionStep(name, "п. 36 Правил", desc, None, None, not_needed))
    else:
        review_d = objection_review(objection_on, edition=edition, cal=cal) if objection_on else None
        steps.append(
            _step(
                "objection_review",
                review_d,
                council_decided_on,
                today,
                "п. 36 Правил",
                "рассмотрение возражений филиалом и вынесение на экспертный совет",
            )
        )
        notice_d = (
            council_decision_notice(council_decided_on, edition=edition, cal=cal)
            if council_decided_on
            else None
        )
        steps.append(
            _step(
                "council_decision_notice",
                notice_d,
                decision_sent_on,
                today,
                "п. 36 Правил",
                "направление решения экспертного совета поставщику",
            )
        )
        if council_decided_on is not None:
            notes.append("the review step is judged by the council's decision date (reading C6)")
        if decision_sent_on is not None:
            outcome = (
                "the expert council decided; if the provider disagrees, the results are "
                "appealed to the state body for medical services (п. 36)"
            )
        elif council_decided_on is not None:
            outcome = f"the council decided; the decision must reach the provider by {notice_d.due if notice_d else '?'} (п. 36)"
    return ObjectionTimeline(tuple(steps), outcome, accepted, tuple(notes))


# --------------------------------------------------------------------------- 2026 timelines
# (the module imports the names above, so it is imported last)
from .timeline import TIMELINES, chain_timeline  # noqa: E402

_T = TypeVar("_T")


def _given(**acts: _T | None) -> dict[str, _T]:
    """The steps whose act (a date, a decision) was given, by step name."""
    return {step: value for step, value in acts.items() if value is not None}


def potential_defect_timeline(
    detected_on: dt.date,
    *,
    objection_on: dt.date | None = None,
    review_decided_on: dt.date | None = None,
    review_decision: Decision | str | None = None,
    confirmation_received_on: dt.date | None = None,
    repeat_objection_on: dt.date | None = None,
    repeat_review_decided_on: dt.date | None = None,
    repeat_review_decision: Decision | str | None = None,
    central_sent_on: dt.date | None = None,
    central_decided_on: dt.date | None = None,
    central_decision: Decision | str | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """The 2026 procedure for a potential defect of current monitoring (п. 23–38 Правил).

    Steps (terms of data/procedure.yaml): п. 26 objection, five working days after the day of
    detection (silence: confirmed, п. 27); п. 30 its review, five working days after the day of
    detection (E8), deciding per п. 31; п. 32 repeat objection, three working days after the
    confirmation was received (``confirmation_received_on``, by default the review's day: the
    decision «доводится до поставщика посредством ИСФ», п. 31); п. 34 its review, three working
    days from the repeat objection (E9); п. 37 the central office, three working days from the
    referral (``central_sent_on``, by default the repeat review's day: the ИСФ sends it, п. 36;
    reading E16). Decisions: ``defect_rejected`` / ``defect_confirmed`` (or ``rejected`` /
    ``confirmed``). See :func:`osms_defects.deadlines.timeline.chain_timeline` for the statuses.
    """
    return chain_timeline(
        "potential_defect", detected_on,
        done=_given(
            potential_defect_objection=objection_on,
            potential_objection_review=review_decided_on,
            repeat_objection=repeat_objection_on,
            repeat_objection_review=repeat_review_decided_on,
            central_review=central_decided_on,
        ),
        decisions=_given(
            potential_objection_review=review_decision,
            repeat_objection_review=repeat_review_decision,
            central_review=central_decision,
        ),
        starts=_given(repeat_objection=confirmation_received_on, central_review=central_sent_on),
        today=today, edition=edition, lang=lang, cal=cal,
    )  # fmt: skip


def death_case_timeline(
    decision_received_on: dt.date,
    *,
    objection_on: dt.date | None = None,
    review_decided_on: dt.date | None = None,
    review_decision: Decision | str | None = None,
    confirmation_received_on: dt.date | None = None,
    sent_to_central_on: dt.date | None = None,
    central_decided_on: dt.date | None = None,
    central_decision: Decision | str | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """The 2026 procedure for deaths in hospital and infant deaths (п. 40–47 Правил).

    Starts on the day the branch's decision confirming the potential defect (п. 43) reached the
    provider. Steps: п. 44 objection, five working days (silence: confirmed, п. 44 ч. 2); п. 45
    its review, three working days from the objection (E9); п. 46 the case sent to the central
    office, three working days after the confirmation was received (by default the review's
    day); п. 47 the central office, three working days from the sending (E9).
    """
    return chain_timeline(
        "death_case", decision_received_on,
        done=_given(
            death_case_objection=objection_on,
            death_case_objection_review=review_decided_on,
            death_case_repeat_objection=sent_to_central_on,
            death_case_central_review=central_decided_on,
        ),
        decisions=_given(
            death_case_objection_review=review_decision,
            death_case_central_review=central_decision,
        ),
        starts=_given(death_case_repeat_objection=confirmation_received_on),
        today=today, edition=edition, lang=lang, cal=cal,
    )  # fmt: skip


#: the acts of the 2022 chain (п. 36) by step, as objection_timeline's keywords
_CONCLUSION_2022 = {
    "conclusion_delivery": "delivered_on",
    "provider_objection": "objection_on",
    "objection_review": "council_decided_on",
    "council_decision_notice": "decision_sent_on",
}


def timeline(
    start: dt.date,
    name: str | None = None,
    *,
    done: Mapping[str, dt.date] | None = None,
    decisions: Mapping[str, Decision | str] | None = None,
    starts: Mapping[str, dt.date] | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """The objection procedure ``name`` from ``start`` under the edition in force on it (or
    ``edition``); without ``name``, the edition's first procedure: ``conclusion`` (п. 36) in
    2022, ``potential_defect`` (п. 23–38) in 2026. ``done``, ``decisions`` and ``starts`` are
    keyed by step (term) name, as in :func:`chain_timeline`."""
    from .timeline import timeline_spec

    if name is None:
        from .timeline import _edition_on

        ped = load_procedure().edition(_edition_on("timeline", start, edition))
        if ped is None or not ped.timelines:
            raise TimelineInputError(f"no objection procedure in the data for {start.isoformat()}")
        name = ped.timelines[0].name
    if name == "conclusion":
        ped, _ = timeline_spec(name, start, edition)
        done = dict(done or {})
        for what, given in (("decisions", decisions), ("start dates", starts)):
            if given:
                raise TimelineInputError(
                    f"timeline conclusion (п. 36, edition {ped.id}) takes no {what}; its acts "
                    "are dates for: " + ", ".join(_CONCLUSION_2022)
                )
        bad = [k for k in done if k not in _CONCLUSION_2022]
        if bad:
            raise TimelineInputError(
                f"timeline conclusion: unknown step(s) {', '.join(bad)}; its steps are: "
                + ", ".join(_CONCLUSION_2022)
            )
        kw = {_CONCLUSION_2022[k]: v for k, v in done.items()}
        return objection_timeline(start, today=today, edition=ped.id, lang=lang, cal=cal, **kw)
    return chain_timeline(
        name, start, done=done, decisions=decisions, starts=starts, today=today,
        edition=edition, lang=lang, cal=cal,
    )  # fmt: skip
