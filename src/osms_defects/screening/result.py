"""Running the screening over a register and summarising it (п. 11, 45 Правил)."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import polars as pl

from .engine import DEFECT_SCHEMA, RulePlan, WorkdayCounter, combine, rule_plans
from .register import (
    ERROR_SCHEMA,
    REGISTER_COLUMNS,
    ROW,
    EngineName,
    Register,
    Source,
    load_register,
)
from .registry import RULES, rule_ids
from .rules import EditionRules, NotApplicable, ScreeningRules, load_rules


class RunUnderEdition:
    """What a screening run ran under: the edition in force on its detection date (R4, S7)."""

    __slots__ = ()
    rules: EditionRules

    @property
    def edition(self) -> str:
        """The classifier edition whose codes, references and thresholds were used (R4)."""
        return self.rules.edition

    @property
    def detected_on(self) -> dt.date:
        return self.rules.detected_on

    @property
    def not_applicable(self) -> tuple[NotApplicable, ...]:
        """Enabled rules that did not run: the edition in force has no code for them (S7)."""
        return self.rules.not_applicable


@dataclass(frozen=True, slots=True)
class ScreeningResult(RunUnderEdition):
    """Potential defects (one row per flagged record and rule), data errors and counts.

    ``defects``: columns ``engine.DEFECT_COLUMNS``, then the register's extra columns (the
    flagged record's values, under their own names); each row is a potential defect for the
    Fund's staff to confirm or reject (п. 11, 45), never a deduction.
    ``errors``: ``row, record_id, field, value, message``; a record with a data error is not
    screened (by any rule for a register problem; by a rule with data errors of its own, e.g. long_wait_kdu for a calendar problem).
    ``rules``: the rules as they ran — the classifier edition in force on the detection date
    (``edition``, ``detected_on``), and the enabled rules that edition has no code for
    (``not_applicable``: they did not run; reading S7).
    """

    defects: pl.DataFrame
    errors: pl.DataFrame
    n_records: int
    n_bad_records: int
    rules: EditionRules

    def by_rule(self) -> pl.DataFrame:
        """Per enabled rule: code, potential defects, distinct providers and patients; a rule
        the edition has no code for is listed with status ``not_applicable`` and its reason."""
        return summary_by_rule(self.defects, self.rules)

    def by_provider(self) -> pl.DataFrame:
        """Per provider and rule: the number of potential defects."""
        return summary_by_provider(self.defects)


class Progress(Protocol):
    """Told of each stage of ``screen()``: reading and validating the register, then each
    enabled rule in order (``stage`` = the rule id). ``done`` gets the stage's counts as text."""

    def start(self, stage: str) -> None: ...

    def done(self, stage: str, detail: str) -> None: ...


READ_STAGE = "read and validate"


def rules_in_force(
    rules: EditionRules | ScreeningRules | str | Path | None, detected_on: dt.date | None
) -> EditionRules:
    """The rules as they run on ``detected_on`` (default: today's date): the edition of the
    classifier in force that day (R4, reading S7). ``rules``: a rules file (default
    ``data/screening.yaml``), loaded rules, or rules already resolved for a date (then
    ``detected_on`` must be None or that date). A date no edition covers raises the
    classifier's ``NoEditionError``."""
    if isinstance(rules, EditionRules):
        if detected_on is not None and detected_on != rules.detected_on:
            raise ValueError(
                f"rules resolved for {rules.detected_on.isoformat()} (edition {rules.edition}) "
                f"given with detected_on={detected_on.isoformat()}"
            )
        return rules
    ruleset = rules if isinstance(rules, ScreeningRules) else load_rules(rules)
    return ruleset.in_force(detected_on)


def screen(
    source: Source,
    rules: EditionRules | ScreeningRules | str | Path | None = None,
    *,
    detected_on: dt.date | None = None,
    calendar: WorkdayCounter | None = None,
    streaming: bool = True,
    progress: Progress | None = None,
) -> ScreeningResult:
    """Screen a register (CSV/Parquet path, polars DataFrame or LazyFrame, a pandas
    frame or an Arrow table) for potential
    defects with ``rules`` (default ``data/screening.yaml``) as they run on ``detected_on``
    (default: today, ``dt.date.today()``): each rule suggests the code of the classifier
    edition in force that day, with that edition's reference and thresholds (R4, reading S7);
    a rule the edition has no code for does not run (``result.not_applicable``). A date no
    edition covers raises ``NoEditionError``.

    ``progress``: told of each stage with its counts (the CLI's terminal progress): reading
    and validating, then each rule (collected one by one, with or without it)."""
    ruleset = rules_in_force(rules, detected_on)
    if progress is not None:
        progress.start(READ_STAGE)
    if calendar is None and any(RULES[r].needs_calendar for r in ruleset.rules):
        # the working-day calendar (Python: importing `holidays`, ~0.1 s) is built in a
        # thread while polars reads the register (which releases the GIL)
        from ..calendar import kazakhstan

        with ThreadPoolExecutor(max_workers=1) as pool:
            building = pool.submit(kazakhstan)
            reg = load_register(source, streaming=streaming)
            calendar = building.result()
    else:
        reg = load_register(source, streaming=streaming)
    if progress is not None:
        progress.done(
            READ_STAGE,
            f"{reg.n_records:,} record(s), {reg.n_bad_records:,} with data errors",
        )
    return screen_register(reg, ruleset, calendar=calendar, streaming=streaming, progress=progress)


def screen_register(
    reg: Register,
    rules: EditionRules,
    *,
    calendar: WorkdayCounter | None = None,
    streaming: bool = True,
    progress: Progress | None = None,
) -> ScreeningResult:
    """The rules over a validated register (``screen()`` after reading it; also each shard
    of ``screening.sharded``: the same code for a register in memory and one larger than it).
    ``progress``: told of each rule (see ``screen``)."""
    ruleset = rules
    engine: EngineName = "streaming" if streaming else "auto"
    records = reg.records.lazy()
    # the contract's columns selected on the DataFrame (zero-copy), not as a select node of
    # the plan: on top of a select node, the rules' cached subplans made polars 2.1 copy the
    # whole register (duplicate_service at 10M records: +1.2 GiB and 1.6 s instead of 1.0 s)
    core = reg.records.select(ROW, *REGISTER_COLUMNS).lazy()
    # one rule at a time (each collected, then the results combined): measured at 10M records,
    # one plan of all six rules peaked 0.8 GiB higher (3.15 vs 2.33 GiB) and was no faster
    collected: list[RulePlan] = []
    for plan in rule_plans(core, ruleset, calendar):
        if progress is not None:
            progress.start(plan.rule_id)
        hits, errs = pl.collect_all([plan.defects, plan.errors], engine=engine)
        if progress is not None:
            detail = f"{hits.height:,} potential defect(s)"
            if errs.height:
                detail += f", {errs.height:,} data error(s)"
            progress.done(plan.rule_id, detail)
        collected.append(RulePlan(plan.rule_id, hits.lazy(), errs.lazy()))
    defects_lf, errors_lf = combine(records, collected)
    defects, rule_errors = pl.collect_all([defects_lf, errors_lf], engine=engine)
    errors = pl.concat([reg.errors, rule_errors.cast(pl.Schema(ERROR_SCHEMA))]).sort(
        ROW, "field", maintain_order=True
    )
    n_bad = reg.n_bad_records + rule_errors.get_column(ROW).n_unique()
    return ScreeningResult(
        # the output columns' types; extra columns keep their own
        defects=defects.with_columns(pl.col(c).cast(t) for c, t in DEFECT_SCHEMA.items()),
        errors=errors,
        n_records=reg.n_records,
        n_bad_records=n_bad,
        rules=ruleset,
    )


SUMMARY_SCHEMA: dict[str, pl.DataType] = {
    "rule": pl.String(),
    "code": pl.String(),  # null: the edition has no code for the rule (not run)
    "edition": pl.String(),
    "status": pl.String(),  # "screened" or "not_applicable" (reading S7)
    "reason": pl.String(),  # why not applicable
}


def summary_by_rule(defects: pl.DataFrame, rules: EditionRules) -> pl.DataFrame:
    """One row per enabled rule in rule order: those that ran (``status`` ``screened``, zero
    counts included) and those the edition has no code for (``not_applicable``, with the
    ``reason``; counts null — they were not screened, not found clean)."""
    skipped = {n.rule: n.reason for n in rules.not_applicable}
    order = [r for r in rule_ids() if r in rules.rules or r in skipped]
    base = pl.DataFrame(
        {
            "rule": order,
            "code": [rules.rules[r].code if r in rules.rules else None for r in order],
            "edition": [rules.edition] * len(order),
            "status": ["screened" if r in rules.rules else "not_applicable" for r in order],
            "reason": [skipped.get(r) for r in order],
        },
        schema=SUMMARY_SCHEMA,
    )
    counts = defects.group_by("rule").agg(
        pl.len().cast(pl.Int64).alias("potential_defects"),
        pl.col("provider_id").n_unique().cast(pl.Int64).alias("providers"),
        pl.col("patient_id").n_unique().cast(pl.Int64).alias("patients"),
    )
    ran = pl.col("status") == "screened"
    return (
        base.join(counts, on="rule", how="left", maintain_order="left")
        .with_columns(
            pl.when(ran).then(pl.col(c).fill_null(0)).otherwise(None).alias(c)
            for c in ("potential_defects", "providers", "patients")
        )
        .select("rule", "code", "potential_defects", "providers", "patients", "edition", "status", "reason")
    )


def summary_by_provider(defects: pl.DataFrame) -> pl.DataFrame:
    """One row per (provider, rule) with potential defects, by provider then rule."""
    return (
        defects.group_by("provider_id", "rule", "code")
        .agg(pl.len().cast(pl.Int64).alias("potential_defects"))
        .sort("provider_id", "rule")
    )
