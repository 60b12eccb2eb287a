"""Every term (срок) of the Rules as a deadline, by edition, and the terms that define defects.

A term is a property of an edition of the Rules (``data/procedure.yaml``): each function takes
the date it counts from, finds the edition in force on that date (the classifier's editions
and periods, reading E6) — or the one named by ``edition=`` — and applies that edition's term.
A term the edition does not have raises ``TermNotInEditionError`` naming the editions that
have it (the proactive remedy of п. 58 of 2022 under the 2026 edition, which has no proactive
monitoring: п. 4); a date with no edition in the data raises the classifier's
``EditionGapError`` / ``NoEditionError`` naming the missing orders — never a neighbour's term.

The package, one concept per module: :mod:`.deadline` (the ``Deadline`` type),
:mod:`.counting` (the counting rules C1–C5), :mod:`.terms` (one factory for every term of
every edition), :mod:`.defect_terms` (the terms that define defects of Annex 1, thresholds by
edition), :mod:`.timeline` (one engine for every objection procedure), :mod:`.procedure` (the
data file).

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

from .counting import apply_term, default_calendar, period_end
from .deadline import Deadline, days_off_between
from .defect_terms import (
    kdu_wait_exceeded,
    kdu_wait_exceeded_array,
    late_death_registration,
    readmission_within_30_days,
    repeat_call_within_24h,
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
from .terms import (
    DEADLINES,
    TERM_FUNCTIONS,
    TERMS,
    TermFunction,
    central_review,
    conclusion_delivery,
    conclusion_objection,
    council_decision_notice,
    deadline,
    death_case_central_review,
    death_case_objection,
    death_case_objection_review,
    death_case_repeat_objection,
    hidden_defect_notice,
    law_enforcement_information,
    maternal_death_conclusion,
    monitoring_report,
    mortality_objection,
    objection_review,
    potential_defect_objection,
    potential_objection_review,
    proactive_remedy,
    provider_objection,
    refund,
    repeat_objection,
    repeat_objection_review,
    suspension_notice,
    targeted_notice,
    term,
    unplanned_notice,
    unplanned_termination_notice,
    violation_information,
    visit_last_day,
    visit_notice,
)
from .timeline import (
    TIMELINES,
    ObjectionStep,
    ObjectionTimeline,
    StepStatus,
    chain_timeline,
    death_case_timeline,
    objection_timeline,
    potential_defect_timeline,
    timeline,
)

__all__ = [
    "DEADLINES",
    "LANGS",
    "TERMS",
    "TERM_FUNCTIONS",
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
    "TermFunction",
    "TermUnit",
    "apply_term",
    "central_review",
    "chain_timeline",
    "conclusion_delivery",
    "conclusion_objection",
    "council_decision_notice",
    "days_off_between",
    "deadline",
    "death_case_central_review",
    "death_case_objection",
    "death_case_objection_review",
    "death_case_repeat_objection",
    "death_case_timeline",
    "default_calendar",
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
    "period_end",
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
    "term_names",
    "timeline",
    "unplanned_notice",
    "unplanned_termination_notice",
    "violation_information",
    "visit_last_day",
    "visit_notice",
]
