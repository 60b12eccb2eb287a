"""Findings (выявленные дефекты) and the deductions they give (уменьшение суммы, подлежащей
оплате поставщику; п. 12, 30, 34 Правил).

A :class:`Finding` is what a monitoring specialist records; a :class:`Deduction` is what the
library computes from it, with the edition, code, care type, basis, factor, base and the
paragraphs applied, so every amount explains itself (:meth:`Deduction.explain`).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, Self, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..classifier import Basis
from ..errors import FindingError, ModelInputError
from .amounts import parse_amount


class _NamedInLaw(StrEnum):
    """An enum whose members carry their Russian name in the Rules; ``parse`` takes the id or
    the name (the tables are set after each class: ``_ru``, ``_by_name``, ``_source``)."""

    @property
    def name_ru(self) -> str:
        return _RU_NAMES[type(self)][self]

    @classmethod
    def parse(cls, text: str) -> Self:
        """An id (``proactive``, ``general``) or the Russian name in the Rules."""
        found = _BY_NAME[cls].get(text.strip().lower())
        if found is not None:
            return cast("Self", found)
        field, source = _SOURCE[cls]
        raise ValueError(
            f"{field} {text!r} is not one of {source}: "
            + ", ".join(f"{k.value} ({k.name_ru})" for k in cls)
        )


class MonitoringKind(_NamedInLaw):
    """The kinds of monitoring (п. 18 Правил: «Мониторинг ... обеспечиваются следующими видами:
    1) текущий; 2) внеплановый; 3) проактивный; 4) целевой; 5) случаев летальности и
    смертности»)."""

    CURRENT = "current"  # п. 18, пп. 1): текущий (плановый, п. 59)
    UNPLANNED = "unplanned"  # п. 18, пп. 2): внеплановый
    PROACTIVE = "proactive"  # п. 18, пп. 3): проактивный
    TARGETED = "targeted"  # п. 18, пп. 4): целевой
    MORTALITY = "mortality"  # п. 18, пп. 5): случаев летальности и смертности


_KIND_RU: dict[MonitoringKind, str] = {
    MonitoringKind.CURRENT: "текущий",
    MonitoringKind.UNPLANNED: "внеплановый",
    MonitoringKind.PROACTIVE: "проактивный",
    MonitoringKind.TARGETED: "целевой",
    MonitoringKind.MORTALITY: "случаев летальности и смертности",
}
_KIND_BY_NAME: dict[str, MonitoringKind] = {k.value: k for k in MonitoringKind} | {
    ru: k for k, ru in _KIND_RU.items()
}


class DefectClass(_NamedInLaw):
    """The classes of defects by how they are found, in the Rules as rewritten by order No. 68
    (edition "2026"), п. 11: «Дефекты и нарушения по типу их выявления подразделяются на:
    1) общие; 2) потенциальные; 3) дополнительные». The 2022 Rules have no such classes."""

    GENERAL = "general"  # п. 11, пп. 1), п. 12: общие — never reduce the payment
    POTENTIAL = "potential"  # п. 11, пп. 2), п. 13: потенциальные
    ADDITIONAL = "additional"  # п. 11, пп. 3), п. 14: дополнительные


_CLASS_RU: dict[DefectClass, str] = {
    DefectClass.GENERAL: "общие",
    DefectClass.POTENTIAL: "потенциальные",
    DefectClass.ADDITIONAL: "дополнительные",
}
_CLASS_BY_NAME: dict[str, DefectClass] = (
    {k.value: k for k in DefectClass}
    | {ru: k for k, ru in _CLASS_RU.items()}
    # the singular, as a finding names its own class
    | {"общий": DefectClass.GENERAL, "потенциальный": DefectClass.POTENTIAL,
       "дополнительный": DefectClass.ADDITIONAL}
)  # fmt: skip

# the tables of _NamedInLaw: Russian names, names accepted by parse, and the field and
# paragraph an error names (MonitoringKind.parse accepts «проактивный», DefectClass «общий»)
_RU_NAMES: dict[type[_NamedInLaw], Mapping[Any, str]] = {
    MonitoringKind: _KIND_RU,
    DefectClass: _CLASS_RU,
}
_BY_NAME: dict[type[_NamedInLaw], Mapping[str, _NamedInLaw]] = {
    MonitoringKind: _KIND_BY_NAME,
    DefectClass: _CLASS_BY_NAME,
}
_SOURCE: dict[type[_NamedInLaw], tuple[str, str]] = {
    MonitoringKind: ("monitoring kind", "п. 18"),
    DefectClass: ("defect_class", "п. 11 (ред. 2026)"),
}


class Status(StrEnum):
    """What a finding gives."""

    DEDUCTED = "deducted"  # an amount is taken off the payment (п. 12, 30)
    RECORDED = "recorded"  # the defect is recorded, 0.00 deducted (basis NONE, group 2.0)
    WARNING = "warning"  # proactive monitoring: remedy by the due date, nothing yet (п. 54, 58)
    ERROR = "error"  # the finding cannot be computed; ``error_kind`` says why


class ErrorKind(StrEnum):
    """Why a finding could not be computed (stable ids: conformance vectors and CSV use them)."""

    INVALID_FIELD = "invalid_field"  # a field missing or unreadable (date, kind, code …)
    NO_EDITION = "no_edition"  # no classifier edition in force on detected_on (reading R4)
    EDITION_GAP = "edition_gap"  # detected_on falls in a period whose edition is not in the data
    KIND_NOT_IN_FORCE = "kind_not_in_force"  # the Rules in force then have no such monitoring (D9)
    CLASS_NOT_IN_EDITION = "class_not_in_edition"  # defect_class given under the 2022 Rules (D10)
    DOUBTFUL_CELL = "doubtful_cell"  # 2026 edition: a cell the data marks doubtful (E3)
    READING_REQUIRED = "reading_required"  # 2026 edition: a cell with two readings (E4)
    UNKNOWN_CODE = "unknown_code"
    UNKNOWN_CARE_TYPE = "unknown_care_type"
    NOT_APPLICABLE = "not_applicable"  # Annex 1 prints "-"
    PENALTY_UNDEFINED = "penalty_undefined"  # "+" whose group prints no amount (reading R2)
    GROUP_NOT_ASSIGNABLE = "group_not_assignable"  # a group with sub-codes (reading R1)
    BASE_MISSING = "base_missing"
    BASE_ZERO = "base_zero"  # zero where a positive amount is needed
    BASE_NEGATIVE = "base_negative"
    BASE_NOT_A_NUMBER = "base_not_a_number"
    BASE_TOO_PRECISE = "base_too_precise"  # more than two decimals (not whole tiyn)
    BASE_OUT_OF_RANGE = "base_out_of_range"  # more than 18 integer digits
    SIGNED_ON_MISSING = "signed_on_missing"  # proactive warning without conclusion date (п. 58)
    CALENDAR_RANGE = "calendar_range"  # the remedy date is outside the calendar's data
    #: a date outside the plausible range of osms_defects.dates (a typing error such as 9999)
    IMPLAUSIBLE_DATE = "implausible_date"
    #: a finding_id given again in the same input: the first occurrence is computed, every
    #: later one is this error naming the row of the first (never deducted twice)
    DUPLICATE_FINDING = "duplicate_finding"
    #: a line of the input file that cannot be split into fields (an extra field, a quote
    #: never closed): its row is kept, empty, with the line number
    MALFORMED_LINE = "malformed_line"


def model_input_error(
    name: str, exc: ValidationError, cls: type[ModelInputError] = ModelInputError
) -> ModelInputError:
    """A library error for pydantic's ValidationError: every field with its value and message;
    pydantic's details in ``.errors``."""
    details = exc.errors(include_url=False)
    lines = []
    for err in details:
        loc = ".".join(str(p) for p in err["loc"]) or "(the whole input)"
        got = f" (got {err['input']!r:.80})" if "input" in err else ""
        lines.append(f"  - {loc}: {err['msg']}{got}")
    return cls(
        f"{name}: {len(details)} invalid field(s):\n" + "\n".join(lines),
        [dict(e) for e in details],
    )


def _reject_float(value: Any) -> Any:
    if isinstance(value, float):
        raise ValueError(
            "money is never a float (binary fractions are not tiyn): give a Decimal, an int or "
            "a string such as '12345.67'"
        )
    if isinstance(value, str):
        return parse_amount(value)  # the grammar of the files: '12345.67'
    return value


class Finding(BaseModel):
    """One defect found by monitoring (п. 12, 30 Правил).

    ``base_amount`` is what the factor multiplies: the БКПН, ПН or КТ rate for multiples, the
    cost of the treated case or service for percentages. For code 11.0 the patient's
    documented expenses go in ``documented_amount`` instead (Прил. 1, код 11.0; reading R3).
    ``detected_on`` selects the edition (reading R4); ``conclusion_signed_on`` starts the 45
    days of п. 58 for proactive monitoring.

    Amounts that are present but wrong (negative, zero, NaN, more than two decimals) are
    accepted here and give a finding with status ``error`` from :func:`deduct`, so that a
    batch keeps one output row per input row.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    if not TYPE_CHECKING:  # mypy keeps the fields' signature from the pydantic plugin

        def __init__(self, **data: Any) -> None:
            """Invalid values raise :class:`~osms_defects.errors.FindingError` (an
            OsmsDefectsError and a ValueError) carrying pydantic's details."""
            try:
                super().__init__(**data)
            except ValidationError as exc:
                raise model_input_error("Finding", exc, FindingError) from None

        @classmethod
        def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Finding:
            try:
                return super().model_validate(obj, *args, **kwargs)
            except ValidationError as exc:
                raise model_input_error("Finding", exc, FindingError) from None

    code: str
    care_type: str
    detected_on: dt.date
    monitoring_kind: MonitoringKind = MonitoringKind.CURRENT
    # NaN is kept so that deduct() reports it as base_not_a_number for this finding
    base_amount: Annotated[Decimal, Field(allow_inf_nan=True)] | None = None
    documented_amount: Annotated[Decimal, Field(allow_inf_nan=True)] | None = None
    conclusion_signed_on: dt.date | None = None
    #: п. 11 of the Rules as rewritten by order No. 68 (edition "2026"); None: not stated (D10)
    defect_class: DefectClass | None = None
    finding_id: str | None = None
    provider_id: str | None = None
    case_id: str | None = None

    @field_validator("base_amount", "documented_amount", mode="before")
    @classmethod
    def _money(cls, value: Any) -> Any:
        return _reject_float(value)

    @field_validator("detected_on", "conclusion_signed_on", mode="before")
    @classmethod
    def _date_not_datetime(cls, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.date()
        return value

    @field_validator("monitoring_kind", mode="before")
    @classmethod
    def _kind(cls, value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, MonitoringKind):
            return MonitoringKind.parse(value)
        return value

    @field_validator("defect_class", mode="before")
    @classmethod
    def _class(cls, value: Any) -> Any:
        if isinstance(value, str) and not isinstance(value, DefectClass):
            return DefectClass.parse(value) if value.strip() else None
        return value


def format_factor(factor: Decimal) -> str:
    """A factor as plain decimal text: 3, 0.3, 30, 100 (never 1E+2)."""
    text = format(factor.normalize(), "f")
    return text


class Deduction(NamedTuple):
    """The result of one finding: the amount, why, and under which paragraphs.

    ``amount`` is tenge with two decimals, rounded ROUND_HALF_UP on the finding (п. 30; reading
    D2); ``None`` only for status ``error``. ``references`` lists the paragraphs applied, e.g.
    ``("Прил. 1, код 5.2 (сумма группы 5.0), гр. 6", "п. 12, 30")``. Immutable (a named
    tuple: cheap to build a million of).
    """

    status: Status
    amount: Decimal | None
    finding: Finding | None = None
    row: int | None = None
    edition: str | None = None
    code: str | None = None
    care_type: str | None = None
    monitoring_kind: MonitoringKind | None = None
    basis: Basis | None = None
    factor: Decimal | None = None
    base: Decimal | None = None
    references: tuple[str, ...] = ()
    remedy_due: dt.date | None = None
    error_kind: ErrorKind | None = None
    error_message: str | None = None
    note: str | None = None  # e.g. the case policy that zeroed this finding
    #: the remedy date (п. 58) was counted on a provisional calendar year (no transfer act
    #: in the data yet); ``calendar_note`` names the missing act
    calendar_provisional: bool = False
    calendar_note: str | None = None
    #: the edition's mark: a date in the uncertain window of order No. 19 (reading E18, with
    #: the amount under the other edition), an amendment whose text is missing (E19), or an
    #: edition the caller chose for a date it does not govern (E20); None: no mark
    edition_note: str | None = None

    @property
    def reference(self) -> str:
        return "; ".join(self.references)

    @property
    def error(self) -> str:
        """``"kind: message"`` for the CSV ``error`` column; "" when not an error."""
        if self.error_kind is None:
            return ""
        return f"{self.error_kind.value}: {self.error_message or ''}"

    def explain(self, lang: str = "both") -> str:
        """A short text naming the rule, the numbers and the paragraphs ("ru", "en" or "both")."""
        from .explain import explain

        return explain(self, lang)

    def _repr_html_(self) -> str:
        rows = [
            ("status", self.status.value),
            ("amount", "" if self.amount is None else f"{self.amount} ₸"),
            ("edition", self.edition or ""),
            ("code", self.code or ""),
            ("care type", self.care_type or ""),
            (
                "basis × factor",
                f"{self.basis or ''} × {'' if self.factor is None else format_factor(self.factor)}",
            ),
            ("base", "" if self.base is None else str(self.base)),
            ("references", self.reference),
            ("remedy due", "" if self.remedy_due is None else self.remedy_due.isoformat()),
            ("calendar", self.calendar_note or ""),
            ("edition note", self.edition_note or ""),
            ("error", self.error),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in rows
            if v
        )
        text = html.escape(self.explain()).replace("\n", "<br>")
        return f"<table>{body}</table><p>{text}</p>"
