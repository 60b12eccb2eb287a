"""Typed models of ``data/screening.yaml``: the screening rules and their parameters, per
edition of the classifier.

п. 11, 45 Правил (ред. 2022): the Fund confirms or rejects «дефектов, установленных
автоматизированным способом»; п. 13 (ред. приказа № 68, 2025–2026): «Потенциальные дефекты и
нарушения выявляются посредством ИСФ на основе автоматизированных алгоритмов». Each rule here
establishes such potential defects. The defect code a rule suggests, its verbatim reference and
any threshold set by the law differ between editions of Annex 1 (2022: 7.1 «более 10 рабочих
дней»; 2026: 7.0 «более 15 рабочих дней»), so each rule lists them per edition (ids of
``data/classifier.yaml``); ``code: null`` with a ``reason`` where an edition has no such code.
A screening runs under the edition in force on its detection date (R4, reading S7):
``ScreeningRules.in_force(detected_on)``. Unknown keys are errors (``extra="forbid"``); codes
and edition ids are checked against the classifier when the file is loaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from .._yaml import KeyPath, line_of, load_model, problems_from_validation
from ..errors import DataFileError, Problem, ScreeningEditionError
from ..resources import data_path

_FROZEN = ConfigDict(extra="forbid", frozen=True)

DEFAULT_FILE = "screening.yaml"

#: the rule ids, in the order the output lists them
RULE_IDS: tuple[str, ...] = (
    "repeat_hospitalization",
    "repeat_emergency_call",
    "late_death_registration",
    "long_wait_kdu",
    "duplicate_service",
    "pcr_over_limit",
)

_CODE = r"^\d{1,2}\.\d{1,2}$"
_ENTRY_KEYS = ("code", "reference", "reason")


# ------------------------------------------------------------------ resolved rules (one edition)
class _Rule(BaseModel):
    """A rule as it runs under one edition: its parameters, the code of that edition and the
    code's reference (built by ``ScreeningRules.in_force``)."""

    model_config = _FROZEN
    enabled: bool = True
    edition: str  # the classifier edition (data/classifier.yaml id) the code belongs to
    code: str = Field(pattern=_CODE)  # the suggested defect code of that edition's Annex 1
    reference: str = Field(min_length=1)


class RepeatHospitalization(_Rule):
    """Прил. 1, код 4.0 (2022 and 2026): readmission within 30 calendar days of the end of
    inpatient care."""

    window_days: int = Field(ge=1)
    include_same_day: bool = False  # reading S1: day 0 (same-day transfer) off by default
    same_provider: bool = False
    # 2026, код 4.0 «…, кроме поставщиков, оказывающих услуги паллиативной медицинской помощи»:
    # the register does not say which providers those are; the Fund lists them (reading S7)
    exempt_provider_ids: tuple[str, ...] = ()


class RepeatEmergencyCall(_Rule):
    """Прил. 1 (2022), код 6.12: a repeat emergency call to the same patient within 24 hours."""

    window_hours: int = Field(ge=1)
    same_provider: bool = False


class LateDeathRegistration(_Rule):
    """Прил. 1 (2022), код 2.3: death registered later than 10 days after it."""

    max_days: int = Field(ge=0)


class LongWaitKdu(_Rule):
    """Прил. 1 (2022), код 7.1: waiting for a КДУ service more than 10 working days; (2026),
    код 7.0: waiting for services more than 15 working days."""

    max_workdays: int = Field(ge=0)
    service_code_prefixes: tuple[str, ...] | None = None


class DuplicateService(_Rule):
    """Protocol item 13: the same service to the same patient by one provider the same day."""


class PcrOverLimit(_Rule):
    """Protocol item 13: more than 2 PCR services to a patient within 30 calendar days."""

    max_count: int = Field(ge=1)
    window_days: int = Field(ge=1)
    service_codes: tuple[str, ...] = Field(min_length=1)


RESOLVED: dict[str, type[_Rule]] = {
    "repeat_hospitalization": RepeatHospitalization,
    "repeat_emergency_call": RepeatEmergencyCall,
    "late_death_registration": LateDeathRegistration,
    "long_wait_kdu": LongWaitKdu,
    "duplicate_service": DuplicateService,
    "pcr_over_limit": PcrOverLimit,
}


# ------------------------------------------------------------------ the file
class _EditionEntry(BaseModel):
    """What a rule suggests under one edition: ``code`` and its verbatim ``reference``, or
    ``code: null`` and the ``reason`` the edition has no such code; plus any parameter whose
    value that edition sets differently (e.g. 2026 ``max_workdays: 15``)."""

    model_config = _FROZEN
    code: str | None = Field(pattern=_CODE)  # required key; null: no such code in the edition
    reference: str | None = Field(default=None, min_length=1)
    reason: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _code_or_reason(self) -> _EditionEntry:
        if self.code is not None and self.reference is None:
            raise ValueError(f"code {self.code}: give its reference (the Annex 1 name verbatim)")
        if self.code is not None and self.reason is not None:
            raise ValueError("reason is for code: null only (why the edition has no code)")
        if self.code is None and self.reason is None:
            raise ValueError("code: null needs a reason (why the edition has no such code)")
        return self


E = TypeVar("E", bound=_EditionEntry)


class _RuleEntry(BaseModel, Generic[E]):
    model_config = _FROZEN
    enabled: bool = True
    #: per classifier edition id (data/classifier.yaml): the code, reference, parameters
    editions: dict[str, E] = Field(min_length=1)


class _RepeatHospitalizationParams(BaseModel):
    model_config = _FROZEN
    window_days: int | None = Field(default=None, ge=1)
    include_same_day: bool | None = None
    same_provider: bool | None = None
    exempt_provider_ids: tuple[str, ...] | None = None


class _RepeatEmergencyCallParams(BaseModel):
    model_config = _FROZEN
    window_hours: int | None = Field(default=None, ge=1)
    same_provider: bool | None = None


class _LateDeathRegistrationParams(BaseModel):
    model_config = _FROZEN
    max_days: int | None = Field(default=None, ge=0)


class _LongWaitKduParams(BaseModel):
    model_config = _FROZEN
    max_workdays: int | None = Field(default=None, ge=0)
    service_code_prefixes: tuple[str, ...] | None = None


class _NoParams(BaseModel):
    model_config = _FROZEN


class _PcrOverLimitParams(BaseModel):
    model_config = _FROZEN
    max_count: int | None = Field(default=None, ge=1)
    window_days: int | None = Field(default=None, ge=1)
    service_codes: tuple[str, ...] | None = Field(default=None, min_length=1)


class RepeatHospitalizationEdition(_EditionEntry, _RepeatHospitalizationParams):
    pass


class RepeatEmergencyCallEdition(_EditionEntry, _RepeatEmergencyCallParams):
    pass


class LateDeathRegistrationEdition(_EditionEntry, _LateDeathRegistrationParams):
    pass


class LongWaitKduEdition(_EditionEntry, _LongWaitKduParams):
    pass


class DuplicateServiceEdition(_EditionEntry, _NoParams):
    pass


class PcrOverLimitEdition(_EditionEntry, _PcrOverLimitParams):
    pass


class RepeatHospitalizationRule(_RuleEntry[RepeatHospitalizationEdition], _RepeatHospitalizationParams):
    pass


class RepeatEmergencyCallRule(_RuleEntry[RepeatEmergencyCallEdition], _RepeatEmergencyCallParams):
    pass


class LateDeathRegistrationRule(
    _RuleEntry[LateDeathRegistrationEdition], _LateDeathRegistrationParams
):
    pass


class LongWaitKduRule(_RuleEntry[LongWaitKduEdition], _LongWaitKduParams):
    pass


class DuplicateServiceRule(_RuleEntry[DuplicateServiceEdition], _NoParams):
    pass


class PcrOverLimitRule(_RuleEntry[PcrOverLimitEdition], _PcrOverLimitParams):
    pass


class Rules(BaseModel):
    """The rules of one screening file (every rule must be present; disable with enabled)."""

    model_config = _FROZEN
    repeat_hospitalization: RepeatHospitalizationRule
    repeat_emergency_call: RepeatEmergencyCallRule
    late_death_registration: LateDeathRegistrationRule
    long_wait_kdu: LongWaitKduRule
    duplicate_service: DuplicateServiceRule
    pcr_over_limit: PcrOverLimitRule

    def get(self, rule_id: str) -> _RuleEntry[Any]:
        rule: _RuleEntry[Any] = getattr(self, rule_id)
        return rule


class Note(BaseModel):
    """The note every potential-defect row of an edition carries (English and Russian)."""

    model_config = _FROZEN
    en: str = Field(min_length=1)
    ru: str = Field(min_length=1)


class NotApplicable(BaseModel):
    """An enabled rule that does not run under an edition: that edition has no code for it."""

    model_config = _FROZEN
    rule: str
    edition: str
    reason: str


@dataclass(frozen=True, slots=True)
class EditionRules:
    """The rules of a file as they run on one detection date: the edition in force then (R4,
    reading S7), each enabled rule with that edition's code, reference and parameters
    (``rules``, in ``RULE_IDS`` order), and the enabled rules that edition has no code for
    (``not_applicable``: they do not run, and every result says so)."""

    edition: str
    detected_on: dt.date
    note: str
    rules: dict[str, _Rule]
    not_applicable: tuple[NotApplicable, ...] = field(default=())
    source: str = ""

    def enabled(self) -> tuple[str, ...]:
        """The ids of the rules that run, in output order."""
        return tuple(r for r in RULE_IDS if r in self.rules)

    def get(self, rule_id: str) -> _Rule:
        return self.rules[rule_id]


class ScreeningRules(BaseModel):
    """``data/screening.yaml``: the note per edition and the rules (codes per edition)."""

    model_config = _FROZEN
    version: Literal[2]
    notes: dict[str, Note] = Field(min_length=1)
    rules: Rules
    _source: str = PrivateAttr(default="")

    @model_validator(mode="before")
    @classmethod
    def _old_version(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("version") == 1:
            raise ValueError(
                "version 1 (one code per rule) is no longer read: the code a rule suggests "
                "depends on the edition of Annex 1 in force on the detection date (reading S7); "
                "write version: 2 with each rule's code under editions: {<edition id>: {code, "
                "reference}} as in the packaged data/screening.yaml"
            )
        return data

    @property
    def source(self) -> str:
        return self._source

    def enabled(self) -> tuple[str, ...]:
        """The ids of the rules switched on in the file, in output order (whatever the
        edition; ``in_force(...).enabled()`` are those that run on a date)."""
        return tuple(r for r in RULE_IDS if self.rules.get(r).enabled)

    def for_edition(self, edition: str, detected_on: dt.date) -> EditionRules:
        """The rules as they run under classifier edition ``edition`` (its id). An enabled
        rule that says nothing for that edition is an error (never a neighbour's code)."""
        resolved: dict[str, _Rule] = {}
        skipped: list[NotApplicable] = []
        for rule_id in self.enabled():
            entry = self.rules.get(rule_id)
            ed = entry.editions.get(edition)
            if ed is None:
                raise ScreeningEditionError(
                    f"{self.source or 'screening rules'}: rule {rule_id} says nothing for "
                    f"classifier edition {edition} (in force on {detected_on.isoformat()}); it "
                    f"has {', '.join(entry.editions)}. Add editions.{edition!r} with its code "
                    "and reference, or code: null with a reason, or disable the rule "
                    "(reading S7)"
                )
            if ed.code is None:
                skipped.append(NotApplicable(rule=rule_id, edition=edition, reason=ed.reason or ""))
                continue
            resolved[rule_id] = _resolve(rule_id, entry, edition)
        note = self.notes.get(edition)
        if note is None:
            raise ScreeningEditionError(
                f"{self.source or 'screening rules'}: no note for classifier edition {edition} "
                f"(notes has {', '.join(self.notes)}); add notes.{edition!r} (reading S7)"
            )
        return EditionRules(
            edition=edition,
            detected_on=detected_on,
            note=note.en,
            rules=resolved,
            not_applicable=tuple(skipped),
            source=self.source,
        )

    def in_force(self, detected_on: dt.date | None = None, classifier: Any = None) -> EditionRules:
        """The rules as they run on ``detected_on`` (default: today): under the classifier
        edition in force that day (R4). A date no edition covers raises the classifier's
        ``NoEditionError`` (e.g. 2024-01-14 … the start of the 2026 edition)."""
        on = dt.date.today() if detected_on is None else detected_on
        clf = classifier if classifier is not None else _classifier()
        return self.for_edition(clf.edition(on=on).id, on)


def _resolve(rule_id: str, entry: _RuleEntry[Any], edition: str) -> _Rule:
    """The rule's parameters (rule level, overridden by the edition's) with the edition's code
    and reference, validated by the rule's model (a parameter missing → ValidationError)."""
    ed = entry.editions[edition]
    params = {k: getattr(entry, k) for k in entry.model_fields_set if k not in ("editions",)}
    params |= {k: getattr(ed, k) for k in ed.model_fields_set if k not in _ENTRY_KEYS}
    params |= {"edition": edition, "code": ed.code, "reference": ed.reference}
    return RESOLVED[rule_id].model_validate(params)


def _classifier() -> Any:
    from ..classifier import load_classifier

    return load_classifier()


def _check(model: ScreeningRules, lines: dict[KeyPath, int], file: str, clf: Any) -> list[Problem]:
    """Edition ids and codes against the classifier; every edition's parameters complete."""
    problems: list[Problem] = []
    ids = [e.id for e in clf.editions]

    def where(loc: KeyPath) -> str:
        line = line_of(lines, loc)
        return f"{file}:{line}" if line is not None else file

    def edition_known(loc: KeyPath, eid: str, what: str) -> bool:
        if eid in ids:
            return True
        alias = [e.id for e in clf.editions if eid in e.aliases]
        hint = f"; write its id {alias[0]!r}" if alias else ""
        problems.append(
            Problem(
                where(loc),
                ".".join(str(p) for p in loc),
                f"{what}: edition {eid!r} is not an edition id of the classifier "
                f"(editions: {', '.join(ids)}){hint}",
            )
        )
        return False

    for eid in model.notes:
        edition_known(("notes", eid), eid, "notes")
    for rule_id in RULE_IDS:
        entry = model.rules.get(rule_id)
        for eid, ed in entry.editions.items():
            loc: KeyPath = ("rules", rule_id, "editions", eid)
            if not edition_known(loc, eid, f"rule {rule_id}"):
                continue
            edition = clf.edition(id=eid)
            if ed.code is not None and ed.code not in edition.codes:
                problems.append(
                    Problem(
                        where((*loc, "code")),
                        ".".join(str(p) for p in (*loc, "code")),
                        f"rule {rule_id}, edition {eid}: code {ed.code} is not a code of that "
                        f"edition's Annex 1 (codes: {', '.join(edition.codes)})",
                    )
                )
                continue
            if ed.code is None:
                continue
            try:
                _resolve(rule_id, entry, eid)
            except ValidationError as exc:
                for p in problems_from_validation(exc, file, {}):
                    problems.append(
                        Problem(
                            where(loc),
                            ".".join(str(x) for x in loc) + (f".{p.path}" if p.path else ""),
                            f"rule {rule_id}, edition {eid}: {p.message} (a parameter at the "
                            "rule's level or under the edition)",
                        )
                    )
    return problems


def load_rules(path: str | Path | None = None, *, classifier: Any = None) -> ScreeningRules:
    """Load a screening rules file (default: the shipped ``data/screening.yaml``).

    Checks each edition id and code against ``classifier`` (default ``load_classifier()``).
    Raises ``DataFileError`` listing every problem with its file:line and key path.
    """
    if path is None and classifier is None:
        return _default()
    return _load(data_path(DEFAULT_FILE) if path is None else path, classifier)


def _load(path: str | Path, classifier: Any) -> ScreeningRules:
    model, lines = load_model(ScreeningRules, path)
    clf = classifier if classifier is not None else _classifier()
    problems = _check(model, lines, str(path), clf)
    if problems:
        raise DataFileError(str(path), problems)
    model._source = str(path)
    return model


@lru_cache(maxsize=1)
def _default() -> ScreeningRules:
    return _load(data_path(DEFAULT_FILE), None)
