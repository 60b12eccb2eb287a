"""The registry of screening rules: each rule is an id, one parameter model and a function.

A rule is registered with the ``rule`` decorator on the function that builds its lazy frame of
potential defects::

    class LongStay(Rule):
        max_days: int = Field(ge=1)

    @rule("long_stay", params=LongStay)
    def long_stay(records: pl.LazyFrame, p: LongStay) -> pl.LazyFrame: ...

The parameter model (a subclass of ``Rule``) is the rule as it runs under one edition: the
edition, its code and reference (from ``Rule``) and the rule's own parameters, with their
types, bounds and defaults. From it the rules file's models are derived (``rules.py``): the
parameters may be written at the rule's level of ``data/screening.yaml`` and overridden under
each edition; the two are merged and validated by this one model. The order of registration is
the order of the output (``rule_ids()``). See docs/screening.md, "Adding a screening rule".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
import polars as pl
from pydantic import BaseModel, ConfigDict, Field

from ..errors import OsmsDefectsError

_CODE = r"^\d{1,2}\.\d{1,2}$"

#: keys of the rules file that are not parameters (a parameter model must not use them)
RESERVED_KEYS = frozenset({"enabled", "editions", "edition", "code", "reference", "reason"})


class Rule(BaseModel):
    """A rule as it runs under one edition: its parameters (the fields a subclass adds), the
    code of that edition and the code's reference (built by ``ScreeningRules.in_force``).
    Every rule's parameter model derives from it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    enabled: bool = True
    edition: str  # the classifier edition (data/classifier.yaml id) the code belongs to
    code: str = Field(pattern=_CODE)  # the suggested defect code of that edition's Annex 1
    reference: str = Field(min_length=1)

    @classmethod
    def parameters(cls) -> tuple[str, ...]:
        """The names of the rule's own parameters (the fields beyond ``Rule``'s)."""
        return tuple(n for n in cls.model_fields if n not in Rule.model_fields)


class WorkdayCounter(Protocol):
    """What a rule that needs the calendar (``long_wait_kdu``) needs of it
    (``osms_defects.calendar.WorkCalendar``)."""

    first: dt.date
    last: dt.date
    final_last: dt.date  # the last day whose transfer act is in the data

    def provisional_notes(self, *dates: dt.date | None, lang: str = "ru") -> tuple[str, ...]: ...

    def count_workdays_array(
        self, start: npt.NDArray[np.datetime64], end: npt.NDArray[np.datetime64]
    ) -> npt.NDArray[np.int64]: ...


#: a rule's function: (records, parameters) or, with ``needs_calendar``, (records, parameters,
#: calendar) → a LazyFrame of hits (or of data errors, ``errors``)
RuleFunction = Callable[..., pl.LazyFrame]
F = TypeVar("F", bound=RuleFunction)


class RuleRegistryError(OsmsDefectsError, ValueError):
    """A screening rule registered twice, or with a parameter model the rules file cannot
    hold (not a ``Rule``, or a parameter named like a key of the file)."""


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """One registered rule.

    ``hits(records, p[, calendar])``: the potential defects (any columns of ``DEFECT_SCHEMA``
    it can give; the engine adds the code, reference, edition and note). ``errors(records, p[,
    calendar])``: the rule's own data errors (``ERROR_SCHEMA``), when it has them.
    ``needs_calendar``: the functions take the working-day calendar as a third argument."""

    rule_id: str
    params: type[Rule]
    hits: RuleFunction
    errors: RuleFunction | None = None
    needs_calendar: bool = False

    def run_hits(
        self, records: pl.LazyFrame, p: Rule, calendar: WorkdayCounter | None
    ) -> pl.LazyFrame:
        return self.hits(records, p, calendar) if self.needs_calendar else self.hits(records, p)

    def run_errors(
        self, records: pl.LazyFrame, p: Rule, calendar: WorkdayCounter | None
    ) -> pl.LazyFrame | None:
        if self.errors is None:
            return None
        return self.errors(records, p, calendar) if self.needs_calendar else self.errors(records, p)


#: the registered rules, in output order
RULES: dict[str, RuleSpec] = {}


def rule(
    rule_id: str,
    *,
    params: type[Rule],
    errors: RuleFunction | None = None,
    needs_calendar: bool = False,
) -> Callable[[F], F]:
    """Register the decorated function as screening rule ``rule_id`` with parameter model
    ``params``; its entry under ``rules:`` of the rules file is then read and validated, and
    it runs after the rules registered before it."""

    def register(fn: F) -> F:
        add(RuleSpec(rule_id, params, fn, errors, needs_calendar))
        return fn

    return register


def add(spec: RuleSpec) -> None:
    """Register ``spec`` (the ``rule`` decorator's work)."""
    if spec.rule_id in RULES:
        raise RuleRegistryError(f"screening rule {spec.rule_id!r} is registered already")
    if not (isinstance(spec.params, type) and issubclass(spec.params, Rule)):
        raise RuleRegistryError(
            f"screening rule {spec.rule_id!r}: params must be a subclass of "
            f"osms_defects.screening.registry.Rule, not {spec.params!r}"
        )
    clash = sorted(RESERVED_KEYS.intersection(spec.params.parameters()))
    if clash:
        raise RuleRegistryError(
            f"screening rule {spec.rule_id!r}: parameter(s) {', '.join(clash)} would clash with "
            f"the keys of the rules file ({', '.join(sorted(RESERVED_KEYS))})"
        )
    RULES[spec.rule_id] = spec


def remove(rule_id: str) -> RuleSpec:
    """Unregister rule ``rule_id`` (for tests that register a rule of their own)."""
    if rule_id not in RULES:
        raise RuleRegistryError(
            f"no screening rule {rule_id!r} (registered: {', '.join(RULES)})"
        )
    return RULES.pop(rule_id)


def rule_ids() -> tuple[str, ...]:
    """The ids of the registered rules, in output order."""
    return tuple(RULES)


def registry_key() -> tuple[tuple[str, Any], ...]:
    """What the models derived from the registry depend on (their caches are keyed on it)."""
    return tuple((s.rule_id, s.params) for s in RULES.values())
