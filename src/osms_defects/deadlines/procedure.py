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
)
from ..resources import data_path

__all__ = [
    "KINDS_EN",
    "EditionTerm",
    "Kinds",
    "Procedure",
    "ProcedureEdition",
    "Term",
    "TermUnit",
    "editions_with",
    "load_procedure",
    "resolve_term",
    "term_names",
]

DEFAULT_FILE = "procedure.yaml"
_FROZEN = ConfigDict(extra="forbid", frozen=True)

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

    @model_validator(mode="after")
    def _check(self) -> Term:
        if self.direction == "before" and self.unit is not TermUnit.WORKING_DAYS:
            raise ValueError("direction 'before' is only for terms in working_days (C4)")
        if self.roll_to_workday and self.unit is TermUnit.WORKING_DAYS:
            raise ValueError("roll_to_workday is for calendar days, months or a day of a month")
        if self.first_day_counted and self.unit is not TermUnit.WORKING_DAYS:
            raise ValueError("first_day_counted is only for terms in working_days")
        return self


class ProcedureEdition(BaseModel):
    model_config = _FROZEN
    id: str
    source: str
    kinds: Kinds
    terms: list[Term] = Field(min_length=1)

    def term(self, name: str) -> Term | None:
        for t in self.terms:
            if t.name == name:
                return t
        return None

    @model_validator(mode="after")
    def _check(self) -> ProcedureEdition:
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
        msg += f" (edition {ed_id} is in force on {on.isoformat()}; pass edition= to choose)"
    raise TermNotInEditionError(msg, name, ed_id, [e.id for e in having])
