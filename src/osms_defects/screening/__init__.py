"""Automated screening of service registers for potential defects (п. 11, 45 Правил).

``screen(register)`` runs the rules of ``data/screening.yaml`` (columnar, polars) and returns
the potential defects — for the Fund's staff to confirm or reject, never deductions — the data
errors of the register (each with its row), and summaries per rule and per provider.
``screen_file(register, output, shards=N)`` does the same for a register larger than memory,
shard by shard (by patient), writing the same rows in the same order to ``output``.
Both run under the classifier edition in force on ``detected_on`` (default today; R4, reading
S7): its codes, references and thresholds; a rule it has no code for does not run, and the
result says so (``not_applicable``).
"""

from __future__ import annotations

from .engine import DEFECT_COLUMNS, DEFECT_SCHEMA, EVIDENCE_SEPARATOR, screen_lazy
from .findings import FINDINGS_COLUMNS, to_findings
from .register import (
    ERROR_COLUMNS,
    RECORD_TYPES,
    REGISTER_COLUMNS,
    RESERVED_NAMES,
    Register,
    load_register,
    parse_register,
    scan_register,
)
from .result import (
    Progress,
    ScreeningResult,
    rules_in_force,
    screen,
    screen_register,
    summary_by_provider,
    summary_by_rule,
)
from .rules import RULE_IDS, EditionRules, NotApplicable, ScreeningRules, load_rules
from .sharded import ShardedResult, screen_file

__all__ = [
    "DEFECT_COLUMNS",
    "DEFECT_SCHEMA",
    "ERROR_COLUMNS",
    "EVIDENCE_SEPARATOR",
    "FINDINGS_COLUMNS",
    "RECORD_TYPES",
    "REGISTER_COLUMNS",
    "RESERVED_NAMES",
    "RULE_IDS",
    "EditionRules",
    "NotApplicable",
    "Progress",
    "Register",
    "ScreeningResult",
    "ScreeningRules",
    "ShardedResult",
    "load_register",
    "load_rules",
    "parse_register",
    "rules_in_force",
    "scan_register",
    "screen",
    "screen_file",
    "screen_lazy",
    "screen_register",
    "summary_by_provider",
    "summary_by_rule",
    "to_findings",
]
