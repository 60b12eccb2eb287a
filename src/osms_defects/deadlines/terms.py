"""Every term (срок) of the Rules as a function, by edition: ``term(name, event)`` finds the
edition in force on ``event`` (the classifier's editions and periods, reading E6) — or the one
named by ``edition=`` — and applies that edition's term from ``data/procedure.yaml`` by the
counting rules of :mod:`.counting`.

One factory makes every named function: the term's paragraph, amount and unit are data; the
docstring beside each name quotes the law it implements, so a reader checks one against the
other. A term the edition does not have raises ``TermNotInEditionError``; a date with no
edition raises ``EditionGapError`` / ``NoEditionError`` — never a neighbour's term.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Protocol

from ..calendar import WorkCalendar
from ..classifier import load_classifier
from ..errors import BadPeriodError, UnknownDeadlineError
from .counting import apply_term, period_end
from .deadline import Deadline
from .procedure import resolve_term, term_names


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
    d = apply_term(
        et, event, start_next_day=start_next_day, roll_to_workday=roll_to_workday, cal=cal
    )
    # readings E18–E20: the uncertain boundary of order No. 19, an amendment, a chosen edition
    notes = load_classifier().choose(event, edition)[1]
    return dataclasses.replace(d, edition_note="; ".join(notes)) if notes else d


class TermFunction(Protocol):
    """A named term: ``f(event, edition=None, start_next_day=True, roll_to_workday=None,
    cal=None)`` — the same signature for every term of every edition."""

    __name__: str

    def __call__(
        self,
        event: dt.date,
        *,
        edition: str | None = None,
        start_next_day: bool = True,
        roll_to_workday: bool | None = None,
        cal: WorkCalendar | None = None,
    ) -> Deadline: ...


def _term_function(name: str, doc: str) -> TermFunction:
    """The function of the term ``name`` (one factory for every term of every edition)."""

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


# --------------------------------------------------------------------------- the terms
# Each name is a term of data/procedure.yaml; the docstring quotes the paragraph(s) of the
# edition(s) that have it. The function applies whichever edition is in force (or given).


conclusion_delivery = _term_function(
    'conclusion_delivery',
    'The conclusion is sent to the provider within two working days of signing. 2022: п. 13, '
    '31 Правил «…один из которых направляется поставщику в течение двух рабочих дней с даты '
    'подписания»; 2026: п. 55 Правил «…направляется поставщику в течение 2 (двух) рабочих '
    'дней с даты подписания».',
)

provider_objection = _term_function(
    'provider_objection',
    "п. 36 Правил (2022, ч. 1): the provider's objections within three working days of "
    'receipt. «…поставщик направляет возражения в адрес филиала фонда не позднее трех рабочих'
    ' дней со дня получения заключения…». On silence: «При непредоставлении поставщиком '
    'возражений в установленный срок, заключение считается согласованным и принятым '
    'поставщиком.» The 2026 edition counts from the signing instead: '
    ':func:`conclusion_objection`.',
)

objection_review = _term_function(
    'objection_review',
    'The branch reviews the objections to a conclusion within 3 working days. 2022: п. 36 '
    'Правил (ч. 3) «Филиал фонда рассматривает представленные возражения в течение 3 (трех) '
    'рабочих дней и выносит на экспертный совет.» 2026: п. 58 Правил «Филиал Фонда '
    'рассматривает представленные возражения в течение 3 (трех) рабочих дней …».',
)

council_decision_notice = _term_function(
    'council_decision_notice',
    "п. 36 Правил (2022, ч. 4): the expert council's decision reaches the provider in 3 "
    'working days. «После принятия экспертным советом решения в течение 3 (трех) рабочих дней'
    ' филиал фонда направляет данное решение поставщику.»',
)

suspension_notice = _term_function(
    'suspension_notice',
    'Notice of suspension or extension of monitoring within 3 working days. 2022: п. 43 '
    'Правил «Уведомление поставщику о приостановлении или продлении мониторинга … '
    'предоставляется в течение 3 рабочих дней с даты вступления решения в силу суда …»; 2026:'
    ' п. 7 Правил «… в течение 3 (трех) рабочих дней с даты вступления решения суда в '
    'законную силу …».',
)

unplanned_notice = _term_function(
    'unplanned_notice',
    'п. 51 Правил (2022): the latest day to notify an unplanned monitoring (1 working day '
    'before). «Уведомление поставщику о предстоящем проведении внепланового мониторинга '
    'предоставляется не менее чем за 1 рабочий день.» (2026: the notice of a visit, '
    ':func:`visit_notice`.)',
)

targeted_notice = _term_function(
    'targeted_notice',
    'п. 64 Правил (2022): the latest day to notify a targeted monitoring (5 working days '
    'before). «Уведомление о предстоящем проведении целевого мониторинга предоставляется '
    'поставщику не менее чем за пять рабочих дней.»',
)

visit_last_day = _term_function(
    'visit_last_day',
    'п. 29 Правил (2022): a monitoring visit lasts at most ten working days, the first day '
    'counted. «Мониторинг качества и объема медицинских услуг с посещением поставщика '
    'проводится не более десяти рабочих дней.» A visit is counted from its first working day '
    '(a visit that starts on a non-working day is counted from the next working day).',
)

proactive_remedy = _term_function(
    'proactive_remedy',
    'п. 58 Правил (2022): defects found by proactive monitoring are remedied within 45 '
    'calendar days. «Устранение выявленных дефектов … проводится поставщиком в течение 45 '
    '(сорока пяти) календарных дней, со дня подписания заключения по результатам проактивного'
    ' мониторинга.» The 2026 edition has no proactive monitoring (п. 4): '
    'TermNotInEditionError.',
)

mortality_objection = _term_function(
    'mortality_objection',
    'п. 76 Правил (2022): remarks or objections to a mortality conclusion within 5 working '
    'days. «…поставщик направляет в филиал фонда замечания и (или) возражения, в течение пяти'
    ' рабочих дней со дня предоставления заключения.» (2026: :func:`death_case_objection`, п.'
    ' 44.)',
)

maternal_death_conclusion = _term_function(
    'maternal_death_conclusion',
    'п. 70 Правил (2022): the maternal-death expertise conclusion reaches the Fund within two'
    ' months. «…направляет заключение по экспертизе случаев материнской смертности фонду, в '
    'срок не более двух месяцев от даты смерти.» A term in months ends on the same day number'
    ' of the last month (the last day of a shorter month), then C3.',
)

visit_notice = _term_function(
    'visit_notice',
    "п. 7 Правил (2026), ч. 1: the latest day to notify a visit to the provider's base. "
    '«…Фонд направляет уведомление не менее чем за один рабочий день до даты посещения…» '
    '(C4).',
)

unplanned_termination_notice = _term_function(
    'unplanned_termination_notice',
    'п. 7 Правил (2026), ч. 3: «Уведомление о прекращении проведения внепланового мониторинга'
    ' предоставляется поставщику не позднее 1 (одного) рабочего дня с даты регистрации отзыва'
    ' обращения.» Event: the day the withdrawal was registered.',
)

violation_information = _term_function(
    'violation_information',
    'п. 17 Правил (2026): information on violations to the state body «в течение 10 рабочих '
    'дней со дня выявления». Event: the day of detection.',
)

law_enforcement_information = _term_function(
    'law_enforcement_information',
    'п. 19, 20 Правил (2026): information to the law-enforcement bodies «в течение десяти '
    'рабочих дней, с даты подписания заключения Фондом». Event: the day of signing.',
)

potential_defect_objection = _term_function(
    'potential_defect_objection',
    'п. 26 Правил (2026): «…поставщик в течение пяти рабочих дней, после дня их выявления, '
    'предоставляет в ИСФ возражение…»; without it the potential defect is confirmed (п. 27). '
    'Event: the day the potential defect was detected.',
)

potential_objection_review = _term_function(
    'potential_objection_review',
    'п. 30 Правил (2026): «Рассмотрение возражений по потенциальным дефектам … в течение пяти'
    ' рабочих дней, после дня их выявления.» Event: the day the defect was detected, as the '
    'text says (reading E8).',
)

repeat_objection = _term_function(
    'repeat_objection',
    'п. 32 Правил (2026): «…поставщик в течение трех рабочих дней, после дня получения '
    'подтверждения, направляет посредством ИСФ повторное возражение…». Event: the day the '
    'confirmation was received.',
)

repeat_objection_review = _term_function(
    'repeat_objection_review',
    'п. 34 Правил (2026): the repeat objection is decided «в течение трех рабочих дней». '
    'Event: the day it was sent (it reaches the reviewer the same day, п. 33; reading E9).',
)

central_review = _term_function(
    'central_review',
    'п. 37 Правил (2026): the central office of the Fund decides «в течение трех рабочих '
    'дней». Event: the day the case was sent to it (п. 36; reading E9).',
)

death_case_objection = _term_function(
    'death_case_objection',
    'п. 44 Правил (2026): deaths in hospital, infant deaths — «…поставщик в течение пяти '
    'рабочих дней предоставляет в ИСФ возражение…». Event: the day the decision of п. 43 '
    'reached the provider (reading E9).',
)

death_case_objection_review = _term_function(
    'death_case_objection_review',
    'п. 45 Правил (2026): «По результатам рассмотрения возражения в течение трех рабочих дней'
    ' работником филиала Фонда принимается одно из следующих решений». Event: the objection.',
)

death_case_repeat_objection = _term_function(
    'death_case_repeat_objection',
    'п. 46 Правил (2026): «…поставщик в течение трех рабочих дней, после дня получения '
    'подтверждения, направляет посредством ИСФ данный случай…» to the central office.',
)

death_case_central_review = _term_function(
    'death_case_central_review',
    'п. 47 Правил (2026): the central office decides a death case «в течение трех рабочих '
    'дней». Event: the day the case was sent to it (reading E9).',
)

hidden_defect_notice = _term_function(
    'hidden_defect_notice',
    'п. 53 Правил (2026): «Фонд извещает об этом поставщика в течение одного месяца с даты '
    'обнаружения скрытого недостатка». A term in months, then C3.',
)

refund = _term_function(
    'refund',
    'п. 53-1 Правил (2026): «Возврат средств осуществляется поставщиком в срок не позднее 6 '
    '(шести) месяцев с даты выявления факта неисполнения…». A term in months, then C3.',
)

conclusion_objection = _term_function(
    'conclusion_objection',
    'п. 56, 57 Правил (2026): the provider signs the conclusion with objections «в течение 3 '
    'рабочих дней»; «При непредставлении поставщиком возражений в течение 3 (трех) рабочих '
    'дней после подписания, заключение считается согласованным…». Event: the day the Fund '
    'signed (reading E7).',
)



#: the named term functions, by name (every edition)
TERM_FUNCTIONS: dict[str, TermFunction] = {
    'conclusion_delivery': conclusion_delivery,
    'provider_objection': provider_objection,
    'objection_review': objection_review,
    'council_decision_notice': council_decision_notice,
    'suspension_notice': suspension_notice,
    'unplanned_notice': unplanned_notice,
    'targeted_notice': targeted_notice,
    'visit_last_day': visit_last_day,
    'proactive_remedy': proactive_remedy,
    'mortality_objection': mortality_objection,
    'maternal_death_conclusion': maternal_death_conclusion,
    'visit_notice': visit_notice,
    'unplanned_termination_notice': unplanned_termination_notice,
    'violation_information': violation_information,
    'law_enforcement_information': law_enforcement_information,
    'potential_defect_objection': potential_defect_objection,
    'potential_objection_review': potential_objection_review,
    'repeat_objection': repeat_objection,
    'repeat_objection_review': repeat_objection_review,
    'central_review': central_review,
    'death_case_objection': death_case_objection,
    'death_case_objection_review': death_case_objection_review,
    'death_case_repeat_objection': death_case_repeat_objection,
    'death_case_central_review': death_case_central_review,
    'hidden_defect_notice': hidden_defect_notice,
    'refund': refund,
    'conclusion_objection': conclusion_objection,
}

#: the terms of the 2022 edition that take one date, by name (kept for compatibility; every
#: function finds the edition in force on its date)
DEADLINES: dict[str, TermFunction] = {
    'conclusion_delivery': conclusion_delivery,
    'provider_objection': provider_objection,
    'objection_review': objection_review,
    'council_decision_notice': council_decision_notice,
    'suspension_notice': suspension_notice,
    'unplanned_notice': unplanned_notice,
    'targeted_notice': targeted_notice,
    'visit_last_day': visit_last_day,
    'proactive_remedy': proactive_remedy,
    'mortality_objection': mortality_objection,
    'maternal_death_conclusion': maternal_death_conclusion,
}

#: every term of every edition (data/procedure.yaml), in order of first appearance
TERMS: tuple[str, ...] = tuple(term_names())



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
    d = apply_term(et, end, roll_to_workday=roll_to_workday, cal=cal)
    if "Q" in period.upper() and et.term.quarter_reference is not None:
        # the quarterly information shares the day (2022: п. 39), as the data says
        d = dataclasses.replace(d, reference=et.term.quarter_reference)
    return d



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
