"""The Unified Classifier of Defects (Прил. 1 Правил): data model, loading, lint, export."""

from .cells import Basis, Cell, CellKind, parse_cell
from .lint import LintFinding
from .loader import lint_file, load_classifier, parse_classifier
from .model import (
    CareType,
    CareTypeSpec,
    Classifier,
    DefectRow,
    Edition,
    Penalty,
    group_of,
    normalize_code,
)

__all__ = [
    "Basis",
    "CareType",
    "CareTypeSpec",
    "Cell",
    "CellKind",
    "Classifier",
    "DefectRow",
    "Edition",
    "LintFinding",
    "Penalty",
    "group_of",
    "lint_file",
    "load_classifier",
    "normalize_code",
    "parse_cell",
    "parse_classifier",
]
