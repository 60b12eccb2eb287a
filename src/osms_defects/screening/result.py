"""Running the screening over a register and summarising it (п. 11, 45 Правил)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .engine import DEFECT_SCHEMA, WorkdayCounter, screen_lazy
from .register import ERROR_SCHEMA, ROW, EngineName, Source, load_register
from .rules import ScreeningRules, load_rules


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """Potential defects (one row per flagged record and rule), data errors and counts.

    ``defects``: columns ``engine.DEFECT_COLUMNS``; each row is a potential defect for the
    Fund's staff to confirm or reject (п. 11, 45), never a deduction.
    ``errors``: ``row, record_id, field, value, message``; a record with a data error is not
    screened (by any rule for a register problem; by long_wait_kdu for a calendar problem).
    """

    defects: pl.DataFrame
    errors: pl.DataFrame
    n_records: int
    n_bad_records: int
    rules: ScreeningRules

    def by_rule(self) -> pl.DataFrame:
        """Per enabled rule: code, potential defects, distinct providers and patients."""
        return summary_by_rule(self.defects, self.rules)

    def by_provider(self) -> pl.DataFrame:
        """Per provider and rule: the number of potential defects."""
        return summary_by_provider(self.defects)


def screen(
    source: Source,
    rules: ScreeningRules | str | Path | None = None,
    *,
    calendar: WorkdayCounter | None = None,
    streaming: bool = True,
) -> ScreeningResult:
    """Screen a register (CSV/Parquet path, polars DataFrame or LazyFrame) for potential
    defects with ``rules`` (default ``data/screening.yaml``)."""
    ruleset = rules if isinstance(rules, ScreeningRules) else load_rules(rules)
    reg = load_register(source, streaming=streaming)
    engine: EngineName = "streaming" if streaming else "auto"
    defects_lf, errors_lf = screen_lazy(reg.records.lazy(), ruleset, calendar)
    defects, rule_errors = pl.collect_all([defects_lf, errors_lf], engine=engine)
    errors = pl.concat([reg.errors, rule_errors.cast(pl.Schema(ERROR_SCHEMA))]).sort(
        ROW, "field", maintain_order=True
    )
    n_bad = reg.n_bad_records + rule_errors.get_column(ROW).n_unique()
    return ScreeningResult(
        defects=defects.cast(pl.Schema(DEFECT_SCHEMA)),
        errors=errors,
        n_records=reg.n_records,
        n_bad_records=n_bad,
        rules=ruleset,
    )


def summary_by_rule(defects: pl.DataFrame, rules: ScreeningRules) -> pl.DataFrame:
    """One row per enabled rule (zero counts included), in rule order."""
    base = pl.DataFrame(
        {
            "rule": list(rules.enabled()),
            "code": [rules.rules.get(r).code for r in rules.enabled()],
        },
        schema={"rule": pl.String, "code": pl.String},
    )
    counts = defects.group_by("rule").agg(
        pl.len().cast(pl.Int64).alias("potential_defects"),
        pl.col("provider_id").n_unique().cast(pl.Int64).alias("providers"),
        pl.col("patient_id").n_unique().cast(pl.Int64).alias("patients"),
    )
    return base.join(counts, on="rule", how="left", maintain_order="left").with_columns(
        pl.col("potential_defects", "providers", "patients").fill_null(0)
    )


def summary_by_provider(defects: pl.DataFrame) -> pl.DataFrame:
    """One row per (provider, rule) with potential defects, by provider then rule."""
    return (
        defects.group_by("provider_id", "rule", "code")
        .agg(pl.len().cast(pl.Int64).alias("potential_defects"))
        .sort("provider_id", "rule")
    )
