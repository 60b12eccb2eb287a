"""Typed models of ``data/screening.yaml``: the screening rules and their parameters.

п. 11, 45 Правил: the Fund confirms or rejects «дефектов, установленных автоматизированным
способом». Each rule here establishes such potential defects; its parameters (days, hours,
code lists) and the defect code it suggests live in the YAML file so that the Fund can tune
them without a release. Unknown keys are errors (``extra="forbid"``).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .._yaml import load_model
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


class _Rule(BaseModel):
    model_config = _FROZEN
    enabled: bool = True
    code: str = Field(pattern=_CODE)  # the suggested defect code of Annex 1
    reference: str = Field(min_length=1)


class RepeatHospitalization(_Rule):
    """Прил. 1, код 4.0: readmission within 30 calendar days of the end of inpatient care."""

    window_days: int = Field(ge=1)
    include_same_day: bool = False  # reading S1: day 0 (same-day transfer) off by default
    same_provider: bool = False


class RepeatEmergencyCall(_Rule):
    """Прил. 1, код 6.12: a repeat emergency call to the same patient within 24 hours."""

    window_hours: int = Field(ge=1)
    same_provider: bool = False


class LateDeathRegistration(_Rule):
    """Прил. 1, код 2.3: death registered later than 10 days after it."""

    max_days: int = Field(ge=0)


class LongWaitKdu(_Rule):
    """Прил. 1, код 7.1: waiting for a КДУ service more than 10 working days."""

    max_workdays: int = Field(ge=0)
    service_code_prefixes: tuple[str, ...] | None = None


class DuplicateService(_Rule):
    """Protocol item 13: the same service to the same patient by one provider the same day."""


class PcrOverLimit(_Rule):
    """Protocol item 13: more than 2 PCR services to a patient within 30 calendar days."""

    max_count: int = Field(ge=1)
    window_days: int = Field(ge=1)
    service_codes: tuple[str, ...] = Field(min_length=1)


class Rules(BaseModel):
    """The rules of one screening file (every rule must be present; disable with enabled)."""

    model_config = _FROZEN
    repeat_hospitalization: RepeatHospitalization
    repeat_emergency_call: RepeatEmergencyCall
    late_death_registration: LateDeathRegistration
    long_wait_kdu: LongWaitKdu
    duplicate_service: DuplicateService
    pcr_over_limit: PcrOverLimit

    def get(self, rule_id: str) -> _Rule:
        rule: _Rule = getattr(self, rule_id)
        return rule


class ScreeningRules(BaseModel):
    """``data/screening.yaml``: the note every potential defect carries and the rules."""

    model_config = _FROZEN
    version: int = Field(ge=1)
    note_ru: str
    note: str
    rules: Rules

    def enabled(self) -> tuple[str, ...]:
        """The ids of the enabled rules, in output order."""
        return tuple(r for r in RULE_IDS if self.rules.get(r).enabled)


def load_rules(path: str | Path | None = None) -> ScreeningRules:
    """Load a screening rules file (default: the shipped ``data/screening.yaml``).

    Raises ``DataFileError`` listing every problem with its file:line and key path.
    """
    if path is None:
        return _default()
    model, _ = load_model(ScreeningRules, path)
    return model


@lru_cache(maxsize=1)
def _default() -> ScreeningRules:
    model, _ = load_model(ScreeningRules, data_path(DEFAULT_FILE))
    return model
