"""From confirmed potential defects to a findings file for ``osms-defects deduct``.

A potential defect is not a deduction (п. 11, 45 Правил): the Fund's staff confirm or reject
it. Once confirmed, this turns the rows into the deduct input (columns ``FINDINGS_COLUMNS``),
with ``base_amount`` left EMPTY for a person to fill in (the cost of the case, КПН, ПН …: the
register does not carry it) and ``documented_amount`` empty (only code 11.0 uses it).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

FINDINGS_COLUMNS: tuple[str, ...] = (
    "finding_id",
    "provider_id",
    "case_id",
    "code",
    "care_type",
    "base_amount",
    "documented_amount",
    "monitoring_kind",
    "detected_on",
    "conclusion_signed_on",
)


def to_findings(
    confirmed: pl.DataFrame,
    *,
    detected_on: dt.date,
    monitoring_kind: str = "current",
    conclusion_signed_on: dt.date | None = None,
) -> pl.DataFrame:
    """Findings rows for ``osms-defects deduct`` from the CONFIRMED potential defects.

    ``confirmed``: rows of the screening output that staff kept (at least ``rule, code,
    record_id, provider_id, care_type``); a ``code`` column edited by staff (e.g. a sub-code
    chosen instead of the suggested one) is used as edited. ``finding_id`` =
    ``<rule>:<record_id>``; ``case_id`` = the flagged record; ``monitoring_kind`` defaults to
    ``current`` (текущий мониторинг, п. 45: automated defects are confirmed there).
    Every string column; amounts empty.
    """
    signed = conclusion_signed_on.isoformat() if conclusion_signed_on else None
    return confirmed.select(
        pl.format("{}:{}", pl.col("rule"), pl.col("record_id")).alias("finding_id"),
        pl.col("provider_id").cast(pl.String),
        pl.col("record_id").cast(pl.String).alias("case_id"),
        pl.col("code").cast(pl.String),
        pl.col("care_type").cast(pl.String),
        pl.lit(None, pl.String).alias("base_amount"),
        pl.lit(None, pl.String).alias("documented_amount"),
        pl.lit(monitoring_kind, pl.String).alias("monitoring_kind"),
        pl.lit(detected_on.isoformat(), pl.String).alias("detected_on"),
        pl.lit(signed, pl.String).alias("conclusion_signed_on"),
    )
