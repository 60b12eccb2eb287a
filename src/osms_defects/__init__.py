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
from .errors import (
    ClassifierFileError,
    DataFileError,
    GroupCodeNotAssignableError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    PenaltyUndefinedError,
    Problem,
    UnknownCareTypeError,
    UnknownDefectCodeError,
)

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
    "LintFinding",
    "MonitoringKind",
    "NoEditionError",
    "NotApplicableError",
    "OsmsDefectsError",
    "Penalty",
    "PenaltyUndefinedError",
    "Problem",
    "Status",
    "UnknownCareTypeError",
    "UnknownDefectCodeError",
    "__version__",
    "deduct",
    "deduct_many",
    "load_classifier",
]
