"""The terms that define defects of Annex 1 (Прил. 1), as predicates: a readmission within 30
days (код 4.0), a repeat emergency call within 24 hours (6.12, 2022), a death registered late
(2.3, 2022), a wait for services of more than N working days (7.1 of 2022: 10; 7.0 of 2026: 15).

The thresholds belong to the edition of Annex 1 (reading S7): each predicate takes them from the
screening data (``data/screening.yaml``, the same numbers the screening rules use) for the
edition named by ``edition=`` or in force on ``detected_on`` (R4); an explicit threshold
(``days=``, ``hours=``, ``workdays=``) overrides the data. An edition that has no code for the
rule raises ``ScreeningEditionError`` naming the reason.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import numpy as np
import numpy.typing as npt

from ..calendar import WorkCalendar
from ..errors import ScreeningEditionError
from .counting import default_calendar


def _rule(rule_id: str, edition: str | None, on: dt.date) -> Any:
    """The screening rule ``rule_id`` as it runs under ``edition`` (or the edition in force on
    ``on``): its code and thresholds."""
    from ..classifier import load_classifier

    clf = load_classifier()
    ed = clf.edition(id=edition) if edition is not None else clf.edition(on=on)
    return _edition_rule(rule_id, ed.id)


@functools.lru_cache(maxsize=64)
def _edition_rule(rule_id: str, edition_id: str) -> Any:
    """Resolved once per (rule, edition) — its thresholds do not depend on the date: a
    predicate called row by row does not validate the rules again."""
    from ..classifier import load_classifier
    from ..screening.rules import load_rules

    start = load_classifier().edition(id=edition_id).in_force.from_
    rules = load_rules().for_edition(edition_id, start)
    if rule_id not in rules.rules:
        why = next((n.reason for n in rules.not_applicable if n.rule == rule_id), "")
        raise ScreeningEditionError(
            f"edition {edition_id} of Annex 1 has no code for {rule_id}: {why}".rstrip(": ")
        )
    return rules.rules[rule_id]


def late_death_registration(
    died_on: dt.date,
    registered_on: dt.date,
    *,
    days: int | None = None,
    edition: str | None = None,
    detected_on: dt.date | None = None,
) -> bool:
    """Прил. 1 (2022), код 2.3: «Несвоевременная регистрация сведений смерти, позднее 10 дней с
    момента смерти больного». Registered on the ``days``-th calendar day after death is in time
    (C1: the day of death is not counted); the next is late. ``days`` from the edition's data
    (``max_days``) unless given."""
    limit = (
        days
        if days is not None
        else _rule("late_death_registration", edition, detected_on or registered_on).max_days
    )
    return (registered_on - died_on).days > limit


def readmission_within_30_days(
    discharged_on: dt.date,
    admitted_on: dt.date,
    *,
    days: int | None = None,
    include_same_day: bool = False,
    edition: str | None = None,
    detected_on: dt.date | None = None,
) -> bool:
    """Прил. 1, код 4.0: «повторная госпитализация (30 календарных дней со дня завершения лечения
    в стационаре)». True when the new admission is 1 to ``days`` calendar days after the
    discharge date (C1: the term starts the day after the discharge). An admission on the
    discharge day itself (a same-day transfer, day 0) counts only with ``include_same_day=True``;
    an admission before the discharge (overlapping stays) never does. Readings C7 and S1;
    ``days`` from the edition's data (``window_days``) unless given."""
    window = (
        days
        if days is not None
        else _rule("repeat_hospitalization", edition, detected_on or admitted_on).window_days
    )
    gap = (admitted_on - discharged_on).days
    return (0 if include_same_day else 1) <= gap <= window


def repeat_call_within_24h(
    first_call_at: dt.datetime,
    repeat_call_at: dt.datetime,
    *,
    hours: int | None = None,
    edition: str | None = None,
    detected_on: dt.date | None = None,
) -> bool:
    """Прил. 1 (2022), код 6.12: «Повторный вызов скорой помощи в течение 24 часов к одному и
    тому же пациенту». True when the repeat call is after the first and at most ``hours`` later
    (exactly 24 h 00 min counts; readings C7 and S2); ``hours`` from the edition's data
    (``window_hours``) unless given."""
    window = (
        hours
        if hours is not None
        else _rule(
            "repeat_emergency_call", edition, detected_on or repeat_call_at.date()
        ).window_hours
    )
    delta = repeat_call_at - first_call_at
    return dt.timedelta(0) < delta <= dt.timedelta(hours=window)


def _max_workdays(workdays: int | None, edition: str | None, on: dt.date) -> int:
    if workdays is not None:
        return workdays
    limit: int = _rule("long_wait_kdu", edition, on).max_workdays
    return limit


def kdu_wait_exceeded(
    referred_on: dt.date,
    served_on: dt.date,
    *,
    workdays: int | None = None,
    edition: str | None = None,
    detected_on: dt.date | None = None,
    cal: WorkCalendar | None = None,
) -> bool:
    """Прил. 1 (2022), код 7.1: «Длительность ожидания КДУ услуг более 10 рабочих дней»; Прил. 1
    (2026), код 7.0: «Длительность ожидания услуг более 15 рабочих дней». The wait is counted
    in working days after the referral (C1, C2): served on or before the N-th working day after
    the referral is in time. N (``max_workdays``) is the edition's — named by ``edition`` or in
    force on ``detected_on`` (default: the service day) — unless ``workdays`` is given."""
    limit = _max_workdays(workdays, edition, detected_on or served_on)
    return served_on > default_calendar(cal).add_workdays(referred_on, limit)


def kdu_wait_exceeded_array(
    referred_on: npt.NDArray[np.datetime64],
    served_on: npt.NDArray[np.datetime64],
    *,
    detected_on: dt.date,
    workdays: int | None = None,
    edition: str | None = None,
    cal: WorkCalendar | None = None,
) -> npt.NDArray[np.bool_]:
    """Vectorised ``kdu_wait_exceeded`` over ``datetime64[D]`` arrays; one edition for the
    batch, the one in force on ``detected_on`` (or ``edition``), as the screening does (R4)."""
    limit = _max_workdays(workdays, edition, detected_on)
    due = default_calendar(cal).add_workdays_array(referred_on, limit)
    return np.asarray(served_on).astype("datetime64[D]") > due
