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
from .errors import (
    BadPeriodError,
    CalendarRangeError,
    ClassifierFileError,
    DataFileError,
    DoubtfulCellError,
    EditionGapError,
    GroupCodeNotAssignableError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    OverrideFileError,
    PenaltyUndefinedError,
    Problem,
    ReadingRequiredError,
    RegisterError,
    UnknownCareTypeError,
    UnknownDeadlineError,
    UnknownDefectCodeError,
)

__version__ = "0.1.0"

__all__ = [
    "BadPeriodError",
    "Basis",
    "CalendarRangeError",
    "CareType",
    "Classifier",
    "ClassifierFileError",
    "DataFileError",
    "DoubtfulCellError",
    "Edition",
    "EditionGapError",
    "GroupCodeNotAssignableError",
    "LintFinding",
    "NoEditionError",
    "NotApplicableError",
    "OsmsDefectsError",
    "OverrideFileError",
    "Penalty",
    "PenaltyUndefinedError",
    "Problem",
    "ReadingRequiredError",
    "RegisterError",
    "UnknownCareTypeError",
    "UnknownDeadlineError",
    "UnknownDefectCodeError",
    "__version__",
    "load_classifier",
]
