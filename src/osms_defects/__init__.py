"""osms-defects: the reference implementation of Kazakhstan's rules for reducing payment to
health-care providers for defects of care.

The law: the Rules of monitoring of the execution of health-service purchase contracts (order
ҚР ДСМ-321/2020, in the edition of order ҚР ДСМ-105 of 29.09.2022) and their Annex 1, the
Unified Classifier of Defects (Единый классификатор дефектов).
"""

from __future__ import annotations

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
from .errors import (
    AmountSyntaxError,
    BadPeriodError,
    CalendarRangeError,
    ClassifierFileError,
    DataFileError,
    DoubtfulCellError,
    EditionGapError,
    FindingsInputError,
    FormEditionError,
    GroupCodeNotAssignableError,
    InvalidIINError,
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
    "FindingsInputError",
    "FormEditionError",
    "GroupCodeNotAssignableError",
    "InvalidIINError",
    "LintFinding",
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
