"""Deductions: from defect findings to the tenge taken off a provider's payment (п. 12, 30, 34,
54, 58, 59 Правил; Прил. 1; under the 2026 edition п. 10–14 of the Rules as rewritten by order
No. 68), one finding at a time or millions at a time (``deduct_frame``)."""

from typing import TYPE_CHECKING, Any

from .._lazy import lazy_attribute
from ..errors import AmountSyntaxError
from .amounts import check_amount, parse_amount, round_tenge
from .engine import (
    CASE_POLICIES,
    INPUT_COLUMNS,
    REQUIRED_COLUMNS,
    CasePolicy,
    Resolver,
    apply_max_per_case,
    deduct,
    deduct_many,
    deduct_row,
    finding_from_row,
    remedy_due,
)
from .model import Deduction, DefectClass, ErrorKind, Finding, MonitoringKind, Status, format_factor
from .plan import Plan, Refusal, is_proactive_exempt, plan

# the columnar paths (polars) are imported on first use: `deduct()` of one Finding does not
# import polars (issue 19)
if TYPE_CHECKING:
    from .batch import BatchResult, BatchSummary, deduct_table
    from .frame import RESULT_COLUMNS, deduct_frame, deductions_frame, penalty_table, record
    from .io import read_findings, write_deductions

_LAZY: dict[str, str] = {
    **dict.fromkeys(("BatchResult", "BatchSummary", "deduct_table"), ".batch"),
    **dict.fromkeys(
        ("RESULT_COLUMNS", "deduct_frame", "deductions_frame", "penalty_table", "record"), ".frame"
    ),
    **dict.fromkeys(("read_findings", "write_deductions"), ".io"),
}


def __getattr__(name: str) -> Any:
    return lazy_attribute(__name__, _LAZY, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

__all__ = [
    "CASE_POLICIES",
    "INPUT_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESULT_COLUMNS",
    "AmountSyntaxError",
    "BatchResult",
    "BatchSummary",
    "CasePolicy",
    "Deduction",
    "DefectClass",
    "ErrorKind",
    "Finding",
    "MonitoringKind",
    "Plan",
    "Refusal",
    "Resolver",
    "Status",
    "apply_max_per_case",
    "check_amount",
    "deduct",
    "deduct_frame",
    "deduct_many",
    "deduct_row",
    "deduct_table",
    "deductions_frame",
    "finding_from_row",
    "format_factor",
    "is_proactive_exempt",
    "parse_amount",
    "penalty_table",
    "plan",
    "read_findings",
    "record",
    "remedy_due",
    "round_tenge",
    "write_deductions",
]
