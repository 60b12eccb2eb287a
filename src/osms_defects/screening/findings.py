"""From confirmed potential defects to a findings file for ``osms-defects deduct``.

A potential defect is not a deduction (п. 11, 45 Правил): the Fund's staff confirm or reject
it. Once confirmed, this turns the rows into the deduct input (columns ``FINDINGS_COLUMNS``),
with ``base_amount`` left EMPTY for a person to fill in (the cost of the case, КПН, ПН …: the
register does not carry it) and ``documented_amount`` empty (only code 11.0 uses it).

The code of a row belongs to the classifier edition it was screened under (``edition``, in
force on its ``detected_on``); the finding is deducted under the edition in force on its
detection date (R4), so the two must be the same edition (reading S7).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from ..deductions.engine import INPUT_COLUMNS
from ..errors import ScreeningEditionError

#: the columns of ``osms-defects deduct``'s input, in its order (the deduction engine's own list)
FINDINGS_COLUMNS: tuple[str, ...] = INPUT_COLUMNS


def to_findings(
    confirmed: pl.DataFrame,
    *,
    detected_on: dt.date | None = None,
    monitoring_kind: str = "current",
    conclusion_signed_on: dt.date | None = None,
    classifier: Any = None,
) -> pl.DataFrame:
    """Findings rows for ``osms-defects deduct`` from the CONFIRMED potential defects.

    ``confirmed``: rows of the screening output that staff kept (at least ``rule, code,
    record_id, provider_id, care_type``); a ``code`` column edited by staff (e.g. a sub-code
    chosen instead of the suggested one) is used as edited. ``finding_id`` =
    ``<rule>:<record_id>``; ``case_id`` = the flagged record; ``monitoring_kind`` defaults to
    ``current`` (текущий мониторинг, п. 45: automated defects are confirmed there).
    Every string column; amounts empty.

    ``detected_on``: by default each row's own ``detected_on`` (the screening's detection
    date). Given, it replaces them, but only if the classifier edition in force on it
    (``classifier``, default ``load_classifier()``) is each row's ``edition``: a code of one
    edition deducted under another means something else (2022's 5.2 is not 2026's 5.2;
    reading S7) — ``ScreeningEditionError`` otherwise, naming the rows. Rows without
    ``edition``/``detected_on`` columns (a file from before editions) need ``detected_on``.
    ``defect_class`` is ``potential`` (п. 11, пп. 2), п. 13 of the 2026 Rules) for the rows of
    an edition that has the classes, empty otherwise (reading D10).
    """
    from ..deductions.engine import EDITIONS_WITH_CLASSES

    cols = confirmed.columns
    has_edition = "edition" in cols and "detected_on" in cols
    if detected_on is None and not has_edition:
        raise ScreeningEditionError(
            "to_findings: the rows carry no detected_on/edition columns (screened before "
            "editions?): give detected_on=DATE, and check that the codes are those of the "
            "edition in force on it (reading S7)"
        )
    if detected_on is not None and has_edition:
        if classifier is None:
            from ..classifier import load_classifier

            classifier = load_classifier()
        ed = classifier.edition(on=detected_on).id
        bad = confirmed.with_row_index("_n", offset=1).filter(
            pl.col("edition").cast(pl.String) != ed
        )
        if bad.height:
            rows = ", ".join(
                f"{n} ({rule}:{rid}, edition {e})"
                for n, rule, rid, e in bad.select("_n", "rule", "record_id", "edition")
                .head(10)
                .iter_rows()
            )
            raise ScreeningEditionError(
                f"to_findings: detected_on {detected_on.isoformat()} falls under classifier "
                f"edition {ed}, but {bad.height} row(s) were screened under another edition, "
                f"whose codes mean something else there: row(s) {rows}"
                + (" …" if bad.height > 10 else "")
                + "; screen again with that detection date (--detected-on) or give a date of "
                "the rows' edition (reading S7)"
            )
    if detected_on is not None:
        detected = pl.lit(detected_on.isoformat(), pl.String)
    else:
        detected = pl.col("detected_on").cast(pl.String)
    if has_edition:
        dclass = (
            pl.when(pl.col("edition").cast(pl.String).is_in(sorted(EDITIONS_WITH_CLASSES)))
            .then(pl.lit("potential"))
            .otherwise(None)
        )
    else:
        dclass = pl.lit(None, pl.String)
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
        detected.alias("detected_on"),
        pl.lit(signed, pl.String).alias("conclusion_signed_on"),
        dclass.cast(pl.String).alias("defect_class"),
    )
