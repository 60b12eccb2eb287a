"""Every term (срок) of the Rules as a deadline, and the terms that define defects.

Each function returns a ``Deadline``: the due date, the paragraph of the Rules (order
ҚР ДСМ-321/2020 in the edition of ҚР ДСМ-105, 2022), a one-line description, and the term and
counting rule that produced it. The counting rules are explicit parameters (readings C1–C4 in
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

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from dateutil.relativedelta import relativedelta

from .calendar import WorkCalendar, kazakhstan
from .errors import BadPeriodError, UnknownDeadlineError

__all__ = [
    "DEADLINES",
    "Deadline",
    "ObjectionStep",
    "ObjectionTimeline",
    "StepStatus",
    "TermUnit",
    "conclusion_delivery",
    "council_decision_notice",
    "deadline",
    "kdu_wait_exceeded",
    "kdu_wait_exceeded_array",
    "late_death_registration",
    "maternal_death_conclusion",
    "monitoring_report",
    "mortality_objection",
    "objection_review",
    "objection_timeline",
    "proactive_remedy",
    "provider_objection",
    "readmission_within_30_days",
    "repeat_call_within_24h",
    "suspension_notice",
    "targeted_notice",
    "unplanned_notice",
    "visit_last_day",
]


class TermUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A term of the Rules applied to a date.

    ``due`` is the last day on which the act is still in time. ``counted_from`` is the event
    date the term runs from (or, for "not less than N days before", the start it precedes).
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

    def met_by(self, done_on: dt.date) -> bool:
        """Whether an act done on ``done_on`` meets the term (on or before ``due``)."""
        return done_on <= self.due

    def __str__(self) -> str:
        return f"{self.name}: {self.due.isoformat()} ({self.reference}: {self.description})"


def _cal(cal: WorkCalendar | None) -> WorkCalendar:
    return cal if cal is not None else kazakhstan()


def _working_days_after(
    name: str,
    event: dt.date,
    n: int,
    reference: str,
    description: str,
    *,
    start_next_day: bool,
    cal: WorkCalendar | None,
) -> Deadline:
    c = _cal(cal)
    if start_next_day:
        # C1 + C2: the event day is not counted; the n-th working day after it
        due = c.add_workdays(event, n)
        rule = f"{n}-й рабочий день после {event.isoformat()} (день события не считается)"
    else:
        # the event day counts as the first day when it is a working day
        due = c.add_workdays(event, n - 1) if c.is_workday(event) else c.add_workdays(event, n)
        rule = f"{n}-й рабочий день, считая день события {event.isoformat()}"
    return Deadline(name, due, reference, description, event, n, TermUnit.WORKING_DAYS, rule)


def _roll(c: WorkCalendar, due: dt.date, roll_to_workday: bool) -> tuple[dt.date, bool]:
    if roll_to_workday and not c.is_workday(due):
        return c.roll_forward(due), True
    c.is_workday(due)  # a due date outside the calendar is still an error, never a guess
    return due, False


# --------------------------------------------------------------------------- the terms


def conclusion_delivery(
    signed_on: dt.date, *, start_next_day: bool = True, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 13, 31 Правил: the conclusion is sent to the provider within two working days.

    «…один из которых направляется поставщику в течение двух рабочих дней с даты подписания»
    """
    return _working_days_after(
        "conclusion_delivery",
        signed_on,
        2,
        "п. 13, 31 Правил",
        "заключение направляется поставщику в течение двух рабочих дней с даты подписания",
        start_next_day=start_next_day,
        cal=cal,
    )


def provider_objection(
    received_on: dt.date, *, start_next_day: bool = True, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 36 Правил (ч. 1): the provider's objections within three working days of receipt.

    «…поставщик направляет возражения в адрес филиала фонда не позднее трех рабочих дней со
    дня получения заключения…». On silence: «При непредоставлении поставщиком возражений в
    установленный срок, заключение считается согласованным и принятым поставщиком.»
    """
    return _working_days_after(
        "provider_objection",
        received_on,
        3,
        "п. 36 Правил",
        "возражения поставщика — не позднее трех рабочих дней со дня получения заключения",
        start_next_day=start_next_day,
        cal=cal,
    )


def objection_review(
    objection_received_on: dt.date,
    *,
    start_next_day: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 36 Правил (ч. 3): the branch reviews the objections within 3 working days.

    «Филиал фонда рассматривает представленные возражения в течение 3 (трех) рабочих дней и
    выносит на экспертный совет.»
    """
    return _working_days_after(
        "objection_review",
        objection_received_on,
        3,
        "п. 36 Правил",
        "филиал фонда рассматривает возражения в течение 3 рабочих дней и выносит на экспертный совет",
        start_next_day=start_next_day,
        cal=cal,
    )


def council_decision_notice(
    decided_on: dt.date, *, start_next_day: bool = True, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 36 Правил (ч. 4): the expert council's decision reaches the provider in 3 working days.

    «После принятия экспертным советом решения в течение 3 (трех) рабочих дней филиал фонда
    направляет данное решение поставщику.»
    """
    return _working_days_after(
        "council_decision_notice",
        decided_on,
        3,
        "п. 36 Правил",
        "решение экспертного совета направляется поставщику в течение 3 рабочих дней",
        start_next_day=start_next_day,
        cal=cal,
    )


def suspension_notice(
    effective_on: dt.date, *, start_next_day: bool = True, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 43 Правил: notice of suspension or extension of monitoring within 3 working days.

    «Уведомление поставщику о приостановлении или продлении мониторинга … предоставляется в
    течение 3 рабочих дней с даты вступления решения в силу суда или постановления главного и
    (или) государственного санитарного врача.»
    """
    return _working_days_after(
        "suspension_notice",
        effective_on,
        3,
        "п. 43 Правил",
        "уведомление о приостановлении или продлении мониторинга — в течение 3 рабочих дней",
        start_next_day=start_next_day,
        cal=cal,
    )


def _notice_before(
    name: str,
    starts_on: dt.date,
    n: int,
    reference: str,
    description: str,
    cal: WorkCalendar | None,
) -> Deadline:
    # C4: «не менее чем за N рабочих дней» — the latest notice day is the N-th working day
    # before the start, the start day itself not counted.
    c = _cal(cal)
    due = c.add_workdays(starts_on, -n)
    rule = f"{n}-й рабочий день до начала {starts_on.isoformat()} (день начала не считается)"
    return Deadline(name, due, reference, description, starts_on, n, TermUnit.WORKING_DAYS, rule)


def unplanned_notice(starts_on: dt.date, *, cal: WorkCalendar | None = None) -> Deadline:
    """п. 51 Правил: the latest day to notify an unplanned monitoring (1 working day before).

    «Уведомление поставщику о предстоящем проведении внепланового мониторинга предоставляется
    не менее чем за 1 рабочий день.»
    """
    return _notice_before(
        "unplanned_notice",
        starts_on,
        1,
        "п. 51 Правил",
        "уведомление о внеплановом мониторинге — не менее чем за 1 рабочий день",
        cal,
    )


def targeted_notice(starts_on: dt.date, *, cal: WorkCalendar | None = None) -> Deadline:
    """п. 64 Правил: the latest day to notify a targeted monitoring (5 working days before).

    «Уведомление о предстоящем проведении целевого мониторинга предоставляется поставщику не
    менее чем за пять рабочих дней.»
    """
    return _notice_before(
        "targeted_notice",
        starts_on,
        5,
        "п. 64 Правил",
        "уведомление о целевом мониторинге — не менее чем за пять рабочих дней",
        cal,
    )


def visit_last_day(starts_on: dt.date, *, cal: WorkCalendar | None = None) -> Deadline:
    """п. 29 Правил: a monitoring visit lasts at most ten working days, the first day counted.

    «Мониторинг качества и объема медицинских услуг с посещением поставщика проводится не более
    десяти рабочих дней.» A visit is counted from its first working day (a visit that starts
    on a non-working day is counted from the next working day).
    """
    c = _cal(cal)
    first = c.roll_forward(starts_on)
    due = c.add_workdays(first, 9)
    return Deadline(
        "visit_last_day",
        due,
        "п. 29 Правил",
        "мониторинг с посещением поставщика — не более десяти рабочих дней",
        starts_on,
        10,
        TermUnit.WORKING_DAYS,
        f"10-й рабочий день, считая первый день посещения {first.isoformat()}",
    )


def proactive_remedy(
    signed_on: dt.date,
    *,
    start_next_day: bool = True,
    roll_to_workday: bool = True,
    cal: WorkCalendar | None = None,
) -> Deadline:
    """п. 58 Правил: defects found by proactive monitoring are remedied within 45 calendar days.

    «Устранение выявленных дефектов … проводится поставщиком в течение 45 (сорока пяти)
    календарных дней, со дня подписания заключения по результатам проактивного мониторинга.»
    """
    c = _cal(cal)
    raw = signed_on + dt.timedelta(days=45 if start_next_day else 44)
    due, rolled = _roll(c, raw, roll_to_workday)
    rule = (
        f"45 календарных дней {'после' if start_next_day else 'считая'} {signed_on.isoformat()}"
        + (f"; {raw.isoformat()} нерабочий — перенос на {due.isoformat()}" if rolled else "")
    )
    return Deadline(
        "proactive_remedy",
        due,
        "п. 58 Правил",
        "устранение дефектов проактивного мониторинга — в течение 45 календарных дней",
        signed_on,
        45,
        TermUnit.CALENDAR_DAYS,
        rule,
        rolled,
    )


def mortality_objection(
    provided_on: dt.date, *, start_next_day: bool = True, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 76 Правил: remarks or objections to a mortality conclusion within 5 working days.

    «…поставщик направляет в филиал фонда замечания и (или) возражения, в течение пяти рабочих
    дней со дня предоставления заключения.»
    """
    return _working_days_after(
        "mortality_objection",
        provided_on,
        5,
        "п. 76 Правил",
        "замечания и (или) возражения к заключению по летальности — в течение пяти рабочих дней",
        start_next_day=start_next_day,
        cal=cal,
    )


def maternal_death_conclusion(
    died_on: dt.date, *, roll_to_workday: bool = True, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 70 Правил: the maternal-death expertise conclusion reaches the Fund within two months.

    «…направляет заключение по экспертизе случаев материнской смертности фонду, в срок не более
    двух месяцев от даты смерти.» A term in months ends on the same day number of the last
    month (the last day of a shorter month), then C3.
    """
    c = _cal(cal)
    raw = died_on + relativedelta(months=2)
    due, rolled = _roll(c, raw, roll_to_workday)
    rule = f"два месяца от {died_on.isoformat()}: {raw.isoformat()}" + (
        f"; нерабочий день — перенос на {due.isoformat()}" if rolled else ""
    )
    return Deadline(
        "maternal_death_conclusion",
        due,
        "п. 70 Правил",
        "заключение по экспертизе материнской смертности — не более двух месяцев от даты смерти",
        died_on,
        2,
        TermUnit.MONTHS,
        rule,
        rolled,
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
    period: str, *, roll_to_workday: bool = True, cal: WorkCalendar | None = None
) -> Deadline:
    """п. 32 Правил (and п. 39 for the quarterly information): reports by the 30th of the month
    following the period.

    п. 32: «…с периодичностью квартал, полугодие и год, которые направляются … до 30 числа
    месяца, следующего за отчетным периодом.» п. 39: «Фонд ежеквартально, до 30 числа
    следующего за отчетным периодом, направляет…». Reading C5: «до 30 числа» includes the 30th.
    """
    c = _cal(cal)
    end = period_end(period)
    raw = (end + dt.timedelta(days=1)).replace(day=30)  # no period ends in January
    due, rolled = _roll(c, raw, roll_to_workday)
    quarterly = "Q" in period.upper()
    rule = f"30 число месяца после {end.isoformat()}: {raw.isoformat()}" + (
        f"; нерабочий день — перенос на {due.isoformat()}" if rolled else ""
    )
    return Deadline(
        "monitoring_report",
        due,
        "п. 32, 39 Правил" if quarterly else "п. 32 Правил",
        "отчет о результатах мониторинга — до 30 числа месяца, следующего за отчетным периодом",
        end,
        30,
        TermUnit.CALENDAR_DAYS,
        rule,
        rolled,
    )


# --------------------------------------------------------------------------- by name

DateDeadline = Callable[[dt.date], Deadline]

#: every term that takes one date, by name (``osms-defects deadline NAME DATE``)
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


def deadline(name: str, when: dt.date | str) -> Deadline:
    """A deadline by name: a date for the terms of ``DEADLINES``, a period for
    ``monitoring_report``. Unknown names raise ``UnknownDeadlineError`` listing the allowed."""
    key = name.strip().lower().replace("-", "_")
    if key == "monitoring_report":
        return monitoring_report(when if isinstance(when, str) else str(when.year))
    if key not in DEADLINES:
        allowed = ", ".join([*DEADLINES, "monitoring_report"])
        raise UnknownDeadlineError(f"unknown deadline {name!r}; allowed: {allowed}")
    if isinstance(when, str):
        try:
            when = dt.date.fromisoformat(when)
        except ValueError:
            raise BadPeriodError(
                f"{when!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-05-02"
            ) from None
    return DEADLINES[key](when)


# --------------------------------------------------------------------------- defect terms


def late_death_registration(died_on: dt.date, registered_on: dt.date, *, days: int = 10) -> bool:
    """Прил. 1, код 2.3: «Несвоевременная регистрация сведений смерти, позднее 10 дней с момента
    смерти больного». Registered on the 10th calendar day after death is in time (C1: the day
    of death is not counted); the 11th is late."""
    return (registered_on - died_on).days > days


def readmission_within_30_days(discharged_on: dt.date, admitted_on: dt.date) -> bool:
    """Прил. 1, код 4.0: «повторная госпитализация (30 календарных дней со дня завершения лечения
    в стационаре)». True when the new admission is on the day of discharge or within the 30
    calendar days after it (C1: the discharge day is not counted in the 30). An admission
    before the discharge is not a readmission (overlapping stays)."""
    return 0 <= (admitted_on - discharged_on).days <= 30


def repeat_call_within_24h(first_call_at: dt.datetime, repeat_call_at: dt.datetime) -> bool:
    """Прил. 1, код 6.12: «Повторный вызов скорой помощи в течение 24 часов к одному и тому же
    пациенту». True when the repeat call is after the first and at most 24 hours later."""
    delta = repeat_call_at - first_call_at
    return dt.timedelta(0) < delta <= dt.timedelta(hours=24)


def kdu_wait_exceeded(
    referred_on: dt.date, served_on: dt.date, *, cal: WorkCalendar | None = None
) -> bool:
    """Прил. 1, код 7.1: «Длительность ожидания КДУ услуг более 10 рабочих дней». The wait is
    counted in working days after the referral (C1, C2): served on or before the 10th working
    day after the referral is in time."""
    return served_on > _cal(cal).add_workdays(referred_on, 10)


def kdu_wait_exceeded_array(
    referred_on: npt.NDArray[np.datetime64],
    served_on: npt.NDArray[np.datetime64],
    *,
    cal: WorkCalendar | None = None,
) -> npt.NDArray[np.bool_]:
    """Vectorised ``kdu_wait_exceeded`` over ``datetime64[D]`` arrays (code 7.1)."""
    limit = _cal(cal).add_workdays_array(referred_on, 10)
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


@dataclass(frozen=True, slots=True)
class ObjectionTimeline:
    """The objection procedure of п. 36 laid out from the events known so far."""

    steps: tuple[ObjectionStep, ...]
    outcome: str
    accepted_by_silence: bool
    notes: tuple[str, ...] = field(default=())


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
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """Lay out the objection procedure of п. 36 (with п. 13/31 for the delivery).

    Events (each optional except ``signed_on``): the conclusion signed; delivered to (received
    by) the provider; the provider's objection (``objection_on``: the day it was sent, which
    is also taken as the day the branch received it, reading C6); the expert council's
    decision; the decision sent to the provider. ``today`` lets steps not done yet be marked
    overdue. On silence the conclusion counts as accepted: «При непредоставлении поставщиком
    возражений в установленный срок, заключение считается согласованным и принятым
    поставщиком» (п. 36).
    """
    notes: list[str] = []
    delivery = conclusion_delivery(signed_on, cal=cal)
    steps = [_step("conclusion_delivery", delivery, delivered_on, today, "п. 13, 31 Правил", "")]
    objection_d = provider_objection(delivered_on, cal=cal) if delivered_on else None
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
        review_d = objection_review(objection_on, cal=cal) if objection_on else None
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
            council_decision_notice(council_decided_on, cal=cal) if council_decided_on else None
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
