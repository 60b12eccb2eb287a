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

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    create_model,
    model_validator,
)

from .._yaml import KeyPath, line_of, load_yaml, problems_from_validation, read_text
from ..errors import DataFileError, Problem, ScreeningEditionError
from ..resources import data_path
from .builtin import (
    DuplicateService,
    LateDeathRegistration,
    LongWaitKdu,
    PcrOverLimit,
    RepeatEmergencyCall,
    RepeatHospitalization,
)
from .registry import _CODE, RULES, Rule, registry_key, rule_ids

__all__ = [
    "DEFAULT_FILE",
    "RULE_IDS",
    "DuplicateService",
    "EditionRules",
    "LateDeathRegistration",
    "LongWaitKdu",
    "NotApplicable",
    "Note",
    "PcrOverLimit",
    "RepeatEmergencyCall",
    "RepeatHospitalization",
    "Rule",
    "RuleEntries",
    "ScreeningRules",
    "load_rules",
    "rules_file_model",
]

_FROZEN = ConfigDict(extra="forbid", frozen=True)

DEFAULT_FILE = "screening.yaml"

#: the ids of the shipped rules (``builtin.py``), in the order the output lists them; a rule
#: registered later (``registry.rule``) follows them: ``registry.rule_ids()``
RULE_IDS: tuple[str, ...] = rule_ids()

_ENTRY_KEYS = ("code", "reference", "reason")


# ------------------------------------------------------------------ the file
class _EditionEntry(BaseModel):
    """What a rule suggests under one edition: ``code`` and its verbatim ``reference``, or
    ``code: null`` and the ``reason`` the edition has no such code; plus any parameter whose
    value that edition sets differently (e.g. 2026 ``max_workdays: 15``). A rule's own entry
    model adds its parameters (``rules_file_model``)."""

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


class _RuleEntry(BaseModel):
    """A rule's entry under ``rules:``: whether it runs, its parameters at the rule's level
    (added per rule by ``rules_file_model``) and, per classifier edition id, its code,
    reference and the parameters that edition sets differently."""

    model_config = _FROZEN
    enabled: bool = True
    #: per classifier edition id (data/classifier.yaml): the code, reference, parameters
    editions: dict[str, _EditionEntry] = Field(min_length=1)


class RuleEntries(BaseModel):
    """``rules:`` of a screening file: one entry per registered rule (every rule must be
    present; disable one with ``enabled: false``). The model of a file is derived from the
    registry (``rules_file_model``); a key that is no registered rule is refused on load with
    the known ids."""

    model_config = ConfigDict(extra="allow", frozen=True)

    def get(self, rule_id: str) -> _RuleEntry:
        entry: _RuleEntry = getattr(self, rule_id)
        return entry

    def ids(self) -> tuple[str, ...]:
        """The registered rules this file has an entry for, in output order."""
        fields = type(self).model_fields
        return tuple(r for r in rule_ids() if r in fields)


def _optional_parameters(params: type[Rule]) -> dict[str, Any]:
    """The parameters of a rule's model as optional fields (default None: not set at this
    level), each keeping its type and bounds, for the rule and edition levels of the file."""
    fields: dict[str, Any] = {}
    for name in params.parameters():
        info = params.model_fields[name]
        typ: Any = info.annotation
        if info.metadata:
            typ = Annotated[(typ, *info.metadata)]
        fields[name] = (typ | None, None)
    return fields


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
    (``rules``, in registry order), and the enabled rules that edition has no code for
    (``not_applicable``: they do not run, and every result says so)."""

    edition: str
    detected_on: dt.date
    note: str
    rules: dict[str, Rule]
    not_applicable: tuple[NotApplicable, ...] = field(default=())
    source: str = ""

    def enabled(self) -> tuple[str, ...]:
        """The ids of the rules that run, in output order."""
        return tuple(r for r in rule_ids() if r in self.rules)

    def get(self, rule_id: str) -> Rule:
        return self.rules[rule_id]


class ScreeningRules(BaseModel):
    """``data/screening.yaml``: the note per edition and the rules (codes per edition).

    A file is validated by the model derived from the registered rules
    (``rules_file_model()``, a subclass whose ``rules`` has one entry per rule)."""

    model_config = _FROZEN
    version: Literal[2]
    notes: dict[str, Note] = Field(min_length=1)
    rules: RuleEntries
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
        return tuple(r for r in self.rules.ids() if self.rules.get(r).enabled)

    def for_edition(self, edition: str, detected_on: dt.date) -> EditionRules:
        """The rules as they run under classifier edition ``edition`` (its id). An enabled
        rule that says nothing for that edition is an error (never a neighbour's code)."""
        resolved: dict[str, Rule] = {}
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
        ed, notes = clf.choose(on)
        rules = self.for_edition(ed.id, on)
        if notes:  # readings E18, E19: every row of the screening carries the mark
            rules = dataclasses.replace(rules, note=f"{rules.note} | {'; '.join(notes)}")
        return rules


def _resolve(rule_id: str, entry: _RuleEntry, edition: str) -> Rule:
    """The rule's parameters (rule level, overridden by the edition's) with the edition's code
    and reference, merged and validated by the rule's one parameter model (a parameter
    missing or out of bounds → ValidationError)."""
    ed = entry.editions[edition]
    params = {k: getattr(entry, k) for k in entry.model_fields_set if k not in ("editions",)}
    params |= {k: getattr(ed, k) for k in ed.model_fields_set if k not in _ENTRY_KEYS}
    params |= {"edition": edition, "code": ed.code, "reference": ed.reference}
    return RULES[rule_id].params.model_validate(params)


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
    for rule_id in model.rules.ids():
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
    file = str(path)
    data, lines = load_yaml(read_text(path), file)
    problems = _unknown_rules(data, lines, file)
    try:
        model = rules_file_model().model_validate(data)
    except ValidationError as exc:
        raise DataFileError(file, [*problems, *problems_from_validation(exc, file, lines)]) from None
    clf = classifier if classifier is not None else _classifier()
    problems += _check(model, lines, file, clf)
    if problems:
        raise DataFileError(file, problems)
    model._source = file
    return model


def _unknown_rules(data: Any, lines: dict[KeyPath, int], file: str) -> list[Problem]:
    """A key of ``rules:`` that is no registered rule, with the known ids."""
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, dict):
        return []
    problems = []
    for key in rules:
        if key not in RULES:
            line = line_of(lines, ("rules", key))
            problems.append(
                Problem(
                    f"{file}:{line}" if line is not None else file,
                    f"rules.{key}",
                    f"unknown rule {key!r}: the rules are {', '.join(RULES)} (a new rule needs "
                    "its function registered: docs/screening.md, Adding a screening rule)",
                )
            )
    return problems


def rules_file_model() -> type[ScreeningRules]:
    """The model of a screening rules file for the rules registered now: under ``rules:`` one
    entry per rule, whose parameters (those of the rule's model, all optional here) may be
    given at the rule's level and under each edition, next to its code and reference."""
    return _rules_file_model(registry_key())


@lru_cache(maxsize=8)
def _rules_file_model(key: tuple[tuple[str, Any], ...]) -> type[ScreeningRules]:
    entries: dict[str, Any] = {}
    for rule_id, params in key:
        parameters = _optional_parameters(params)
        edition = create_model(f"{params.__name__}Edition", __base__=_EditionEntry, **parameters)
        entry = create_model(
            f"{params.__name__}Rule",
            __base__=_RuleEntry,
            editions=(dict[str, edition], Field(min_length=1)),
            **parameters,
        )
        entries[rule_id] = (entry, ...)
    rules = create_model("Rules", __base__=RuleEntries, **entries)
    return create_model("ScreeningRules", __base__=ScreeningRules, rules=(rules, ...))


@lru_cache(maxsize=8)
def _default_for(key: tuple[tuple[str, Any], ...]) -> ScreeningRules:
    return _load(data_path(DEFAULT_FILE), None)


def _default() -> ScreeningRules:
    """The shipped file, loaded once per set of registered rules."""
    return _default_for(registry_key())
