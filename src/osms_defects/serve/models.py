"""The request and response models of ``osms-defects serve`` (pydantic only: no FastAPI here).

The OpenAPI document (``/openapi.json``) and the JSON Schema of each input
(``/schemas/{name}``) are generated from these models. Every value a client sends is text, a
boolean or a list/mapping of them: money is never a JSON number in (a float would already have
lost the tiyn) nor out (amounts are strings with two decimals).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..deductions.engine import INPUT_COLUMNS, REQUIRED_COLUMNS

_IN = ConfigDict(extra="forbid", frozen=True)
_OUT = ConfigDict(extra="allow")

#: a cell of a findings row or a register row: text or null (never a number: write
#: "287450.00", not 287450.00)
Cell = str | None
Reading = Literal["KPN", "PN", "KT", "COST"]
Lang = Literal["ru", "kk", "en"]


class ErrorBody(BaseModel):
    """A request that cannot be used (HTTP 4xx/5xx): ``kind`` is the library's error kind
    (``invalid_request``, ``invalid_json``, ``findings_input``, ``edition_gap``,
    ``unknown_deadline`` …), ``message`` says what was wrong and what is allowed."""

    model_config = _OUT
    kind: str
    message: str
    detail: list[dict[str, Any]] | None = None


class DeductRequest(BaseModel):
    """Findings to deduct, as the rows of a findings file (``osms-defects deduct``)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "findings": [
                        {
                            "finding_id": "F-1",
                            "provider_id": "P-001",
                            "case_id": "C-17",
                            "code": "5.2",
                            "care_type": "inpatient",
                            "base_amount": "287450.00",
                            "monitoring_kind": "current",
                            "detected_on": "2023-05-03",
                        }
                    ],
                    "case_policy": "each",
                }
            ]
        },
    )
    findings: list[dict[str, Cell]] = Field(
        min_length=1,
        description=(
            "one object per finding; keys are the columns of a findings file ("
            + ", ".join(INPUT_COLUMNS)
            + "; required: "
            + ", ".join(REQUIRED_COLUMNS)
            + "); other keys are carried through to the result. Values are strings (or null): "
            "amounts as text with a decimal point, dates YYYY-MM-DD. At most the server's "
            "max_findings rows (see GET /version)."
        ),
    )
    case_policy: Literal["each", "max_per_case"] = Field(
        default="each",
        description="each: every finding deducts; max_per_case: only the largest of a case "
        "(provider_id, case_id). The Rules do not say which the Fund uses (reading D3)",
    )
    unremedied: bool = Field(
        default=False,
        description="п. 59: proactive findings not remedied within 45 days deduct as current",
    )
    accept_reading: Reading | None = Field(
        default=None, description="the reading of cells printed with two (reading E4)"
    )
    accept_doubtful: bool = Field(
        default=False, description="accept the documented reading of doubtful cells (E3)"
    )
    strict_calendar: bool = Field(
        default=False,
        description="refuse dates in a year whose transfer act is not in the calendar data",
    )
    edition: str | None = Field(
        default=None,
        max_length=32,
        description="apply this edition of the Rules (an id or alias) to every finding, "
        "whatever its date, as `deduct --edition`: the way to compute findings of the gap "
        "14.01.2024–31.07.2025 (reading E20); a date it does not govern is marked in "
        "edition_note. Default: the edition in force on each finding's detected_on",
    )
    mask: bool = Field(
        default=True,
        description="ИИН in the carried-through columns shown as ********1234 (as the CLI); "
        "false keeps them in full",
    )


class Summary(BaseModel):
    model_config = _OUT
    rows: int
    deducted: int
    recorded: int
    warnings: int
    errors: int
    total: str = Field(pattern=r"^\d+\.\d{2}$", description="tenge, two decimals, as text")
    case_policy: str
    unremedied: bool


class DeductResponse(BaseModel):
    """``deductions``: one object per finding, in order, with exactly the fields of
    ``osms-defects deduct --format jsonl`` (the finding's own keys, then row, status, amount,
    basis, factor, edition, reference, remedy_due, error, calendar_provisional); an empty value
    is null; amount and factor are strings. A finding that cannot be computed is a row with
    ``status: error`` and ``error: "<kind>: <message>"`` (HTTP 200, as the CLI writes it)."""

    model_config = _OUT
    deductions: list[dict[str, Any]]
    summary: Summary


class DeadlineRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [{"term": "provider_objection", "date": "2023-05-05"}]},
    )
    term: str = Field(
        min_length=1, max_length=64, description="a term of the Rules (GET /version: terms)"
    )
    date: str = Field(
        min_length=4,
        max_length=10,
        description="YYYY-MM-DD (monitoring_report: a period YYYY, YYYY-H1/H2, YYYY-Q1..Q4)",
    )
    edition: str | None = Field(
        default=None, max_length=32, description="an edition id or alias; default: in force"
    )
    lang: Lang = "ru"
    strict_calendar: bool = False


class TimelineRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"examples": [{"start": "2026-03-18"}]},
    )
    start: dt.date = Field(description="the day the procedure starts (YYYY-MM-DD)")
    chain: str | None = Field(
        default=None, max_length=64, description="the procedure; default: the edition's own"
    )
    done: dict[str, dt.date] = Field(
        default_factory=dict, max_length=64, description="step → the day its act was done"
    )
    decisions: dict[str, Literal["rejected", "confirmed"]] = Field(
        default_factory=dict, max_length=64, description="step → a review's decision"
    )
    starts: dict[str, dt.date] = Field(
        default_factory=dict,
        max_length=64,
        description="step → the day its term runs from, when not the previous act's day",
    )
    today: dt.date | None = Field(default=None, description="acts not done by then are overdue")
    edition: str | None = Field(default=None, max_length=32)
    lang: Lang = "ru"
    strict_calendar: bool = False


class ScreenRequest(BaseModel):
    """A small service register as JSON rows (columns of ``osms-defects screen``: record_id,
    record_type, patient_id, provider_id, care_type, service_code, service_date, admitted_on,
    discharged_on, referred_on, call_at, died_on, death_registered_on; other keys are carried
    into the rows they flag). At most the server's ``max_register_rows`` rows: a larger
    register belongs to the CLI (``--shards``) or Spark."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {
                            "record_id": "R1",
                            "record_type": "hospitalization",
                            "patient_id": "PT-1",
                            "provider_id": "P-001",
                            "care_type": "inpatient",
                            "admitted_on": "2023-03-01",
                            "discharged_on": "2023-03-05",
                        }
                    ],
                    "detected_on": "2023-05-01",
                }
            ]
        },
    )
    records: list[dict[str, Cell]] = Field(
        min_length=1, description="the register's rows, one object per record"
    )
    detected_on: dt.date | None = Field(
        default=None,
        description="the detection date: the rules of the classifier edition in force that "
        "day (default: today; reading S7)",
    )
    strict_calendar: bool = False
    mask: bool = True


class ScreenResponse(BaseModel):
    model_config = _OUT
    edition: str
    detected_on: str
    records: int
    bad_records: int
    defects: list[dict[str, Any]]
    errors: list[dict[str, Any]]
    not_applicable: list[dict[str, Any]]


#: the inputs whose JSON Schema ``GET /schemas/{name}`` gives
INPUT_MODELS: dict[str, type[BaseModel]] = {
    "deduct": DeductRequest,
    "deadline": DeadlineRequest,
    "timeline": TimelineRequest,
    "screen": ScreenRequest,
}
