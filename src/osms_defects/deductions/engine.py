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
from typing import Any, Literal, get_args

from ..calendar import WorkCalendar
from ..classifier import (
    Classifier,
    Edition,
    Penalty,
    load_classifier,
    normalize_code,
)
from ..dates import EARLIEST_PLAUSIBLE, implausible_date, latest_plausible
from ..deadlines import Deadline, term
from ..deadlines.procedure import load_procedure
from ..errors import (
    AmountSyntaxError,
    CalendarRangeError,
    DoubtfulCellError,
    FindingError,
    GroupCodeNotAssignableError,
    ImplausibleDateError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    PenaltyUndefinedError,
    ReadingRequiredError,
    UnknownCareTypeError,
    UnknownDefectCodeError,
)
from .amounts import LIMIT, TIYN, check_amount, parse_amount, round_tenge, syntax_hint
from .model import Deduction, DefectClass, ErrorKind, Finding, MonitoringKind, Status
from .plan import Plan, Refusal, deduction_rules, error_kind_of, plan

CasePolicy = Literal["each", "max_per_case"]
CASE_POLICIES: tuple[str, ...] = ("each", "max_per_case")

#: D10: the editions whose Rules class defects by how they are found (п. 11 of the Rules as
#: rewritten by order No. 68), from data/procedure.yaml (``deduction.classes`` of each edition)
EDITIONS_WITH_CLASSES: frozenset[str] = frozenset(
    e.id for e in load_procedure().editions if e.deduction.classes is not None
)


def remedy_due(
    signed_on: dt.date, *, edition: str | None = None, cal: WorkCalendar | None = None
) -> dt.date:
    """The last day to remedy a proactive finding: the remedy term of the edition's
    ``deduction.proactive`` (2022: п. 58 Правил, «в течение 45 (сорока пяти) календарных дней,
    со дня подписания заключения по результатам проактивного мониторинга»).

    Counted from the day after signing (reading C1); a last day that is not a working day moves
    to the next working day (reading C3), by the working-day calendar of Kazakhstan (readings
    D4). ``edition``: the edition whose findings these are (default: the one with proactive
    monitoring in force on the signing, else the latest that has it). A date outside the
    calendar's data raises CalendarRangeError."""
    return remedy_deadline(signed_on, cal, edition).due


def remedy_deadline(
    signed_on: dt.date, cal: WorkCalendar | None = None, edition: str | None = None
) -> Deadline:
    """The remedy term (2022: п. 58) as a :class:`Deadline` (with its provisional mark)."""
    ed_id = edition if edition is not None else _proactive_edition(signed_on)
    pro = deduction_rules(ed_id).proactive
    if pro is None:
        raise ValueError(f"edition {ed_id} has no proactive monitoring: no remedy term")
    return term(pro.remedy_term, signed_on, edition=ed_id, cal=cal)


def _proactive_edition(on: dt.date) -> str:
    """The edition whose remedy term applies to a signing on ``on``: the one in force if it has
    proactive monitoring, else the latest edition that has it (a proactive finding belongs to
    an edition with proactive monitoring; its conclusion may be signed later)."""
    having = [e for e in load_procedure().editions if e.deduction.proactive is not None]
    clf = load_classifier()
    for e in having:
        if clf.edition(id=e.id).in_force.covers(on):
            return e.id
    return max(having, key=lambda e: clf.edition(id=e.id).in_force.from_).id


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
        calendar: WorkCalendar | None = None,
        edition: str | None = None,
    ) -> None:
        """``accept_reading`` / ``accept_doubtful``: passed to ``Edition.penalty`` for the
        doubtful and two-reading cells of the 2026 edition (readings E3, E4); the accepted
        reading is named in each deduction's references. ``calendar``: the working-day
        calendar of the remedy dates (п. 58; default ``kazakhstan()``, which reads
        ``OSMS_DEFECTS_CALENDAR``)."""
        self.classifier = classifier
        self.calendar = calendar
        if edition is not None:
            # an unknown id is a bad option for the whole run (exit 2), not an error per row
            classifier.edition(id=edition)
        #: an edition chosen by the caller (reading E20); None: the one in force
        self.chosen = edition
        #: date → the notes its results carry (readings E18, E19, E20)
        self.notes: dict[dt.date, tuple[str, ...]] = {}
        #: date → its joined notes when they depend on the date alone (E19, E20, and E18
        #: under a chosen edition): the fast and columnar paths copy them; a date in the
        #: window of E18 (whose note names the other edition's amount) takes the general path
        self.plain_notes: dict[dt.date, str] = {}
        self.accept_reading = accept_reading
        self.accept_doubtful = accept_doubtful
        self._editions: dict[dt.date, Edition | NoEditionError] = {}
        #: the fast path's edition lookup: date → edition id, only for dates that have one
        self._edition_ids: dict[dt.date, str] = {}
        self._penalties: dict[tuple[str, str, str], Penalty | OsmsDefectsError] = {}
        #: the fast path: (edition, code, care type, kind, unremedied, defect class) → a plan
        self.plans: dict[tuple[Any, ...], Plan] = {}
        #: (edition, code, care type, kind, class, unremedied) → the plan or the refusal
        self._plans: dict[tuple[Any, ...], Plan | Refusal] = {}
        self._dues: dict[tuple[str | None, dt.date], dt.date | None] = {}
        #: signing dates whose remedy date used a provisional calendar year → the note
        self.provisional_dues: dict[dt.date, str] = {}
        #: the plausible dates (osms_defects.dates): from EARLIEST_PLAUSIBLE to this day
        self.latest_plausible: dt.date = latest_plausible()

    def remedy_deadline(self, signed_on: dt.date, edition: str | None = None) -> Deadline:
        """The remedy term (2022: п. 58) on this resolver's calendar (raises
        CalendarRangeError)."""
        return remedy_deadline(signed_on, self.calendar, edition)

    def remedy_due(self, signed_on: dt.date, edition: str | None = None) -> dt.date | None:
        """remedy_due() cached per (edition, date); None when it raises (the general path
        reports it)."""
        key = (edition, signed_on)
        try:
            return self._dues[key]
        except KeyError:
            pass
        try:
            d = self.remedy_deadline(signed_on, edition)
        except CalendarRangeError:
            due = None
        else:
            due = d.due
            if d.calendar_provisional:
                self.provisional_dues[signed_on] = d.calendar_note
        self._dues[key] = due
        return due

    def plan(
        self,
        ed: Edition,
        code: str,
        care_type: str,
        kind: MonitoringKind,
        defect_class: DefectClass | None,
        unremedied: bool,
    ) -> Plan | Refusal:
        """:func:`osms_defects.deductions.plan.plan` with this resolver's readings, cached."""
        key = (ed.id, code, care_type, kind, defect_class, unremedied)
        hit = self._plans.get(key)
        if hit is None:
            hit = plan(ed, code, care_type, kind, defect_class, unremedied, self)
            self._plans[key] = hit
        return hit

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
                hit, notes = self.classifier.choose(on, self.chosen)
                # reading E19 (an amendment whose text is missing) is said in the explanation
                # (explain()), not on every output row: the marks E18, E20 are on the row
                said = set(hit.amendment_notes(on))
                notes = tuple(n for n in notes if n not in said)
            except NoEditionError as exc:
                hit = exc
            else:
                self.notes[on] = notes
                window = (
                    notes and self.chosen is None and self.classifier.boundary_window(on)
                )
                if not window:  # a window date takes the general path (the other amount)
                    self._edition_ids[on] = hit.id
                    if notes:
                        self.plain_notes[on] = "; ".join(notes)
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
    status, edition, code, care, basis, factor, refs, expenses, remedy_term = (
        plan.status, plan.edition, plan.code, plan.care_type, plan.basis, plan.factor,
        plan.references, plan.expenses, plan.remedy_term,
    )  # fmt: skip
    signed = f.conclusion_signed_on
    if signed is not None and not (_EARLIEST <= signed <= res.latest_plausible):
        return None  # an implausible date: the general path names it
    # Прил. 1, код 11.0: the documented expenses are the base (R3)
    base = f.documented_amount if expenses else f.base_amount
    due: dt.date | None = None
    if remedy_term is not None:  # п. 58 (2022): proactive outside the exempt groups
        if signed is None:
            return None
        due = res._dues.get((edition, signed))
        if due is None:
            due = res.remedy_due(signed, edition)
            if due is None:
                return None
        if signed in res.provisional_dues:
            return None  # a provisional calendar year: the general path marks it
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
         refs, due, None, None, None, False, None,
         res.plain_notes.get(f.detected_on) if res.plain_notes else None),
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


def _resolver(
    classifier: Classifier | Resolver | None, calendar: WorkCalendar | None = None
) -> Resolver:
    if isinstance(classifier, Resolver):
        if calendar is not None and calendar is not classifier.calendar:
            raise ValueError(
                "give the calendar to the Resolver (Resolver(..., calendar=...)), not beside it"
            )
        return classifier
    clf = classifier if classifier is not None else load_classifier()
    res = _DEFAULT.get(id(clf))
    if res is None or res.classifier is not clf or res.calendar is not calendar:
        res = Resolver(clf, calendar=calendar)
        _DEFAULT.clear()  # keep one: classifiers are few, findings are many
        _DEFAULT[id(clf)] = res
    return res


def deduct(
    finding: Finding,
    classifier: Classifier | Resolver | None = None,
    *,
    unremedied: bool = False,
    row: int | None = None,
    calendar: WorkCalendar | None = None,
    edition: str | None = None,
) -> Deduction:
    """The deduction of one finding (п. 12, 30, 34, 54, 58, 59; Прил. 1).

    Never raises for a bad finding: a finding that cannot be computed gives status ``error``
    with an :class:`ErrorKind` and a message. ``unremedied=True`` applies п. 59: a proactive
    finding not remedied within the 45 days deducts as under current monitoring.
    ``calendar``: the working-day calendar of the remedy date (default ``kazakhstan()``).
    ``edition=`` (an id or alias) applies that edition whatever the date; a date it does not
    govern is marked in ``note`` (reading E20).
    """
    if type(finding) is not Finding and not isinstance(finding, Finding):
        raise _not_a_finding(finding, "deduct() takes")
    if edition is not None:
        base_res = classifier if isinstance(classifier, Resolver) else _resolver(classifier)
        classifier = Resolver(
            base_res.classifier, accept_reading=base_res.accept_reading,
            accept_doubtful=base_res.accept_doubtful, edition=edition,
            calendar=calendar if calendar is not None else base_res.calendar,
        )  # fmt: skip
        calendar = None
    res = (
        classifier
        if type(classifier) is Resolver and calendar is None
        else _resolver(classifier, calendar)
    )
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
    notes = res.notes.get(f.detected_on, ())
    if notes:  # readings E18 (uncertain boundary), E19 (amendment), E20 (caller's edition)
        known["edition_note"] = "; ".join(notes)
    if f.conclusion_signed_on is not None:
        bad_date = res.implausible(f.conclusion_signed_on, "conclusion_signed_on")
        if bad_date is not None:
            return _error(f, row, ErrorKind.IMPLAUSIBLE_DATE, bad_date, **known)
    # the plan's key: what the result depends on besides the base and the dates (no plan for a
    # row with an unreadable amount: the general path reports it)
    key = None if bad_text else (ed.id, f.code, f.care_type, kind, unremedied, f.defect_class)
    dclass = f.defect_class
    p = res.plan(ed, code, care, kind, dclass, unremedied)  # the law's answer (plan.py)
    if isinstance(p, Refusal):
        return _error(f, row, p.kind, p.message, **known)
    known["basis"] = p.basis
    known["factor"] = p.factor
    refs = p.references
    # Прил. 1, код 11.0: «Снятие на сумму затрат, подтвержденных документально» (R3)
    base, field = (
        (f.documented_amount, "documented_amount") if p.expenses else (f.base_amount, "base_amount")
    )
    due: dt.date | None = None
    if p.remedy_term is not None and f.conclusion_signed_on is not None:
        try:  # п. 58 (2022): the remedy date (the exempt groups deduct at once)
            remedy = res.remedy_deadline(f.conclusion_signed_on, ed.id)
        except CalendarRangeError as exc:
            return _error(f, row, ErrorKind.CALENDAR_RANGE, str(exc), **known)
        due = remedy.due
        if remedy.calendar_provisional:  # never silently final (docs/calendar.md)
            known["calendar_provisional"] = True
            known["calendar_note"] = remedy.calendar_note
    warning = p.status is Status.WARNING  # п. 54
    recorded = p.status is Status.RECORDED
    problem = check_amount(base, required=p.status is Status.DEDUCTED, what=field)
    if problem is not None:
        kind_id, message = problem
        if field in bad_text and kind_id == ErrorKind.BASE_NOT_A_NUMBER:
            message = (
                f"{field} {bad_text[field]!r} is not a number; "
                + message.split("; ", 1)[1]
                + syntax_hint(bad_text[field])
            )
        return _error(
            f, row, ErrorKind(kind_id), message, references=refs[:1], remedy_due=due, **known
        )
    known["base"] = base
    if key is not None:  # what does not depend on the base or the dates: a plan for the key
        res.plans[key] = p
    if warning:
        if due is None:
            return _error(
                f,
                row,
                ErrorKind.SIGNED_ON_MISSING,
                "conclusion_signed_on is missing: a proactive finding outside the exempt groups "
                f"({refs[1]}) deducts nothing and must be remedied within the term of "
                f"{refs[2]} from the signing of the conclusion; give the date as YYYY-MM-DD",
                references=refs,
                **known,
            )
        return Deduction(
            status=Status.WARNING,
            amount=Decimal("0.00"),
            finding=f,
            row=row,
            references=refs,
            remedy_due=due,
            **known,
        )
    if recorded:
        # Прил. 1 prints "0" (group 2.0 of 2022), or a general defect (п. 12 of the Rules as
        # rewritten by order No. 68): the defect is recorded, nothing is deducted
        return Deduction(
            status=Status.RECORDED,
            amount=Decimal("0.00"),
            finding=f,
            row=row,
            references=refs,
            remedy_due=due,
            **known,
        )
    assert base is not None
    amount = round_tenge(p.factor * base)  # factor × base, ROUND_HALF_UP (reading D2)
    if notes and res.chosen is None:
        window = res.classifier.boundary_window(f.detected_on)
        if window is not None:  # reading E18: the amount under the other candidate edition
            other = window[2]
            try:
                alt = other.penalty(
                    code, care, accept_reading=res.accept_reading,
                    accept_doubtful=res.accept_doubtful,
                )  # fmt: skip
                alt_text = f"{round_tenge(alt.factor * base)} ({alt.printed})"
            except OsmsDefectsError as exc:
                alt_text = f"not computable ({type(exc).__name__}: {exc})"
            if alt_text.split(" ")[0] != str(amount):
                known["edition_note"] += (
                    f"; under edition {other.id} the amount would be {alt_text}"
                )
    return Deduction(
        status=Status.DEDUCTED,
        amount=amount,  # factor × base, ROUND_HALF_UP (reading D2)
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
    calendar: WorkCalendar | None = None,
) -> Deduction:
    """The deduction of one row of text; an unreadable field gives status ``error``."""
    return _deduct_row(row, _resolver(classifier, calendar), unremedied, row_number)


def deduct_many(
    findings: Iterable[Finding | Mapping[str, Any]],
    classifier: Classifier | Resolver | None = None,
    *,
    case_policy: CasePolicy = "each",
    unremedied: bool = False,
    calendar: WorkCalendar | None = None,
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
    res = _resolver(classifier, calendar)

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
