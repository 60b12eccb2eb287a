"""The deduction rules, one finding at a time (the scalar path).

The law applied, beside the code that applies it:

* п. 12 / п. 30 Правил: «По результатам мониторинга качества и объема медицинских услуг
  выявляются дефекты оказания медицинской помощи, являющиеся основанием для уменьшения суммы,
  подлежащей оплате поставщику, в соответствии с Единым классификатором дефектов, по видам
  медицинской деятельности и видам медицинской помощи.»
* п. 34: «Выявленные дефекты ... учитываются при оплате в текущем периоде.»
* п. 54: «При проведении проактивного мониторинга, не проводятся мероприятия по уменьшению
  суммы, подлежащей оплате поставщику по выявленным дефектам оказания медицинской помощи, за
  исключением случаев выявления дефектов 3.0 с поддефектами (...), 5.0 с поддефектами (...),
  8.0 с поддефектами (Обоснованные жалобы) Единого классификатора дефектов.»
* п. 58: «Устранение выявленных дефектов ... проводится поставщиком в течение 45 (сорока пяти)
  календарных дней, со дня подписания заключения по результатам проактивного мониторинга.»
* п. 59: «При не устранении выявленных дефектов ... по истечении 45 (сорока пяти) календарных
  дней, фондом проводится уменьшение суммы, подлежащей оплате поставщику, в соответствии с
  Единым классификатором дефектов при проведении текущего (планового) мониторинга.»
* Прил. 1: amount = factor × base for КПН, ПН, КТ and % cells; "0" (group 2.0) records the
  defect and deducts nothing; code 11.0 deducts the documented expenses in full (reading R3).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Literal, NamedTuple, get_args

from ..classifier import (
    Basis,
    Classifier,
    Edition,
    Penalty,
    group_of,
    load_classifier,
    normalize_code,
)
from ..dates import EARLIEST_PLAUSIBLE, implausible_date, latest_plausible
from ..deadlines import proactive_remedy
from ..deadlines.procedure import load_procedure
from ..errors import (
    AmountSyntaxError,
    CalendarRangeError,
    DataFileError,
    DoubtfulCellError,
    EditionGapError,
    FindingError,
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
from .amounts import LIMIT, TIYN, check_amount, parse_amount, round_tenge
from .model import Deduction, DefectClass, ErrorKind, Finding, MonitoringKind, Status

CasePolicy = Literal["each", "max_per_case"]
CASE_POLICIES: tuple[str, ...] = ("each", "max_per_case")

#: п. 54: the groups whose defects deduct as usual under proactive monitoring
PROACTIVE_DEDUCTING_GROUPS: frozenset[str] = frozenset({"3.0", "5.0", "8.0"})


REF_DEDUCTION = "п. 12, 30"
#: the ground of a deduction in the Rules in force with each edition: п. 12, 30 of the 2022
#: Rules; п. 10 of the Rules as rewritten by order No. 68 («По результатам мониторинга в ИСФ
#: выявляются и присваиваются коды дефектов и нарушений в соответствии с Единым
#: классификатором дефектов и нарушений»)
REF_DEDUCTION_BY_EDITION: dict[str, str] = {"2026": "п. 10 Правил в ред. приказа № 68"}


def deduction_ref(edition_id: str) -> str:
    return REF_DEDUCTION_BY_EDITION.get(edition_id, REF_DEDUCTION)


REF_PROACTIVE = "п. 54"
REF_REMEDY = "п. 58"
REF_UNREMEDIED = "п. 59"

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


def kinds_in_force(edition_id: str) -> list[MonitoringKind]:
    """The kinds of monitoring under the Rules in force with a classifier edition (D9), in п. 18
    order, read from ``data/procedure.yaml`` (one place for the procedure of each edition: the
    2022 Rules, п. 18, have five; the Rules as rewritten by order No. 68 of 18.07.2025, п. 4,
    have two: «1) текущий; 2) внеплановый»).

    An edition the procedure data does not describe is a data error, never "all five kinds"."""
    allowed = set(_procedure_kinds(edition_id)[0])
    return [k for k in MonitoringKind if k.value in allowed]


def kinds_reference(edition_id: str) -> str:
    """The paragraph that lists an edition's kinds of monitoring (D9)."""
    return _procedure_kinds(edition_id)[1]


@functools.cache
def _procedure_kinds(edition_id: str) -> tuple[tuple[str, ...], str]:
    proc = load_procedure()
    ped = proc.edition(edition_id)
    if ped is None:
        known = ", ".join(e.id for e in proc.editions)
        raise DataFileError(
            "procedure.yaml",
            [
                Problem(
                    "data/procedure.yaml",
                    "editions",
                    f"classifier edition {edition_id!r} has no entry (its kinds of monitoring "
                    f"and terms); editions described: {known}",
                )
            ],
        )
    return tuple(ped.kinds.ids), ped.kinds.reference


#: D10: the editions whose Rules class defects by how they are found (п. 11 of the Rules as
#: rewritten by order No. 68: «1) общие; 2) потенциальные; 3) дополнительные»). The 2022 Rules
#: have no such classes: a finding that names one under them is an error, never ignored.
EDITIONS_WITH_CLASSES: frozenset[str] = frozenset({"2026"})
_RULES_68 = "Правил в ред. приказа № 68"
#: D10: the paragraph each class of defect cites (edition "2026"); None = not stated
CLASS_REFERENCES: dict[DefectClass | None, str] = {
    DefectClass.GENERAL: (
        f"п. 12 {_RULES_68} (общий дефект: «Применение общих дефектов и нарушений не влияет "
        "на уменьшение суммы, подлежащей оплате»)"
    ),
    DefectClass.POTENTIAL: f"п. 13 {_RULES_68} (потенциальный дефект)",
    DefectClass.ADDITIONAL: f"п. 14 {_RULES_68} (дополнительный дефект)",
    None: f"п. 11 {_RULES_68}: тип выявления не указан, удержание по таблице (D10)",
}


def class_reference(edition_id: str, defect_class: DefectClass | None) -> str | None:
    """The reference a finding's class adds under an edition (D10); None when the edition's
    Rules have no classes (then the class must not be given)."""
    if edition_id not in EDITIONS_WITH_CLASSES:
        return None
    return CLASS_REFERENCES[defect_class]


def penalty_reference(pen: Penalty) -> str:
    """The Annex 1 cell of a penalty, with the reading accepted for a doubtful cell (E3, E4)."""
    extra = list(pen.accepted_doubt)
    if pen.reading:
        extra.append(f"E4: {pen.reading}")
    return pen.reference + "".join(f" [{e}]" for e in extra)


def error_kind_of(exc: OsmsDefectsError) -> ErrorKind:
    for cls, kind in _CLASSIFIER_ERRORS:
        if isinstance(exc, cls):
            return kind
    raise exc


def remedy_due(signed_on: dt.date) -> dt.date:
    """The last day to remedy a proactive finding (п. 58 Правил: «в течение 45 (сорока пяти)
    календарных дней, со дня подписания заключения по результатам проактивного мониторинга»).

    45 calendar days counted from the day after signing (reading C1); a last day that is not a
    working day moves to the next working day (reading C3), by the working-day calendar of
    Kazakhstan (:func:`osms_defects.deadlines.proactive_remedy`; readings D4). A date outside
    the calendar's data raises CalendarRangeError. The one place the date is computed: the
    columnar path calls it once per distinct date.
    """
    # the engine applies the 2022 edition's п. 54–59 (it is not yet aware of the 2026 edition,
    # which has no proactive monitoring): the remedy term is that edition's (reading E12)
    return proactive_remedy(signed_on, edition="2022-10-16").due


def is_proactive_exempt(code: str) -> bool:
    """п. 54: codes of groups 3.0, 5.0 and 8.0 with their sub-codes deduct under proactive
    monitoring as under any other."""
    c = normalize_code(code)
    return (group_of(c) or c) in PROACTIVE_DEDUCTING_GROUPS


class Resolver:
    """Editions by date and penalties by (edition, code, care type), cached.

    The fast path of the scalar engine: the classifier is looked up once per distinct key.
    """

    def __init__(
        self,
        classifier: Classifier,
        *,
        accept_reading: str | None = None,
        accept_doubtful: bool = False,
    ) -> None:
        """``accept_reading`` / ``accept_doubtful``: passed to ``Edition.penalty`` for the
        doubtful and two-reading cells of the 2026 edition (readings E3, E4); the accepted
        reading is named in each deduction's references."""
        self.classifier = classifier
        self.accept_reading = accept_reading
        self.accept_doubtful = accept_doubtful
        self._editions: dict[dt.date, Edition | NoEditionError] = {}
        #: the fast path's edition lookup: date → edition id, only for dates that have one
        self._edition_ids: dict[dt.date, str] = {}
        self._penalties: dict[tuple[str, str, str], Penalty | OsmsDefectsError] = {}
        #: the fast path: (edition, code, care type, kind, unremedied, defect class) → a plan
        self.plans: dict[tuple[Any, ...], _Plan] = {}
        self._dues: dict[dt.date, dt.date | None] = {}
        #: the plausible dates (osms_defects.dates): from EARLIEST_PLAUSIBLE to this day
        self.latest_plausible = latest_plausible()

    def remedy_due(self, signed_on: dt.date) -> dt.date | None:
        """remedy_due() cached per date; None when it raises (the general path reports it)."""
        try:
            return self._dues[signed_on]
        except KeyError:
            pass
        try:
            due: dt.date | None = remedy_due(signed_on)
        except CalendarRangeError:
            due = None
        self._dues[signed_on] = due
        return due

    def implausible(self, on: dt.date, field: str) -> str | None:
        """The message for a date outside the plausible range (osms_defects.dates), or None."""
        return implausible_date(on, field, self.latest_plausible)

    def edition(self, on: dt.date) -> Edition:
        """The edition in force on ``on`` (detected_on, reading R4); an implausible date
        raises ImplausibleDateError (never looked up)."""
        hit = self._editions.get(on)
        if hit is None:
            problem = self.implausible(on, "detected_on")
            try:
                if problem is not None:
                    raise ImplausibleDateError(problem)
                hit = self.classifier.edition(on)
            except NoEditionError as exc:
                hit = exc
            else:
                self._edition_ids[on] = hit.id
            self._editions[on] = hit
        if isinstance(hit, NoEditionError):
            raise hit
        return hit

    def penalty(self, ed: Edition, code: str, care_type: str) -> Penalty:
        key = (ed.id, code, care_type)
        hit = self._penalties.get(key)
        if hit is None:
            try:
                hit = ed.penalty(
                    code,
                    care_type,
                    accept_reading=self.accept_reading,
                    accept_doubtful=self.accept_doubtful,
                )
            except (
                UnknownDefectCodeError,
                UnknownCareTypeError,
                NotApplicableError,
                PenaltyUndefinedError,
                GroupCodeNotAssignableError,
                DoubtfulCellError,
                ReadingRequiredError,
            ) as exc:
                hit = exc
            self._penalties[key] = hit
        if isinstance(hit, OsmsDefectsError):
            raise hit
        return hit


class _Plan(NamedTuple):
    """Everything of a deducted/recorded result that does not depend on the base amount."""

    status: Status
    expenses: bool  # code 11.0: the documented amount is the base
    code: str
    care_type: str
    edition: str
    basis: Basis
    factor: Decimal
    references: tuple[str, ...]
    needs_due: bool  # proactive outside groups 3.0, 5.0, 8.0: a remedy date (п. 58)


def _fast(f: Finding, res: Resolver, unremedied: bool, row: int | None) -> Deduction | None:
    """The fast path: a cached plan applied to a finding; None when there is no plan yet or the
    general path must decide (an error), which then gives the result word for word.

    A plan is keyed by the finding's own texts (code, care type as given: no normalize_code)
    and the edition id of its date, so a repeated finding costs two dictionary lookups, a check
    of the base and one ``Decimal`` multiplication (measured in benchmarks/bench_deductions.py).
    """
    ed_id = res._edition_ids.get(f.detected_on)  # reading R4: the edition of detected_on
    if ed_id is None:
        return None
    plan = res.plans.get(
        (ed_id, f.code, f.care_type, f.monitoring_kind, unremedied, f.defect_class)
    )
    if plan is None:
        return None
    status, expenses, code, care, edition, basis, factor, refs, needs_due = plan
    signed = f.conclusion_signed_on
    if signed is not None and not (_EARLIEST <= signed <= res.latest_plausible):
        return None  # an implausible date: the general path names it
    # Прил. 1, код 11.0: the documented expenses are the base (R3)
    base = f.documented_amount if expenses else f.base_amount
    due: dt.date | None = None
    if needs_due:  # п. 58: proactive outside groups 3.0, 5.0, 8.0
        if signed is None:
            return None
        due = res._dues.get(signed)
        if due is None:
            due = res.remedy_due(signed)
            if due is None:
                return None
    if base is not None:
        try:  # a comparison with NaN raises InvalidOperation
            if not (_D0 <= base < _LIMIT) or base != base.quantize(_TIYN):
                return None  # a malformed base: the general path names the error (D6)
        except InvalidOperation:
            return None
    if status is _DEDUCTED:
        if base is None or not base:
            return None  # base_missing / base_zero: the general path names it (D6)
        # factor × base, ROUND_HALF_UP to the tiyn (reading D2); rounding passed positionally
        amount = (factor * base).quantize(_TIYN, ROUND_HALF_UP)
    else:
        amount = _ZERO
    # tuple.__new__ (what Deduction._make does, without its Python frame): a million of these
    return _new_tuple(
        Deduction,
        (status, amount, f, row, edition, code, care, f.monitoring_kind, basis, factor, base,
         refs, due, None, None, None),
    )  # fmt: skip


_ZERO = Decimal("0.00")
_EARLIEST = EARLIEST_PLAUSIBLE
_D0 = Decimal(0)
_DEDUCTED = Status.DEDUCTED
_new_tuple = tuple.__new__
_NO_BAD: Mapping[str, str] = {}
_LIMIT = LIMIT
_TIYN = TIYN

_DEFAULT: dict[int, Resolver] = {}


def _resolver(classifier: Classifier | Resolver | None) -> Resolver:
    if isinstance(classifier, Resolver):
        return classifier
    clf = classifier if classifier is not None else load_classifier()
    res = _DEFAULT.get(id(clf))
    if res is None or res.classifier is not clf:
        res = Resolver(clf)
        _DEFAULT.clear()  # keep one: classifiers are few, findings are many
        _DEFAULT[id(clf)] = res
    return res


def deduct(
    finding: Finding,
    classifier: Classifier | Resolver | None = None,
    *,
    unremedied: bool = False,
    row: int | None = None,
) -> Deduction:
    """The deduction of one finding (п. 12, 30, 34, 54, 58, 59; Прил. 1).

    Never raises for a bad finding: a finding that cannot be computed gives status ``error``
    with an :class:`ErrorKind` and a message. ``unremedied=True`` applies п. 59: a proactive
    finding not remedied within the 45 days deducts as under current monitoring.
    """
    if type(finding) is not Finding and not isinstance(finding, Finding):
        raise _not_a_finding(finding, "deduct() takes")
    res = classifier if type(classifier) is Resolver else _resolver(classifier)
    fast = _fast(finding, res, unremedied, row)
    if fast is not None:
        return fast
    return _compute(finding, res, unremedied, row, _NO_BAD)


def _not_a_finding(item: Any, what: str) -> FindingError:
    return FindingError(
        f"{what} a Finding (od.Finding(code=..., care_type=..., detected_on=..., "
        f"base_amount=...)) or, for deduct_many, a mapping of column → text; got "
        f"{type(item).__name__} {item!r:.60}"
    )


def _error(
    f: Finding | None, row: int | None, kind: ErrorKind, message: str, **known: Any
) -> Deduction:
    return Deduction(
        status=Status.ERROR,
        amount=None,
        finding=f,
        row=row,
        error_kind=kind,
        error_message=message,
        **known,
    )


def _compute(
    f: Finding, res: Resolver, unremedied: bool, row: int | None, bad_text: Mapping[str, str]
) -> Deduction:
    """The general path: every rule, every error message; leaves a plan for the fast path."""
    kind = f.monitoring_kind
    code = normalize_code(f.code)
    care = f.care_type.strip()
    known: dict[str, Any] = {"code": code, "care_type": care, "monitoring_kind": kind}
    # reading R4: the edition in force on the day the defect was detected
    try:
        ed = res.edition(f.detected_on)
    except NoEditionError as exc:
        return _error(f, row, error_kind_of(exc), str(exc), **known)
    known["edition"] = ed.id
    if f.conclusion_signed_on is not None:
        bad_date = res.implausible(f.conclusion_signed_on, "conclusion_signed_on")
        if bad_date is not None:
            return _error(f, row, ErrorKind.IMPLAUSIBLE_DATE, bad_date, **known)
    # the plan's key: what the result depends on besides the base and the dates (no plan for a
    # row with an unreadable amount: the general path reports it)
    key = None if bad_text else (ed.id, f.code, f.care_type, kind, unremedied, f.defect_class)
    allowed = kinds_in_force(ed.id)
    if kind not in allowed:
        # D9: the Rules in force on detected_on have no such kind of monitoring
        return _error(
            f,
            row,
            ErrorKind.KIND_NOT_IN_FORCE,
            f"monitoring kind {kind.value} ({kind.name_ru}) is not a kind of monitoring of the "
            f"Rules in force with classifier edition {ed.id}; allowed: "
            + ", ".join(f"{k.value} ({k.name_ru})" for k in allowed)
            + f" ({kinds_reference(ed.id)}; reading D9)",
            **known,
        )
    dclass = f.defect_class
    if dclass is not None and ed.id not in EDITIONS_WITH_CLASSES:
        # D10: the classes of п. 11 belong to the Rules as rewritten by order No. 68
        return _error(
            f,
            row,
            ErrorKind.CLASS_NOT_IN_EDITION,
            f"defect_class {dclass.value} ({dclass.name_ru}) is not a class of defects of the "
            f"Rules in force with classifier edition {ed.id}: the classes общие / потенциальные "
            f"/ дополнительные are those of п. 11 {_RULES_68} (editions "
            + ", ".join(sorted(EDITIONS_WITH_CLASSES))
            + "); leave defect_class empty for this date (reading D10)",
            **known,
        )
    try:
        pen = res.penalty(ed, code, care)
    except OsmsDefectsError as exc:
        return _error(f, row, error_kind_of(exc), str(exc), **known)
    known["basis"] = pen.basis
    known["factor"] = pen.factor
    refs: list[str] = [penalty_reference(pen)]

    if pen.basis is Basis.PATIENT_EXPENSES:
        # Прил. 1, код 11.0: «Снятие на сумму затрат, подтвержденных документально» (R3)
        base, field = f.documented_amount, "documented_amount"
    else:
        base, field = f.base_amount, "base_amount"

    proactive = kind is MonitoringKind.PROACTIVE
    exempt = proactive and is_proactive_exempt(code)
    due: dt.date | None = None
    if proactive and not exempt and f.conclusion_signed_on is not None:
        try:
            due = remedy_due(f.conclusion_signed_on)  # п. 58 (the exempt groups deduct at once)
        except CalendarRangeError as exc:
            return _error(f, row, ErrorKind.CALENDAR_RANGE, str(exc), **known)
    warning = proactive and not exempt and not unremedied  # п. 54
    # п. 12 (ред. 2026): a general defect never reduces the payment: recorded, no base needed
    general = dclass is DefectClass.GENERAL
    recorded = pen.basis is Basis.NONE or general
    required = not warning and not recorded

    problem = check_amount(base, required=required, what=field)
    if problem is not None:
        kind_id, message = problem
        if field in bad_text and kind_id == ErrorKind.BASE_NOT_A_NUMBER:
            message = f"{field} {bad_text[field]!r} is not a number; " + message.split("; ", 1)[1]
        return _error(
            f, row, ErrorKind(kind_id), message, references=tuple(refs), remedy_due=due, **known
        )
    known["base"] = base

    if proactive:
        if exempt:
            refs.append(f"{REF_PROACTIVE} (исключение: группа {group_of(code) or code})")
        else:
            refs.append(REF_PROACTIVE)
            refs.append(REF_REMEDY)
            if unremedied:
                refs.append(f"{REF_UNREMEDIED} (не устранено: как при текущем мониторинге)")
    if not warning:
        refs.append(deduction_ref(ed.id))
    cref = class_reference(ed.id, dclass)  # п. 11–14 (ред. 2026), reading D10
    if cref is not None:
        refs.append(cref)
    status = Status.WARNING if warning else Status.RECORDED if recorded else Status.DEDUCTED
    if key is not None:  # what does not depend on the base or the dates: a plan for the key
        res.plans[key] = _Plan(
            status,
            pen.basis is Basis.PATIENT_EXPENSES,
            code,
            care,
            ed.id,
            pen.basis,
            pen.factor,
            tuple(refs),
            proactive and not exempt,
        )
    if warning:
        if due is None:
            return _error(
                f,
                row,
                ErrorKind.SIGNED_ON_MISSING,
                "conclusion_signed_on is missing: a proactive finding outside groups 3.0, 5.0, "
                "8.0 deducts nothing and must be remedied within 45 calendar days of the "
                "signing of the conclusion (п. 54, 58); give the date as YYYY-MM-DD",
                references=tuple(refs),
                **known,
            )
        return Deduction(
            status=Status.WARNING,
            amount=Decimal("0.00"),
            finding=f,
            row=row,
            references=tuple(refs),
            remedy_due=due,
            **known,
        )
    if recorded:
        # Прил. 1, группа 2.0 prints "0", or a general defect (п. 12, ред. 2026): the defect
        # is recorded, nothing is deducted
        return Deduction(
            status=Status.RECORDED,
            amount=Decimal("0.00"),
            finding=f,
            row=row,
            references=tuple(refs),
            remedy_due=due,
            **known,
        )
    assert base is not None
    return Deduction(
        status=Status.DEDUCTED,
        amount=round_tenge(pen.factor * base),  # factor × base, ROUND_HALF_UP (reading D2)
        finding=f,
        row=row,
        references=tuple(refs),
        remedy_due=due,
        **known,
    )


# ---------------------------------------------------------------------------------------------
# rows of a file (mappings of column → text)

REQUIRED_COLUMNS: tuple[str, ...] = (
    "code",
    "care_type",
    "base_amount",
    "monitoring_kind",
    "detected_on",
)
#: a column of the findings input (the conformance vectors' keys are checked against it)
InputField = Literal[
    "finding_id",
    "provider_id",
    "case_id",
    "code",
    "care_type",
    "base_amount",
    "documented_amount",
    "monitoring_kind",
    "detected_on",
    "conclusion_signed_on",
    "defect_class",  # п. 11 (ред. 2026), reading D10
]
INPUT_COLUMNS: tuple[str, ...] = get_args(InputField)


def _text(row: Mapping[str, Any], key: str) -> str:
    v = row.get(key)
    if type(v) is str:  # the common case first: a file's cell
        return v.strip()
    if v is None:
        return ""
    if isinstance(v, float):
        raise AmountSyntaxError(f"{key}: a float {v!r} is not allowed; give text")
    return str(v).strip()


@functools.lru_cache(maxsize=4096)
def _iso_date(text: str) -> dt.date | None:
    if len(text) != 10:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@functools.lru_cache(maxsize=64)
def _defect_class(text: str) -> DefectClass:
    return DefectClass.parse(text)  # ValueError names the allowed classes (п. 11)


def _date(text: str, field: str) -> dt.date:
    d = _iso_date(text)  # dates repeat: parsed once
    if d is None:
        raise ValueError(f"{field} {text!r} is not a date; write it as YYYY-MM-DD")
    return d


_Keys = tuple[str, str, dt.date, MonitoringKind, dt.date | None, DefectClass | None]


def _parse_keys(row: Mapping[str, Any]) -> _Keys | str:
    """The repeating fields of a row, parsed, or the message of the first unreadable one."""
    try:
        code = _text(row, "code")
        if not code:
            return "code is missing; give a defect code of Annex 1, e.g. 5.2"
        care = _text(row, "care_type")
        if not care:
            return "care_type is missing; give a column id of Annex 1, e.g. inpatient"
        det = _text(row, "detected_on")
        if not det:
            return "detected_on is missing; give the date as YYYY-MM-DD"
        detected = _date(det, "detected_on")
        kind_text = _text(row, "monitoring_kind")
        if not kind_text:
            return "monitoring_kind is missing; allowed: " + ", ".join(
                k.value for k in MonitoringKind
            )
        kind = MonitoringKind.parse(kind_text)
        signed_text = _text(row, "conclusion_signed_on")
        signed = _date(signed_text, "conclusion_signed_on") if signed_text else None
        class_text = _text(row, "defect_class")
        dclass = _defect_class(class_text) if class_text else None
    except ValueError as exc:
        return str(exc)
    return code, care, detected, kind, signed, dclass


#: parsed repeating fields by their raw cells; bounded (cleared when full) so that a stream of
#: rows runs in constant memory. Only rows whose six cells are all text or missing are stored:
#: a number such as 1 equals 1.0 and True as a key but reads differently (a float is refused).
_PARSED: dict[tuple[Any, ...], _Keys | str] = {}
_PARSED_MAX = 65_536

#: Finding's fields in its declaration order (the order model_construct fills ``__dict__``)
_FINDING_FIELDS: tuple[str, ...] = tuple(Finding.model_fields)
_finding_new = Finding.__new__
_setattr = object.__setattr__


def _trusted_finding(values: dict[str, Any]) -> Finding:
    """A :class:`Finding` of values already parsed and checked, every field given in field
    order: what ``Finding.model_construct(**values)`` builds (the same ``__dict__``, fields set,
    no extra, no private attributes: the four attributes model_construct sets), without its
    per-field loop (about 5× faster; checked equal in tests/test_deduct_speed_paths.py)."""
    f = _finding_new(Finding)
    _setattr(f, "__dict__", values)
    _setattr(f, "__pydantic_fields_set__", set(values))
    _setattr(f, "__pydantic_extra__", None)
    _setattr(f, "__pydantic_private__", None)
    return f


def _amount_cell(cell: Any, field: str, bad: dict[str, str]) -> Decimal | None:
    """An amount cell: None when empty; NaN, with its text put in ``bad``, when unreadable
    (the general path words the error, D6); money is never a float."""
    if type(cell) is str:
        text = cell.strip()
        if not text:
            return None
    elif cell is None:
        return None
    else:
        text = str(cell).strip()
        if isinstance(cell, float):
            bad[field] = text
            return Decimal("NaN")
        if not text:
            return None
    try:
        return parse_amount(text)
    except AmountSyntaxError:
        bad[field] = text
        return Decimal("NaN")


def finding_from_row(
    row: Mapping[str, Any],
) -> tuple[Finding | None, dict[str, str], str | None]:
    """Parse a row of text (a CSV/JSONL/XLSX line) into a Finding.

    Returns (finding, the unreadable amount texts, None) or (None, {}, the field error).
    """
    get = row.get
    raw = (
        get("code"),
        get("care_type"),
        get("detected_on"),
        get("monitoring_kind"),
        get("conclusion_signed_on"),
        get("defect_class"),
    )
    try:
        keys = _PARSED.get(raw)
    except TypeError:  # an unhashable cell: parsed, not stored
        keys = None
    if keys is None:
        keys = _parse_keys(row)
        if all(type(v) is str or v is None for v in raw):
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[raw] = keys
    if isinstance(keys, str):
        return None, {}, keys
    code, care, detected, kind, signed, dclass = keys
    bad: dict[str, str] = {}
    base = _amount_cell(get("base_amount"), "base_amount", bad)
    documented = _amount_cell(get("documented_amount"), "documented_amount", bad)
    # the order of Finding's fields (_FINDING_FIELDS; a test checks it)
    values = {
        "code": code,
        "care_type": care,
        "detected_on": detected,
        "monitoring_kind": kind,
        "base_amount": base,
        "documented_amount": documented,
        "conclusion_signed_on": signed,
        "defect_class": dclass,
        "finding_id": _text(row, "finding_id") or None,
        "provider_id": _text(row, "provider_id") or None,
        "case_id": _text(row, "case_id") or None,
    }
    return _trusted_finding(values), bad, None


def _deduct_row(
    row: Mapping[str, Any], res: Resolver, unremedied: bool, row_number: int | None
) -> Deduction:
    f, bad, problem = finding_from_row(row)
    if f is None:
        assert problem is not None
        return _error(None, row_number, ErrorKind.INVALID_FIELD, problem)
    if not bad:  # an unreadable amount: the general path words the error
        fast = _fast(f, res, unremedied, row_number)
        if fast is not None:
            return fast
    return _compute(f, res, unremedied, row_number, bad)


def deduct_row(
    row: Mapping[str, Any],
    classifier: Classifier | Resolver | None = None,
    *,
    unremedied: bool = False,
    row_number: int | None = None,
) -> Deduction:
    """The deduction of one row of text; an unreadable field gives status ``error``."""
    return _deduct_row(row, _resolver(classifier), unremedied, row_number)


def deduct_many(
    findings: Iterable[Finding | Mapping[str, Any]],
    classifier: Classifier | Resolver | None = None,
    *,
    case_policy: CasePolicy = "each",
    unremedied: bool = False,
) -> Iterator[Deduction]:
    """Deductions of many findings (or rows of text), in order, one per input.

    ``case_policy="each"`` (default): each finding deducts on its own, a case's total is their
    sum; streams (memory grows only with the distinct ``finding_id`` values). A ``finding_id``
    given again is never deducted twice: the first occurrence is computed, every later one is
    an error ``duplicate_finding`` naming the row of the first. ``"max_per_case"``: only the largest deduction of each
    case (provider_id, case_id) is kept, the others are ``recorded`` with 0.00 and a note; the
    Rules do not say which the Fund uses (reading D3). This policy holds the findings until the
    input ends.
    """
    if case_policy not in CASE_POLICIES:
        raise ValueError(f"case_policy {case_policy!r}; allowed: {', '.join(CASE_POLICIES)}")
    res = _resolver(classifier)

    def each() -> Iterator[Deduction]:
        # duplicates: finding_id → the row of its first occurrence (memory grows with the
        # number of distinct ids, about 100 bytes each)
        seen: dict[str, int] = {}
        for i, item in enumerate(findings, start=1):
            fid = _finding_id(item)
            if fid:
                first = seen.setdefault(fid, i)
                if first != i:
                    yield duplicate_error(
                        item if isinstance(item, Finding) else None, i, fid, first
                    )
                    continue
            if isinstance(item, Finding):
                d = _fast(item, res, unremedied, i)
                yield d if d is not None else _compute(item, res, unremedied, i, _NO_BAD)
            elif isinstance(item, Mapping):
                yield _deduct_row(item, res, unremedied, i)
            else:
                raise _not_a_finding(item, f"deduct_many: item {i} is not")

    if case_policy == "each":
        return each()
    return iter(apply_max_per_case(list(each())))


def _finding_id(item: Any) -> str:
    """The finding_id of a Finding or a row, stripped ("" when there is none)."""
    v = (
        item.finding_id
        if isinstance(item, Finding)
        else (item.get("finding_id") if isinstance(item, Mapping) else None)
    )
    if type(v) is str:
        return v.strip()
    return "" if v is None else str(v).strip()


def duplicate_message(finding_id: str, first_row: int) -> str:
    """The message of a repeated finding_id (the columnar path builds the same text)."""
    return (
        f"finding_id {finding_id} was already given in row {first_row}: a finding is deducted "
        "once; the first occurrence is computed, this row is not (remove the repeat or give "
        "it its own finding_id)"
    )


def duplicate_error(f: Finding | None, row: int, finding_id: str, first_row: int) -> Deduction:
    """A later occurrence of a finding_id in one input: an error, never a second deduction."""
    return _error(f, row, ErrorKind.DUPLICATE_FINDING, duplicate_message(finding_id, first_row))


def case_key(d: Deduction) -> tuple[str, str] | None:
    f = d.finding
    if f is None or not f.case_id:
        return None  # a finding without a case is a case of its own
    return (f.provider_id or "", f.case_id)


def apply_max_per_case(ds: list[Deduction]) -> list[Deduction]:
    """Keep the largest deduction per case (the first in input order on a tie); the other
    deducted findings of the case become ``recorded`` with 0.00 (reading D3)."""
    best: dict[tuple[str, str], int] = {}
    for i, d in enumerate(ds):
        key = case_key(d)
        if key is None or d.status is not Status.DEDUCTED:
            continue
        j = best.get(key)
        assert d.amount is not None
        if j is None or d.amount > (ds[j].amount or Decimal(0)):
            best[key] = i
    out = list(ds)
    for i, d in enumerate(ds):
        key = case_key(d)
        if key is None or d.status is not Status.DEDUCTED or best[key] == i:
            continue
        keeper = ds[best[key]]
        out[i] = d._replace(
            status=Status.RECORDED,
            amount=Decimal("0.00"),
            references=(*d.references, "case_policy=max_per_case"),
            note=(
                f"case {key[1]}: only the largest deduction of the case is kept "
                f"(row {keeper.row}, {keeper.amount}); this finding would deduct {d.amount}"
            ),
        )
    return out
