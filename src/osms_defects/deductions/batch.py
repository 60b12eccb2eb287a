"""A batch of deductions as one object for analysts: the columnar result of ``deduct_frame``
with its reconciled summary, breakdowns, explanations and conversions (polars, pandas), and a
readable table in Jupyter.

The frame is the same as the CSV that ``osms-defects deduct`` writes: every input row, in order,
with ``row, status, amount, basis, factor, edition, reference, remedy_due, error``. Amounts stay
exact: the breakdowns sum integer tiyn and return ``Decimal``; ``to_polars`` gives a Decimal(38, 2)
``amount``, ``to_pandas`` a float ``amount`` for plots beside the exact integer ``amount_tiyn``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from ..calendar import WorkCalendar
from ..classifier import Classifier
from .engine import CasePolicy, Resolver, _resolver, deduct_many
from .frame import RESULT_COLUMNS, deduct_frame
from .io import mark_malformed, read_findings_lines, summary
from .model import Deduction, Status

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_MONEY = pl.Decimal(38, 2)
#: the columns ``to_polars`` / ``to_pandas`` give as dates (input and result columns)
DATE_COLUMNS = ("detected_on", "conclusion_signed_on", "remedy_due")


@dataclass(frozen=True)
class BatchSummary:
    """Counts by status and the total deducted; ``rows`` = deducted + recorded + warnings + errors."""

    rows: int
    deducted: int
    recorded: int
    warnings: int
    errors: int
    total: Decimal

    def __str__(self) -> str:
        return (
            f"rows {self.rows}, deducted {self.deducted}, recorded {self.recorded}, "
            f"warnings {self.warnings}, errors {self.errors}, total {self.total} tenge"
        )


@dataclass(frozen=True)
class BatchResult:
    """The deductions of a batch of findings (see the module's docstring)."""

    frame: pl.DataFrame
    case_policy: CasePolicy = "each"
    unremedied: bool = False
    source: str | None = None
    _classifier: Classifier | Resolver | None = field(default=None, repr=False, compare=False)

    # -- what an analyst asks first
    def summary(self) -> BatchSummary:
        s = summary(self.frame)
        return BatchSummary(
            rows=s["rows"],
            deducted=s["deducted"],
            recorded=s["recorded"],
            warnings=s["warnings"],
            errors=s["errors"],
            total=s["total"],
        )

    @property
    def errors(self) -> pl.DataFrame:
        """The rows that could not be computed, with ``row`` and the ``error`` (kind: message)."""
        return self.frame.filter(pl.col("status") == Status.ERROR.value)

    def _money(self) -> pl.DataFrame:
        return self.frame.filter(pl.col("status") == Status.DEDUCTED.value).with_columns(
            pl.col("amount").cast(_MONEY)
        )

    def by(self, *columns: str) -> pl.DataFrame:
        """Deducted findings and their total (Decimal tenge) by the given columns, largest first."""
        missing = [c for c in columns if c not in self.frame.columns]
        if missing:
            raise KeyError(
                f"no column {', '.join(missing)} in the batch; columns: {', '.join(self.frame.columns)}"
            )
        return (
            self._money()
            .group_by(list(columns))
            .agg(pl.len().alias("findings"), pl.col("amount").sum().alias("total"))
            .sort(["total", *columns], descending=[True, *([False] * len(columns))])
        )

    def by_provider(self) -> pl.DataFrame:
        return self.by("provider_id")

    def by_code(self) -> pl.DataFrame:
        return self.by("code")

    # -- explanations
    def deduction(self, row: int) -> Deduction:
        """The full ``Deduction`` of input row ``row`` (1-based, as in the ``row`` column),
        recomputed by the scalar engine, which gives the same result as the columnar path."""
        if not 1 <= row <= self.frame.height:
            raise IndexError(f"row {row}: the batch has rows 1..{self.frame.height}")
        if self.case_policy != "each":
            # under max_per_case a finding's status depends on its case: recompute the batch
            return list(
                deduct_many(
                    self._input_rows(),
                    self._classifier,
                    case_policy=self.case_policy,
                    unremedied=self.unremedied,
                )
            )[row - 1]
        one = self._input_rows(row)
        return next(deduct_many(one, self._classifier, unremedied=self.unremedied))

    def explain(self, row: int, lang: str = "both") -> str:
        """The explanation of input row ``row``: the rule, the numbers, the paragraphs."""
        return self.deduction(row).explain(lang=lang)

    def _input_rows(self, row: int | None = None) -> list[dict[str, Any]]:
        inputs = self.frame.select([c for c in self.frame.columns if c not in RESULT_COLUMNS])
        if row is not None:
            inputs = inputs.slice(row - 1, 1)
        return inputs.to_dicts()

    # -- conversions
    def to_polars(self) -> pl.DataFrame:
        """The frame typed for analysis: ``amount`` as Decimal(38, 2) (exact; null where the CSV
        leaves it empty: error rows), ``detected_on``, ``conclusion_signed_on`` and
        ``remedy_due`` as dates (null where empty or not an ISO date: the text stays in
        ``.frame``), the rest as written."""
        amount = pl.col("amount")
        return self.frame.with_columns(
            pl.when(amount == "").then(None).otherwise(amount).cast(_MONEY).alias("amount"),
            *(
                pl.col(c).str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
                for c in DATE_COLUMNS
                if c in self.frame.columns and self.frame.schema[c] == pl.String
            ),
        )

    def to_pandas(self) -> pd.DataFrame:
        """A pandas DataFrame for plots and group-bys (needs pandas and pyarrow:
        ``pip install osms-defects[pandas]``): ``amount`` as float64 tenge (NaN for error rows)
        and, beside it, ``amount_tiyn`` — the exact amount in integer tiyn (nullable ``Int64``),
        the column to sum when the total must be exact; dates as ``datetime64`` (as
        :meth:`to_polars`)."""
        import pandas as pd

        typed = self.to_polars()
        tiyn = (pl.col("amount") * 100).cast(pl.Int64).alias("amount_tiyn")
        at = typed.columns.index("amount") + 1
        typed = typed.with_columns(tiyn).select(
            [*typed.columns[:at], "amount_tiyn", *typed.columns[at:]]
        )
        out = typed.with_columns(pl.col("amount").cast(pl.Float64)).to_pandas()
        out["amount_tiyn"] = pd.array(typed.get_column("amount_tiyn").to_list(), dtype="Int64")
        return out

    def write(self, path: str | Path) -> None:
        """Write as CSV, JSONL or XLSX by the suffix, like ``osms-defects deduct -o``."""
        from .io import format_of, write_deductions

        p = Path(path)
        with p.open("wb") as fh:
            write_deductions(self.frame, fh, format_of(p))

    # -- Jupyter
    def _repr_html_(self) -> str:
        head = self.frame.head(20)._repr_html_()
        src = f" of {html.escape(self.source)}" if self.source else ""
        return (
            f"<p><b>Deductions{src}</b> (case policy {html.escape(self.case_policy)}"
            f"{', п. 59 applied' if self.unremedied else ''}): {html.escape(str(self.summary()))}</p>"
            + head
        )

    def __len__(self) -> int:
        return self.frame.height


def deduct_table(
    findings: str | Path | pl.DataFrame | Any,
    classifier: Classifier | Resolver | None = None,
    *,
    case_policy: CasePolicy = "each",
    unremedied: bool = False,
    calendar: WorkCalendar | None = None,
) -> BatchResult:
    """Deduct a table of findings — a CSV/JSONL/XLSX path, a polars DataFrame or anything polars
    takes in (Arrow, pandas) — by the columnar engine, and return a :class:`BatchResult`."""
    source: str | None = None
    malformed: dict[int, str] = {}
    if isinstance(findings, str | Path):
        source = str(findings)
        findings, malformed = read_findings_lines(findings)
    if calendar is not None:
        classifier = _resolver(classifier, calendar)
    frame = deduct_frame(findings, classifier, case_policy=case_policy, unremedied=unremedied)
    frame = mark_malformed(frame, malformed)  # malformed lines: error rows with the line
    return BatchResult(
        frame=frame,
        case_policy=case_policy,
        unremedied=unremedied,
        source=source,
        _classifier=classifier,
    )
