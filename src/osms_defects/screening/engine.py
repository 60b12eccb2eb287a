"""The screening engine, columnar (polars): the registered rules over a validated register.

Each rule (``registry.RULES``; the shipped ones in ``builtin.py``) builds a ``LazyFrame`` of its
potential defects; ``_finish`` brings them to the columns ``DEFECT_COLUMNS`` with the code and
reference of the edition in force, and ``combine`` puts the rules together in registry order.
The same plan runs in memory or on the polars streaming engine.

Every flagged record is a *potential* defect (п. 11, 45 Правил: дефекты, «установленные
автоматизированным способом», которые фонд подтверждает или отклоняет), never a deduction.
The boundaries are in ``docs/readings.md`` (S1–S6) and ``docs/screening.md``.
"""

from __future__ import annotations

from typing import NamedTuple

import polars as pl

from .builtin import EVIDENCE_SEPARATOR
from .register import ERROR_SCHEMA, REGISTER_COLUMNS, ROW, extra_columns
from .registry import RULES, Rule, WorkdayCounter
from .rules import EditionRules

__all__ = [
    "DEFECT_COLUMNS",
    "DEFECT_SCHEMA",
    "EVIDENCE_SEPARATOR",
    "RulePlan",
    "WorkdayCounter",
    "combine",
    "rule_plans",
    "screen_lazy",
]


#: the columns of the potential-defect output, in order
DEFECT_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "code": pl.String(),
    "record_id": pl.String(),
    "evidence_ids": pl.String(),  # record ids joined by ";" (sorted); null: no evidence record
    "provider_id": pl.String(),
    "patient_id": pl.String(),
    "care_type": pl.String(),
    "record_type": pl.String(),
    "event_date": pl.Date(),  # the flagged record's date (admission, call, death, service)
    "days": pl.Int64(),  # calendar days between (readmission, registration, PCR span)
    "hours": pl.Float64(),  # hours between the calls (6.12)
    "workdays": pl.Int64(),  # working days waited after the referral (7.1)
    "count": pl.Int64(),  # records in a duplicate group
    ROW: pl.Int64(),  # the flagged record's row in the register
    "reference": pl.String(),  # the code's name verbatim, of the edition below
    "edition": pl.String(),  # the classifier edition in force on detected_on (R4, reading S7)
    "detected_on": pl.Date(),  # the screening's detection date
    "note": pl.String(),
    # a working-day count over a provisional calendar year (no transfer act in the data yet;
    # the note names it): computed, never silently final. False for rules without a calendar.
    "calendar_provisional": pl.Boolean(),
}
DEFECT_COLUMNS: tuple[str, ...] = tuple(DEFECT_SCHEMA)


def _finish(lf: pl.LazyFrame, rule: str, p: Rule, rules: EditionRules) -> pl.LazyFrame:
    """Bring a rule's hits to DEFECT_SCHEMA (missing numbers as nulls), with the code and
    reference of the edition in force on the detection date (reading S7)."""
    have = lf.collect_schema().names()
    consts: dict[str, object] = {
        "rule": rule,
        "code": p.code,
        "reference": p.reference,
        "edition": rules.edition,
        "detected_on": rules.detected_on,
        "note": rules.note,
    }
    if "calendar_note" in have:  # the rule's own calendar note joins the edition's
        consts.pop("note")
        have.append("note")
        lf = lf.with_columns(
            note=pl.when(pl.col("calendar_note").is_not_null())
            .then(pl.concat_str([pl.lit(rules.note), pl.col("calendar_note")], separator=" | "))
            .otherwise(pl.lit(rules.note))
        )
    cols = []
    for name, dtype in DEFECT_SCHEMA.items():
        if name == "calendar_provisional" and name not in have:
            cols.append(pl.lit(False, dtype=dtype).alias(name))
        elif name in consts:
            cols.append(pl.lit(consts[name], dtype=dtype).alias(name))
        elif name in have:
            cols.append(pl.col(name).cast(dtype))
        else:
            cols.append(pl.lit(None, dtype=dtype).alias(name))
    return lf.select(cols)



# --------------------------------------------------------------------------- all rules
class RulePlan(NamedTuple):
    """One enabled rule's lazy plans: its potential defects (``DEFECT_COLUMNS``) and its
    rule-level data errors (``ERROR_COLUMNS``; empty for a rule without an ``errors``
    function, i.e. every shipped rule but long_wait_kdu)."""

    rule_id: str
    defects: pl.LazyFrame
    errors: pl.LazyFrame


def rule_plans(
    records: pl.LazyFrame, rules: EditionRules, calendar: WorkdayCounter | None = None
) -> list[RulePlan]:
    """The rules that run under ``rules.edition`` over ``records`` (``row`` and the contract's
    columns), in registry order (``registry.rule_ids()``), with that edition's codes and parameters;
    ``combine`` puts them together. Separate plans so that a caller can collect them one by one
    (``screen(progress=...)`` reports each rule's count)."""
    plans: list[RulePlan] = []
    for rule_id in rules.enabled():
        p = rules.get(rule_id)
        spec = RULES[rule_id]
        if spec.needs_calendar and calendar is None:
            from ..calendar import kazakhstan

            calendar = kazakhstan()
        hits = spec.run_hits(records, p, calendar)
        errors = spec.run_errors(records, p, calendar)
        if errors is None:
            errors = pl.LazyFrame(schema=ERROR_SCHEMA)
        plans.append(RulePlan(rule_id, _finish(hits, rule_id, p, rules), errors))
    return plans


def combine(records: pl.LazyFrame, plans: list[RulePlan]) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(potential defects, rule-level data errors) of ``plans`` (in their order) over
    ``records``: defects by rule then by the flagged record's row, followed by the register's
    extra columns of ``records`` (the flagged record's own values)."""
    if not plans:
        defects = pl.LazyFrame(schema=DEFECT_SCHEMA)
    else:
        # each rule's rows sorted on their own, then the rules one after another: the same
        # order as one sort by (rule, row), without moving the largest results (long waits,
        # filtered in register order, already sorted) a second time
        defects = pl.concat([p.defects.sort(ROW) for p in plans])
    extras = extra_columns(records.collect_schema().names())
    if extras:
        # the rules see the contract's columns only (no extra column rides through their
        # sorts and joins); the flagged record's extra values are joined back by its row
        defects = defects.join(
            records.select(ROW, *extras), on=ROW, how="left", maintain_order="left"
        )
    errors = pl.concat([pl.LazyFrame(schema=ERROR_SCHEMA), *(p.errors for p in plans)])
    return defects, errors


def screen_lazy(
    records: pl.LazyFrame,
    rules: EditionRules,
    calendar: WorkdayCounter | None = None,
) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """The enabled rules over valid records: (potential defects, rule-level data errors).

    Both lazy, for ``collect(engine="streaming")``. Defects are ordered by rule (the order of
    ``registry.rule_ids()``) then by the flagged record's row, with the columns ``DEFECT_COLUMNS``
    followed by the register's extra columns (those of ``records`` beyond ``row`` and the
    contract), each the flagged record's own value. ``calendar`` defaults to
    ``osms_defects.calendar.kazakhstan()``; it is needed only when long_wait_kdu is enabled.
    """
    core = records.select(ROW, *REGISTER_COLUMNS)
    return combine(records, rule_plans(core, rules, calendar))
