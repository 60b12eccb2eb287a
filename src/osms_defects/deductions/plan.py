"""The plan of a deduction: everything the law says about a finding except its amounts and
dates — the one place that decides it, for every path (scalar, columnar, tables, CLI, reports).

``plan(edition, code, care_type, kind, defect_class, unremedied, penalties)`` gives a
:class:`Plan` (status, basis, factor, the full reference text, whether a remedy date is due and
by which term) or a :class:`Refusal` (the error kind and message). What differs between editions
is data (``data/procedure.yaml``, ``deduction`` of each edition; ``data/classifier.yaml``):

* the ground of a deduction (2022: п. 12, 30; the Rules as rewritten by order No. 68: п. 10);
* the kinds of monitoring of the edition (2022, п. 18: five; 2025/2026, п. 4: two) — reading D9;
* proactive monitoring (2022 only): п. 54 — no deduction «за исключением случаев выявления
  дефектов 3.0 …, 5.0 …, 8.0 …»; п. 58 — the remedy term; п. 59 — deducted when not remedied;
* the classes of defects (order No. 68, п. 11–14): a general defect is recorded, never deducted
  (п. 12: «Применение общих дефектов и нарушений не влияет на уменьшение суммы…»); reading D10;
* Прил. 1: the cell of the code and care type — basis × factor, "0" recorded, "-" not applicable.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from ..classifier import Basis, Edition, Penalty, group_of, normalize_code
from ..deadlines.procedure import DeductionRules, load_procedure
from ..errors import (
    DataFileError,
    DoubtfulCellError,
    EditionGapError,
    GroupCodeNotAssignableError,
    ImplausibleDateError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    PenaltyUndefinedError,
    Problem,
    ReadingRequiredError,
    UnknownCareTypeError,
    UnknownDefectCodeError,
)
from .model import DefectClass, ErrorKind, MonitoringKind, Status

__all__ = [
    "PenaltySource",
    "Plan",
    "Refusal",
    "class_reference",
    "deduction_rules",
    "error_kind_of",
    "kinds_in_force",
    "kinds_reference",
    "penalty_reference",
    "plan",
]

_CLASSIFIER_ERRORS: tuple[tuple[type[OsmsDefectsError], ErrorKind], ...] = (
    (ImplausibleDateError, ErrorKind.IMPLAUSIBLE_DATE),  # before NoEditionError, its base
    (DoubtfulCellError, ErrorKind.DOUBTFUL_CELL),
    (ReadingRequiredError, ErrorKind.READING_REQUIRED),
    (EditionGapError, ErrorKind.EDITION_GAP),
    (UnknownDefectCodeError, ErrorKind.UNKNOWN_CODE),
    (UnknownCareTypeError, ErrorKind.UNKNOWN_CARE_TYPE),
    (NotApplicableError, ErrorKind.NOT_APPLICABLE),
    (PenaltyUndefinedError, ErrorKind.PENALTY_UNDEFINED),
    (GroupCodeNotAssignableError, ErrorKind.GROUP_NOT_ASSIGNABLE),
    (NoEditionError, ErrorKind.NO_EDITION),
)


def error_kind_of(exc: OsmsDefectsError) -> ErrorKind:
    for cls, kind in _CLASSIFIER_ERRORS:
        if isinstance(exc, cls):
            return kind
    raise exc


@functools.cache
def deduction_rules(edition_id: str) -> DeductionRules:
    """The edition's ``deduction`` block of ``data/procedure.yaml``; an edition the procedure
    data does not describe is a data error, never another edition's rules."""
    ped = load_procedure().edition(edition_id)
    if ped is None:
        known = ", ".join(e.id for e in load_procedure().editions)
        raise DataFileError(
            "procedure.yaml",
            [
                Problem(
                    "data/procedure.yaml",
                    "editions",
                    f"classifier edition {edition_id!r} has no entry (its kinds of monitoring, "
                    f"terms and deduction rules); editions described: {known}",
                )
            ],
        )
    return ped.deduction


@functools.cache
def _kinds(edition_id: str) -> tuple[tuple[MonitoringKind, ...], str]:
    deduction_rules(edition_id)  # the same error for an edition without procedure data
    ped = load_procedure().edition(edition_id)
    assert ped is not None
    allowed = set(ped.kinds.ids)
    return tuple(k for k in MonitoringKind if k.value in allowed), ped.kinds.reference


def kinds_in_force(edition_id: str) -> list[MonitoringKind]:
    """The kinds of monitoring under the Rules in force with an edition (D9), in п. 18 order."""
    return list(_kinds(edition_id)[0])


def kinds_reference(edition_id: str) -> str:
    """The paragraph that lists an edition's kinds of monitoring (D9)."""
    return _kinds(edition_id)[1]


def class_reference(edition_id: str, defect_class: DefectClass | None) -> str | None:
    """The reference a finding's class adds under an edition (D10); None when the edition's
    Rules have no classes (then the class must not be given)."""
    classes = deduction_rules(edition_id).classes
    if classes is None:
        return None
    if defect_class is None:
        return classes.unstated
    return str(getattr(classes, defect_class.value))


def penalty_reference(pen: Penalty) -> str:
    """The Annex 1 cell of a penalty, with the reading accepted for a doubtful cell (E3, E4)."""
    extra = list(pen.accepted_doubt)
    if pen.reading:
        extra.append(f"E4: {pen.reading}")
    return pen.reference + "".join(f" [{e}]" for e in extra)


def is_proactive_exempt(edition_id: str, code: str) -> bool:
    """п. 54 (2022): codes of the exempt groups (3.0, 5.0, 8.0 with their sub-codes) deduct
    under proactive monitoring as under any other; False where the edition has none."""
    pro = deduction_rules(edition_id).proactive
    c = normalize_code(code)
    return pro is not None and (group_of(c) or c) in pro.exempt_groups


class PenaltySource(Protocol):
    """What a plan needs of a classifier: the cell of a code and care type, with the caller's
    readings of doubtful cells applied (``Resolver.penalty``)."""

    def penalty(self, ed: Edition, code: str, care_type: str) -> Penalty: ...


@dataclass(frozen=True, slots=True)
class Plan:
    """What a finding's deduction is, before its base amount and dates: the status (deducted,
    recorded, or a warning under proactive monitoring), the basis and factor of the cell, the
    references in order, which amount is the base, and the remedy term when one is due."""

    status: Status
    edition: str
    code: str
    care_type: str
    basis: Basis
    factor: Decimal
    references: tuple[str, ...]
    expenses: bool  # Прил. 1, код 11.0: the documented amount is the base (reading R3)
    remedy_term: str | None  # proactive outside the exempt groups: the term (п. 58)

    @property
    def reference(self) -> str:
        return "; ".join(self.references)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a finding cannot be computed under the edition: the error kind and the message, and
    what was known before the refusal (the cell, when it was found)."""

    kind: ErrorKind
    message: str
    basis: Basis | None = None
    factor: Decimal | None = None


def plan(
    ed: Edition,
    code: str,
    care_type: str,
    kind: MonitoringKind,
    defect_class: DefectClass | None,
    unremedied: bool,
    penalties: PenaltySource,
) -> Plan | Refusal:
    """The plan of a finding under edition ``ed`` (its kinds, classes and cells; п. 12, 30, 54,
    58, 59 of 2022; п. 10–14 of the Rules as rewritten by order No. 68; Прил. 1)."""
    rules = deduction_rules(ed.id)
    allowed = kinds_in_force(ed.id)
    if kind not in allowed:
        # D9: the Rules in force have no such kind of monitoring
        return Refusal(
            ErrorKind.KIND_NOT_IN_FORCE,
            f"monitoring kind {kind.value} ({kind.name_ru}) is not a kind of monitoring of the "
            f"Rules in force with classifier edition {ed.id}; allowed: "
            + ", ".join(f"{k.value} ({k.name_ru})" for k in allowed)
            + f" ({kinds_reference(ed.id)}; reading D9)",
        )
    if defect_class is not None and rules.classes is None:
        # D10: only Rules that class defects by how they are found take a class
        having = [e for e in load_procedure().editions if e.deduction.classes is not None]
        where = "; ".join(
            f"{e.deduction.classes.reference} (edition {e.id})"
            for e in having
            if e.deduction.classes is not None
        )
        return Refusal(
            ErrorKind.CLASS_NOT_IN_EDITION,
            f"defect_class {defect_class.value} ({defect_class.name_ru}) is not a class of "
            f"defects of the Rules in force with classifier edition {ed.id}: the classes "
            f"общие / потенциальные / дополнительные are those of {where or 'no edition'}; "
            "leave defect_class empty for this date (reading D10)",
        )
    try:
        pen = penalties.penalty(ed, code, care_type)
    except OsmsDefectsError as exc:
        return Refusal(error_kind_of(exc), str(exc))
    refs: list[str] = [penalty_reference(pen)]
    pro = rules.proactive if kind is MonitoringKind.PROACTIVE else None
    exempt = pro is not None and is_proactive_exempt(ed.id, code)
    warning = pro is not None and not exempt and not unremedied  # п. 54
    if pro is not None:
        if exempt:
            refs.append(pro.exempt_reference.format(group=group_of(code) or code))
        else:
            refs += [pro.reference, pro.remedy_reference]
            if unremedied:
                refs.append(pro.unremedied_reference)
    if not warning:
        refs.append(rules.reference)
    cref = class_reference(ed.id, defect_class)
    if cref is not None:
        refs.append(cref)
    # п. 12 (order No. 68): a general defect never reduces the payment; "0" cells record
    recorded = pen.basis is Basis.NONE or defect_class is DefectClass.GENERAL
    status = Status.WARNING if warning else Status.RECORDED if recorded else Status.DEDUCTED
    return Plan(
        status,
        ed.id,
        code,
        care_type,
        pen.basis,
        pen.factor,
        tuple(refs),
        pen.basis is Basis.PATIENT_EXPENSES,
        pro.remedy_term if pro is not None and not exempt else None,
    )
