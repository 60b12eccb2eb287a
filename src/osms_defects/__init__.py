"""osms-defects: the reference implementation of Kazakhstan's rules for reducing payment to
health-care providers for defects of care.

The law: the Rules of monitoring of the execution of health-service purchase contracts (order
ҚР ДСМ-321/2020, in the edition of order ҚР ДСМ-105 of 29.09.2022) and their Annex 1, the
Unified Classifier of Defects (Единый классификатор дефектов).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._lazy import lazy_attribute
from .errors import (
    AmountSyntaxError,
    BadPeriodError,
    CalendarRangeError,
    ClassifierFileError,
    DataFileError,
    DoubtfulCellError,
    EditionGapError,
    FindingError,
    FindingsInputError,
    FormEditionError,
    GroupCodeNotAssignableError,
    ImplausibleDateError,
    InvalidIINError,
    ModelInputError,
    MonitoringNotAllowedError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    OverrideFileError,
    PenaltyUndefinedError,
    ReadingRequiredError,
    RegisterError,
    ReportInputError,
    SampleError,
    TermNotInEditionError,
    UnknownCareTypeError,
    UnknownDeadlineError,
    UnknownDefectCodeError,
)
from .iin import is_valid_iin, mask_iin, validate_iin

# The classifier, the deductions and the calendar are imported when first used (issue 19): a
# fund script that only validates an ИИН, and `osms-defects --version`, start in a fraction of
# a second, and nothing here imports polars, numpy or openpyxl.
if TYPE_CHECKING:
    from .classifier import (
        Basis,
        CareType,
        Classifier,
        Edition,
        LintFinding,
        Penalty,
        load_classifier,
    )
    from .deductions import (
        BatchResult,
        BatchSummary,
        Deduction,
        DefectClass,
        ErrorKind,
        Finding,
        MonitoringKind,
        Status,
        deduct,
        deduct_many,
        deduct_table,
    )

_LAZY: dict[str, str] = {
    **dict.fromkeys(
        ("Basis", "CareType", "Classifier", "Edition", "LintFinding", "Penalty", "load_classifier"),
        ".classifier",
    ),
    **dict.fromkeys(
        (
            "BatchResult",
            "BatchSummary",
            "Deduction",
            "DefectClass",
            "ErrorKind",
            "Finding",
            "MonitoringKind",
            "Status",
            "deduct",
            "deduct_many",
            "deduct_table",
        ),
        ".deductions",
    ),
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

__version__ = "0.1.0"

__all__ = [
    "AmountSyntaxError",
    "BadPeriodError",
    "Basis",
    "BatchResult",
    "BatchSummary",
    "CalendarRangeError",
    "CareType",
    "Classifier",
    "ClassifierFileError",
    "DataFileError",
    "Deduction",
    "DefectClass",
    "DoubtfulCellError",
    "Edition",
    "EditionGapError",
    "ErrorKind",
    "Finding",
    "FindingError",
    "FindingsInputError",
    "FormEditionError",
    "GroupCodeNotAssignableError",
    "ImplausibleDateError",
    "InvalidIINError",
    "LintFinding",
    "ModelInputError",
    "MonitoringKind",
    "MonitoringNotAllowedError",
    "NoEditionError",
    "NotApplicableError",
    "OsmsDefectsError",
    "OverrideFileError",
    "Penalty",
    "PenaltyUndefinedError",
    "ReadingRequiredError",
    "RegisterError",
    "ReportInputError",
    "SampleError",
    "Status",
    "TermNotInEditionError",
    "UnknownCareTypeError",
    "UnknownDeadlineError",
    "UnknownDefectCodeError",
    "__version__",
    "deduct",
    "deduct_many",
    "deduct_table",
    "is_valid_iin",
    "load_classifier",
    "mask_iin",
    "validate_iin",
]
