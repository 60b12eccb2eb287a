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
    Deduction,
    ErrorKind,
    Finding,
    MonitoringKind,
    Status,
    deduct,
    deduct_many,
)
from .errors import (  # reports helper
    ClassifierFileError,
    DataFileError,
    GroupCodeNotAssignableError,
    InvalidIINError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    PenaltyUndefinedError,
    Problem,
    ReportInputError,
    SampleError,
    UnknownCareTypeError,
    UnknownDefectCodeError,
)
from .iin import is_valid_iin, mask_iin, validate_iin  # reports helper

__version__ = "0.1.0"

__all__ = [
    "Basis",
    "CareType",
    "Classifier",
    "ClassifierFileError",
    "DataFileError",
    "Deduction",
    "Edition",
    "ErrorKind",
    "Finding",
    "GroupCodeNotAssignableError",
    # reports helper: ИИН and the errors of reports, conclusions, samples
    "InvalidIINError",
    "LintFinding",
    "MonitoringKind",
    "NoEditionError",
    "NotApplicableError",
    "OsmsDefectsError",
    "Penalty",
    "PenaltyUndefinedError",
    "Problem",
    "ReportInputError",
    "SampleError",
    "Status",
    "UnknownCareTypeError",
    "UnknownDefectCodeError",
    "__version__",
    "deduct",
    "deduct_many",
    "is_valid_iin",
    "load_classifier",
    "mask_iin",
    "validate_iin",
]
