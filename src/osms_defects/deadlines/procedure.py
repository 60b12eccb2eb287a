"""The procedure of each edition of the Rules as data: its kinds of monitoring and its terms.

``data/procedure.yaml`` holds, per edition, the kinds of monitoring (2022: п. 18, five kinds;
2026: п. 4, current and unplanned) and the terms (сроки) with amount, unit, direction,
paragraph and verbatim quote. The editions have the ids of ``data/classifier.yaml`` and take
their periods in force from it (reading E6): the edition in force on a date is the
classifier's, so a gap (2024-01-14 .. the 2026 edition) raises the classifier's
``EditionGapError`` naming the orders whose texts are missing, never a neighbour's term.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._yaml import load_model
from ..classifier import Classifier, load_classifier
from ..errors import (
    EditionGapError,
    NoEditionError,
    TermNotInEditionError,
    UnknownDeadlineError,
    UnknownLanguageError,
)
from ..resources import data_path

__all__ = [
    "KINDS_EN",
    "LANGS",
    "Decision",
    "EditionTerm",
    "Kinds",
    "Label",
    "Lang",
    "Procedure",
    "ProcedureEdition",
    "Term",
    "TermUnit",
    "TimelineSpec",
    "TimelineStepSpec",
    "editions_with",
    "editions_with_timeline",
    "load_procedure",
    "resolve_term",
    "term_names",
]

DEFAULT_FILE = "procedure.yaml"
_FROZEN = ConfigDict(extra="forbid", frozen=True)

Lang = Literal["ru", "kk", "en"]
#: the languages of labels: ru (the law's text), kk (the Kazakh text, where the sources have
#: it), en (an English gloss, not law)
LANGS: tuple[Lang, ...] = ("ru", "kk", "en")

MonitoringKindId = Literal["current", "unplanned", "proactive", "targeted", "mortality"]

#: the kinds of monitoring in words (п. 18 of 2022: текущий, внеплановый, проактивный, целевой,
#: мониторинг случаев летальности и смертности)
KINDS_EN: dict[str, str] = {
    "current": "current (текущий)",
    "unplanned": "unplanned (внеплановый)",
    "proactive": "proactive (проактивный)",
    "targeted": "targeted (целевой)",
    "mortality": "mortality (случаев летальности и смертности)",
}


class TermUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    DAY_OF_FOLLOWING_MONTH = "day_of_following_month"  # «до 30 числа месяца, следующего за …»


class Kinds(BaseModel):
    """The kinds of monitoring an edition has, with the paragraph that lists them."""

    model_config = _FROZEN
    reference: str
    source_line: int = Field(gt=0)
    quote: str
    ids: list[MonitoringKindId] = Field(min_length=1)


class Term(BaseModel):
    """One term (срок) of an edition."""

    model_config = _FROZEN
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    amount: int = Field(gt=0)
    unit: TermUnit
    direction: Literal["after", "before"]
    counted_from: str
    reference: str = Field(pattern=r"^п\. ")
    description: str
    source_line: int = Field(gt=0)
    quote: str
    first_day_counted: bool = False  # п. 29 (2022): the visit's first day is day 1
    roll_to_workday: bool = False  # C3, for calendar days, months, a day of a month
    kind: MonitoringKindId | None = None  # the kind of monitoring the term belongs to
    see_also: str | None = None  # the corresponding term of another edition
    #: a period term whose quarterly instance is also set by another paragraph (2022: п. 39)
    quarter_reference: str | None = Field(default=None, pattern=r"^п\. ")
    description_en: str = Field(min_length=1)  # an English gloss, not law
    # Kazakh: a verbatim fragment of the edition's Kazakh text ("…" marks an omission) and its
    # line there; only where the edition has a Kazakh text (``source_kk``), reading E15
    description_kk: str | None = Field(default=None, min_length=1)
    source_line_kk: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _check(self) -> Term:
        if (self.description_kk is None) != (self.source_line_kk is None):
            raise ValueError("description_kk and source_line_kk go together")
        if self.direction == "before" and self.unit is not TermUnit.WORKING_DAYS:
            raise ValueError("direction 'before' is only for terms in working_days (C4)")
        if self.roll_to_workday and self.unit is TermUnit.WORKING_DAYS:
            raise ValueError("roll_to_workday is for calendar days, months or a day of a month")
        if self.first_day_counted and self.unit is not TermUnit.WORKING_DAYS:
            raise ValueError("first_day_counted is only for terms in working_days")
        return self


class Decision(StrEnum):
    """What a reviewer decides about the potential defect (2026, п. 31, 34, 37, 43, 45, 47)."""

    DEFECT_REJECTED = "defect_rejected"  # согласие с возражением / отклонение дефекта
    DEFECT_CONFIRMED = "defect_confirmed"  # подтверждение (сохранение) дефекта


class DecisionOutcome(BaseModel):
    """What follows a decision: the next step (``next``), or the end of the procedure with its
    outcome (``outcome_en``, citing ``reference``)."""

    model_config = _FROZEN
    next: str | None = None
    reference: str = Field(pattern=r"^п\. ")
    outcome_en: str
    result: Decision | None = None  # what silence means for the potential defect (п. 27, 44)


class TimelineStepSpec(BaseModel):
    """One step of an objection procedure: a term of the edition, the act its term runs from
    (``from``: ``start`` or an earlier step, whose done date starts it), who acts, and what
    follows. A provider's step not taken in time ends the procedure (``silence``); a step with
    ``decisions`` branches on the reviewer's decision; any other step, once done, leads to the
    next step of the list."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    term: str
    from_: str = Field(alias="from")
    actor: Literal["provider", "fund"]
    silence: DecisionOutcome | None = None
    decisions: dict[Decision, DecisionOutcome] | None = None
    then: DecisionOutcome | None = None  # what follows the step once done (default: next step)

    @model_validator(mode="after")
    def _check(self) -> TimelineStepSpec:
        if self.actor == "provider" and self.silence is None:
            raise ValueError(f"step {self.term}: a provider's step says what silence means")
        if self.decisions is not None and self.then is not None:
            raise ValueError(f"step {self.term}: a step has decisions or then, not both")
        if self.decisions is not None and set(self.decisions) != set(Decision):
            raise ValueError(f"step {self.term}: decisions must name both {[*Decision]}")
        return self


class TimelineSpec(BaseModel):
    """An objection procedure of an edition laid out as a chain of terms (data/procedure.yaml,
    ``timelines``)."""

    model_config = _FROZEN
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    reference: str = Field(pattern=r"^п\. ")
    description_en: str
    start: str  # the event the chain starts from, in words
    steps: list[TimelineStepSpec] = Field(min_length=1)

    def step(self, term: str) -> TimelineStepSpec | None:
        for s in self.steps:
            if s.term == term:
                return s
        return None

    @model_validator(mode="after")
    def _check(self) -> TimelineSpec:
        seen: list[str] = []
        for s in self.steps:
            if s.from_ != "start" and s.from_ not in seen:
                raise ValueError(f"timeline {self.name}: step {s.term} runs from {s.from_!r}, "
                                 "which is neither 'start' nor an earlier step")  # fmt: skip
            seen.append(s.term)
            ends = [s.silence, s.then, *(s.decisions or {}).values()]
            for o in [x for x in ends if x is not None]:
                if o.next is not None and o.next not in [x.term for x in self.steps]:
                    raise ValueError(f"timeline {self.name}: {s.term} leads to unknown {o.next!r}")
        return self


@dataclass(frozen=True, slots=True)
class Label:
    """A term's description in a language: ``lang`` is the language of ``text`` (Russian when
    the edition has no text in the language asked, reading E15), ``note`` says why."""

    text: str
    lang: Lang
    note: str | None = None


class SampleRules(BaseModel):
    """The share of services a proactive visit monitors, by half-year of the visit (2022: п. 61,
    «не менее 10 процентов» in the first half-year, «не менее 5 (пяти) процентов» in the
    second)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str = Field(pattern=r"^п\. ")
    first_half_percent: int = Field(gt=0, le=100)
    second_half_percent: int = Field(gt=0, le=100)


class ProactiveRules(BaseModel):
    """An edition's proactive monitoring as it bears on deductions (2022: п. 54, 58, 59)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str = Field(pattern=r"^п\. ")  # no deduction under proactive monitoring…
    exempt_groups: list[str] = Field(min_length=1)  # …except these groups of Annex 1
    exempt_reference: str = Field(pattern=r"^п\. .*\{group\}")
    remedy_term: str  # the term (in this edition's terms) for remedying the defects
    remedy_reference: str = Field(pattern=r"^п\. ")
    unremedied_reference: str = Field(pattern=r"^п\. ")  # deducted when not remedied
    sample: SampleRules  # the proactive visit's sample of services


class ClassReferences(BaseModel):
    """The classes of defects by how they are found and the paragraph of each (D10)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str = Field(pattern=r"^п\. ")
    general: str = Field(pattern=r"^п\. ")
    potential: str = Field(pattern=r"^п\. ")
    additional: str = Field(pattern=r"^п\. ")
    unstated: str = Field(pattern=r"^п\. ")  # a finding of this edition that names none


class DeductionRules(BaseModel):
    """What grounds a deduction under an edition (the paragraph), its proactive rules and its
    classes of defects; each absent where the edition has none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: str = Field(pattern=r"^п\. ")
    proactive: ProactiveRules | None = None
    classes: ClassReferences | None = None


class FormSpec(BaseModel):
    """A printed form (annex) of an edition's Rules: its name, what it is and the paragraph
    that uses it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title_en: str = Field(min_length=1)
    reference: str = Field(pattern=r"^п\. ")
    #: the command that prints it: a conclusion or register from a YAML input (``conclusion``),
    #: or a periodic report from the deductions and contracts (``report``)
    command: Literal["conclusion", "report"] = "conclusion"


class EscalationRule(BaseModel):
    """A sum of unconfirmed cases in МРП that obliges the Fund to act (п. 19–20 of the 2026
    Rules): the multiple, over what it is summed, the paragraph and its verbatim quote."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Literal["monthly", "contract", "repeated"]
    multiple: int = Field(gt=0)
    scope: Literal["calendar_month", "contract_period", "following_months"]
    reference: str = Field(pattern=r"^п\. ")
    source_line: int = Field(gt=0)
    quote: str = Field(min_length=1)
    consequence: str = Field(min_length=1)


class EscalationRules(BaseModel):
    """Which codes are unconfirmed cases under an edition and the escalations its text sets;
    ``rules`` empty with ``none`` saying, from the text, that the edition sets none."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unconfirmed_codes: list[str] = Field(min_length=1)
    codes_reference: str = Field(min_length=1)
    term: str | None = None
    rules: list[EscalationRule] = Field(default_factory=list)
    none: str | None = None
    none_reference: str | None = None
    none_source_line: int | None = None
    none_quote: str | None = None

    @model_validator(mode="after")
    def _rules_or_why_none(self) -> EscalationRules:
        if not self.rules and not self.none:
            raise ValueError("escalations: give the rules or say (none:) why the edition has none")
        if self.rules and self.term is None:
            raise ValueError("escalations: rules need the term of the information (term:)")
        return self


class ProcedureEdition(BaseModel):
    model_config = _FROZEN
    id: str
    source: str
    # the edition's Kazakh text, or why there is none (exactly one of the two, reading E15)
    source_kk: str | None = None
    kk_missing: str | None = Field(default=None, min_length=1)
    kinds: Kinds
    terms: list[Term] = Field(min_length=1)
    timelines: list[TimelineSpec] = Field(default_factory=list)
    #: what grounds a deduction under this edition's Rules (osms_defects.deductions.plan)
    deduction: DeductionRules
    #: the printed forms of this edition's Rules (osms_defects.reports.editions)
    forms: list[FormSpec] = Field(default_factory=list)
    #: the escalations of unconfirmed cases (п. 19–20 of 2026; osms_defects.escalations)
    escalations: EscalationRules | None = None

    @property
    def defect_classes_reference(self) -> str | None:
        """п. 11 of the Rules as rewritten by order No. 68 (D10); None: no classes."""
        return self.deduction.classes.reference if self.deduction.classes else None

    @property
    def deduction_reference(self) -> str:
        return self.deduction.reference

    def term(self, name: str) -> Term | None:
        for t in self.terms:
            if t.name == name:
                return t
        return None

    def timeline(self, name: str) -> TimelineSpec | None:
        for tl in self.timelines:
            if tl.name == name:
                return tl
        return None

    def label(self, name: str, lang: str = "ru") -> Label:
        """The description of term ``name`` in ``lang`` (ru, kk, en). Kazakh under an edition
        with no Kazakh text gives the Russian with a note saying so (reading E15)."""
        t = self.term(name)
        if t is None:
            raise UnknownDeadlineError(f"edition {self.id} has no term {name!r}")
        if lang == "ru":
            return Label(t.description, "ru")
        if lang == "en":
            return Label(t.description_en, "en", "English gloss, not law")
        if lang == "kk":
            if t.description_kk is not None:
                return Label(t.description_kk, "kk")
            return Label(
                t.description,
                "ru",
                f"no Kazakh text for edition {self.id} ({self.kk_missing}); shown in Russian "
                "(reading E15)",
            )
        raise UnknownLanguageError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")

    @model_validator(mode="after")
    def _check(self) -> ProcedureEdition:
        if (self.source_kk is None) == (self.kk_missing is None):
            raise ValueError(
                f"edition {self.id}: give exactly one of source_kk (the Kazakh text) and "
                "kk_missing (why there is none)"
            )
        for t in self.terms:
            if (t.description_kk is None) != (self.source_kk is None):
                raise ValueError(
                    f"edition {self.id}: term {t.name}: "
                    + ("description_kk and source_line_kk are required (source_kk is given)"
                       if self.source_kk else
                       "description_kk given but the edition has no Kazakh text (kk_missing)")
                )  # fmt: skip
        for tl in self.timelines:
            for st in tl.steps:
                if self.term(st.term) is None:
                    raise ValueError(
                        f"edition {self.id}: timeline {tl.name}: step {st.term} is no term "
                        "of the edition"
                    )
        names = [t.name for t in self.terms]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"edition {self.id}: term names repeated: {', '.join(dup)}")
        for t in self.terms:
            if t.kind is not None and t.kind not in self.kinds.ids:
                raise ValueError(
                    f"edition {self.id}: term {t.name} belongs to {t.kind} monitoring, which "
                    f"the edition does not have ({self.kinds.reference}: {self.kinds.ids})"
                )
        pro = self.deduction.proactive
        if (pro is not None) != ("proactive" in self.kinds.ids):
            raise ValueError(
                f"edition {self.id}: deduction.proactive must be given exactly when the edition "
                f"has proactive monitoring ({self.kinds.reference}: {self.kinds.ids})"
            )
        if pro is not None and self.term(pro.remedy_term) is None:
            raise ValueError(
                f"edition {self.id}: deduction.proactive.remedy_term {pro.remedy_term} is no "
                "term of the edition"
            )
        return self


class Procedure(BaseModel):
    model_config = _FROZEN
    schema_version: Literal[1]
    editions: list[ProcedureEdition] = Field(min_length=1)

    def edition(self, id: str) -> ProcedureEdition | None:
        for ed in self.editions:
            if ed.id == id:
                return ed
        return None

    @model_validator(mode="after")
    def _check(self) -> Procedure:
        ids = [e.id for e in self.editions]
        if len(set(ids)) != len(ids):
            raise ValueError(f"edition ids repeated: {ids}")
        every = {t.name for e in self.editions for t in e.terms}
        for e in self.editions:
            for t in e.terms:
                if t.see_also is not None and t.see_also not in every:
                    raise ValueError(
                        f"edition {e.id}: term {t.name}: see_also {t.see_also!r} is no term"
                    )
        return self


def load_procedure(path: str | Path | None = None) -> Procedure:
    """Load ``data/procedure.yaml`` (or ``path``); raises DataFileError with file:line."""
    if path is None:
        return _default()
    model, _ = load_model(Procedure, path)
    return model


@lru_cache(maxsize=1)
def _default() -> Procedure:
    model, _ = load_model(Procedure, data_path(DEFAULT_FILE))
    return model


def term_names(procedure: Procedure | None = None) -> list[str]:
    """Every term name of every edition, in order of first appearance."""
    proc = procedure or load_procedure()
    out: list[str] = []
    for e in proc.editions:
        out += [t.name for t in e.terms if t.name not in out]
    return out


def editions_with(name: str, procedure: Procedure | None = None) -> list[ProcedureEdition]:
    proc = procedure or load_procedure()
    return [e for e in proc.editions if e.term(name) is not None]


def editions_with_timeline(
    name: str, procedure: Procedure | None = None
) -> list[ProcedureEdition]:
    """The editions whose data lays out the objection procedure ``name``."""
    proc = procedure or load_procedure()
    return [e for e in proc.editions if e.timeline(name) is not None]


class EditionTerm(BaseModel):
    """A term as resolved: the edition it comes from (id and period in force) and the term."""

    model_config = _FROZEN
    edition: str
    period: str
    term: Term


def _period(clf: Classifier, id: str) -> str:
    return clf.edition(id=id).in_force.describe()


def resolve_term(
    name: str,
    on: dt.date,
    edition: str | None = None,
    *,
    procedure: Procedure | None = None,
    classifier: Classifier | None = None,
) -> EditionTerm:
    """The term ``name`` of the edition in force on ``on`` (or of ``edition``, an id or alias
    of the classifier, which overrides the date).

    Raises UnknownDeadlineError (no edition has such a term), EditionGapError / NoEditionError
    (no edition in force on the date: the classifier's error, with the missing orders), and
    TermNotInEditionError (the edition has no such term; the message names the editions that
    have it and, when the term belongs to a kind of monitoring the edition lacks, says so).
    """
    proc = procedure or load_procedure()
    clf = classifier or load_classifier()
    having = editions_with(name, proc)
    if not having:
        raise UnknownDeadlineError(
            f"unknown deadline {name!r}; allowed: {', '.join(term_names(proc))}"
        )
    if edition is not None:
        ed_id = clf.edition(id=edition).id  # NoEditionError lists the ids
    else:
        try:
            ed_id = clf.edition(on).id
        except EditionGapError as exc:
            raise EditionGapError(
                f"term {name} on {on.isoformat()}: {exc}; the terms of the Rules in that period "
                "are not in the sources either, so no deadline is computed",
                exc.orders,
            ) from None
        except NoEditionError as exc:
            raise NoEditionError(f"term {name} on {on.isoformat()}: {exc}") from None
    ped = proc.edition(ed_id)
    if ped is None:
        raise NoEditionError(
            f"edition {ed_id} has no procedure in the data (data/procedure.yaml has: "
            + ", ".join(e.id for e in proc.editions)
            + ")"
        )
    t = ped.term(name)
    if t is not None:
        return EditionTerm(edition=ed_id, period=_period(clf, ed_id), term=t)
    first = having[0].term(name)
    assert first is not None
    where = "; ".join(f"edition {e.id} ({_period(clf, e.id)})" for e in having)
    msg = f"{first.reference} {name} exists in {where}; edition {ed_id} "
    if first.kind is not None and first.kind not in ped.kinds.ids:
        kinds = ", ".join(ped.kinds.ids)
        msg += (
            f"has no {first.kind} monitoring ({ped.kinds.reference}: its kinds are {kinds})"
        )
    else:
        msg += "has no such term"
    if first.see_also is not None and ped.term(first.see_also) is not None:
        alt = ped.term(first.see_also)
        assert alt is not None
        msg += f"; its nearest term is {alt.name} ({alt.reference}: {alt.description})"
    if edition is None:
        msg += f" (edition {ed_id} is in force on {on.isoformat()}; choose another with --edition ID, edition= in Python)"
    raise TermNotInEditionError(msg, name, ed_id, [e.id for e in having])
