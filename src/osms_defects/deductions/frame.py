"""The columnar path: deductions of millions of findings in a polars DataFrame.

Money is integer tiyn (Int128) here, never Float: a base amount's text is split at the decimal
point into tenge and tiyn; a factor is an integer numerator over 10^k (30% = 3/10, 0,5 КТ =
5/10, 300% = 3/1); the amount is ``(base × num × 2 + den) // (2 × den)``, i.e. factor × base
rounded half up to the tiyn (reading D2), exactly what the scalar path's Decimal gives.

The rules are those of :mod:`osms_defects.deductions.engine` (п. 12, 30, 54, 58, 59; Прил. 1).
Rows the columnar path flags as possible errors (an unreadable field, a code or care type not
in the penalty table, a bad base, a missing conclusion date …) are computed by the scalar
engine, so their error kinds and messages are the scalar path's own, word for word. The
hypothesis test ``tests/test_deduct_frame.py`` checks that both paths give the same columns.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from ..classifier import Basis, Classifier, group_of
from ..errors import FindingsInputError, NoEditionError, OsmsDefectsError
from .engine import (
    CASE_POLICIES,
    REF_DEDUCTION,
    REF_PROACTIVE,
    REF_REMEDY,
    REF_UNREMEDIED,
    REQUIRED_COLUMNS,
    CasePolicy,
    Resolver,
    _resolver,
    deduct_many,
    error_kind_of,
    is_proactive_exempt,
    remedy_due,
)
from .model import Deduction, MonitoringKind, Status, format_factor

#: the columns the deduction adds, in order (the contract read by the reports)
RESULT_COLUMNS: tuple[str, ...] = (
    "row",
    "status",
    "amount",
    "basis",
    "factor",
    "edition",
    "reference",
    "remedy_due",
    "error",
)
_TEXT_FIELDS = (
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
_KIND_IDS: dict[str, str] = {}
for _k in MonitoringKind:
    _KIND_IDS[_k.value] = _k.value
    _KIND_IDS[_k.name_ru] = _k.value

_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
# a usable amount: up to 18 integer digits, decimals beyond the tiyn only zeros
_CLEAN_AMOUNT_RE = r"^\d{1,18}(\.\d{1,2}0*)?$"


def record(d: Deduction) -> dict[str, Any]:
    """The result columns of one deduction, as the CSV writes them."""
    return {
        "row": d.row,
        "status": d.status.value,
        "amount": "" if d.amount is None else str(d.amount),
        "basis": "" if d.basis is None else d.basis.value,
        "factor": "" if d.factor is None else format_factor(d.factor),
        "edition": d.edition or "",
        "reference": d.reference,
        "remedy_due": "" if d.remedy_due is None else d.remedy_due.isoformat(),
        "error": d.error,
    }


def _fraction(factor: Decimal) -> tuple[int, int]:
    """A factor as (numerator, 10^k): 0.3 → (3, 10), 3 → (3, 1), 30 → (30, 1)."""
    exp = factor.normalize().as_tuple().exponent
    assert isinstance(exp, int)
    k = max(0, -exp)
    den = 10**k
    num = factor * den
    assert num == num.to_integral_value()
    return int(num), den


def penalty_table(classifier: Classifier) -> pl.DataFrame:
    """Every (edition, code, care type) of the classifier with its basis, factor as an integer
    fraction and references, or the error kind the classifier raises for it (Прил. 1)."""
    rows: list[dict[str, Any]] = []
    for ed in classifier.editions:
        for code, care, pen in ed.penalties():
            if isinstance(pen, OsmsDefectsError):
                rows.append(
                    {
                        "edition": ed.id,
                        "code": code,
                        "care_type": care,
                        "error_kind": error_kind_of(pen).value,
                    }
                )
                continue
            num, den = _fraction(pen.factor)
            ref = pen.reference
            exempt = is_proactive_exempt(code)
            rows.append(
                {
                    "edition": ed.id,
                    "code": code,
                    "care_type": care,
                    "error_kind": None,
                    "basis": pen.basis.value,
                    "factor": format_factor(pen.factor),
                    "num": num,
                    "den": den,
                    "exempt": exempt,
                    "ref_current": f"{ref}; {REF_DEDUCTION}",
                    "ref_exempt": (
                        f"{ref}; {REF_PROACTIVE} (исключение: группа {group_of(code) or code}); "
                        f"{REF_DEDUCTION}"
                    ),
                    "ref_warning": f"{ref}; {REF_PROACTIVE}; {REF_REMEDY}",
                    "ref_unremedied": (
                        f"{ref}; {REF_PROACTIVE}; {REF_REMEDY}; {REF_UNREMEDIED} (не устранено: "
                        f"как при текущем мониторинге); {REF_DEDUCTION}"
                    ),
                }
            )
    schema = {
        "edition": pl.String, "code": pl.String, "care_type": pl.String,
        "error_kind": pl.String, "basis": pl.String, "factor": pl.String,
        "num": pl.Int128, "den": pl.Int128, "exempt": pl.Boolean,
        "ref_current": pl.String, "ref_exempt": pl.String, "ref_warning": pl.String,
        "ref_unremedied": pl.String,
    }  # fmt: skip
    return pl.DataFrame(rows, schema=schema)


_TABLES: dict[int, tuple[Classifier, pl.DataFrame]] = {}


def _table(res: Resolver) -> pl.DataFrame:
    hit = _TABLES.get(id(res.classifier))
    if hit is None or hit[0] is not res.classifier:
        hit = (res.classifier, penalty_table(res.classifier))
        _TABLES.clear()
        _TABLES[id(res.classifier)] = hit
    return hit[1]


def check_columns(columns: Sequence[str], schema: pl.Schema | None = None) -> None:
    """A frame or file must have the required columns and none of the result columns."""
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FindingsInputError(
            f"required column(s) missing: {', '.join(missing)}; a findings file has the columns "
            + ", ".join(_TEXT_FIELDS)
            + " (finding_id, provider_id, case_id, documented_amount and conclusion_signed_on "
            "may be left out)"
        )
    clash = [c for c in RESULT_COLUMNS if c in columns]
    if clash:
        raise FindingsInputError(
            f"the input already has result column(s) {', '.join(clash)}; rename them (the "
            f"deduction adds {', '.join(RESULT_COLUMNS)})"
        )
    if schema is not None:
        for name in ("base_amount", "documented_amount"):
            if name in schema and schema[name].is_float():
                raise FindingsInputError(
                    f"column {name} is {schema[name]}: money is never a float (binary "
                    "fractions are not tiyn); read it as text (e.g. infer_schema=False) or as "
                    "Decimal"
                )


def _s(name: str, columns: Sequence[str]) -> pl.Expr:
    if name in columns:
        return pl.col(name).cast(pl.String).fill_null("").str.strip_chars()
    return pl.lit("", dtype=pl.String)


def deduct_frame(
    df: pl.DataFrame,
    classifier: Classifier | Resolver | None = None,
    *,
    case_policy: CasePolicy = "each",
    unremedied: bool = False,
) -> pl.DataFrame:
    """The deductions of a frame of findings: the input columns in order, then ``row, status,
    amount, basis, factor, edition, reference, remedy_due, error`` (strings as in the CSV; ``row``
    1-based). Same results as :func:`deduct_many` on the same rows, exactly."""
    if case_policy not in CASE_POLICIES:
        raise ValueError(f"case_policy {case_policy!r}; allowed: {', '.join(CASE_POLICIES)}")
    check_columns(df.columns, df.schema)
    res = _resolver(classifier)
    cols = df.columns
    n = df.height
    w = df.select(
        pl.int_range(1, n + 1, dtype=pl.Int64).alias("row"),
        _s("code", cols).str.strip_chars_end(".").str.strip_chars().alias("_code"),
        _s("care_type", cols).alias("_care"),
        _s("monitoring_kind", cols)
        .str.to_lowercase()
        .replace_strict(_KIND_IDS, default=None, return_dtype=pl.String)
        .alias("_kind"),
        _s("detected_on", cols).alias("_det"),
        _s("conclusion_signed_on", cols).alias("_signed"),
        _s("base_amount", cols).alias("_base"),
        _s("documented_amount", cols).alias("_doc"),
        _s("provider_id", cols).alias("_provider"),
        _s("case_id", cols).alias("_case"),
    )
    # editions and remedy dates per distinct date (few): the scalar functions themselves
    w = w.with_columns(
        pl.when(pl.col("_det").str.contains(_DATE_RE))
        .then(pl.col("_det").str.to_date("%Y-%m-%d", strict=False))
        .alias("_det_d"),
        pl.when(pl.col("_signed").str.contains(_DATE_RE))
        .then(pl.col("_signed").str.to_date("%Y-%m-%d", strict=False))
        .alias("_signed_d"),
    )
    dates = w.get_column("_det_d").drop_nulls().unique().to_list()
    ed_map: dict[dt.date, str] = {}
    for d in dates:
        with contextlib.suppress(NoEditionError):
            ed_map[d] = res.edition(d).id
    signed = w.filter(pl.col("_kind") == "proactive").get_column("_signed_d")
    due_map: dict[dt.date, dt.date] = {}
    for d in signed.drop_nulls().unique().to_list():
        # e.g. outside the calendar's data: the scalar path reports it
        with contextlib.suppress(OsmsDefectsError):
            due_map[d] = remedy_due(d)
    w = w.with_columns(
        pl.col("_det_d")
        .replace_strict(ed_map, default=None, return_dtype=pl.String)
        .alias("edition"),
        pl.col("_signed_d")
        .replace_strict(due_map, default=None, return_dtype=pl.Date)
        .alias("_due_any"),
    )
    table = _table(res).rename({"code": "_code", "care_type": "_care"})
    w = w.join(table, on=["edition", "_code", "_care"], how="left", maintain_order="left")

    proactive = pl.col("_kind") == "proactive"
    # п. 58: the remedy date of a proactive finding outside the groups of п. 54
    w = w.with_columns(
        pl.when(proactive & ~pl.col("exempt")).then(pl.col("_due_any")).alias("_due")
    )
    warning = proactive & ~pl.col("exempt") & pl.lit(not unremedied)
    expenses = pl.col("basis") == Basis.PATIENT_EXPENSES.value
    base_text = pl.when(expenses).then(pl.col("_doc")).otherwise(pl.col("_base"))
    required = ~warning & (pl.col("basis") != Basis.NONE.value)
    w = w.with_columns(base_text.alias("_btext"), warning.alias("_warning"), required.alias("_req"))
    clean = pl.col("_btext").str.contains(_CLEAN_AMOUNT_RE)
    parts = pl.col("_btext").str.split_exact(".", 1)
    tenge = parts.struct.field("field_0").cast(pl.Int128, strict=False)
    tiyn = parts.struct.field("field_1").fill_null("").str.slice(0, 2).str.pad_end(2, "0")
    w = w.with_columns(
        pl.when(clean).then(tenge * 100 + tiyn.cast(pl.Int128, strict=False)).alias("_base_t")
    )
    ok_base = (
        pl.when(pl.col("_btext") == "")
        .then(~pl.col("_req"))
        .otherwise(
            clean & (pl.col("_base_t").is_not_null()) & ((pl.col("_base_t") > 0) | ~pl.col("_req"))
        )
    )
    suspect = (
        (pl.col("_code") == "")
        | pl.col("_kind").is_null()
        | pl.col("edition").is_null()
        | pl.col("basis").is_null()  # not in the table or a classifier error
        | ((pl.col("_signed") != "") & pl.col("_signed_d").is_null())
        | (
            proactive
            & ~pl.col("exempt")
            & pl.col("_signed_d").is_not_null()
            & pl.col("_due").is_null()
        )
        | (pl.col("_warning") & pl.col("_signed_d").is_null())
        | ~ok_base
    ).fill_null(True)
    w = w.with_columns(suspect.alias("_suspect"))
    amount_t = (pl.col("_base_t") * pl.col("num") * 2 + pl.col("den")) // (pl.col("den") * 2)
    status = (
        pl.when(pl.col("_warning"))
        .then(pl.lit(Status.WARNING.value))
        .when(pl.col("basis") == Basis.NONE.value)
        .then(pl.lit(Status.RECORDED.value))
        .otherwise(pl.lit(Status.DEDUCTED.value))
    )
    reference = (
        pl.when(~proactive)
        .then(pl.col("ref_current"))
        .when(pl.col("exempt"))
        .then(pl.col("ref_exempt"))
        .when(pl.col("_warning"))
        .then(pl.col("ref_warning"))
        .otherwise(pl.col("ref_unremedied"))
    )
    w = w.with_columns(
        status.alias("status"),
        pl.when(status == Status.DEDUCTED.value)
        .then(amount_t)
        .otherwise(0)
        .cast(pl.Int128)
        .alias("_amount_t"),
        reference.alias("reference"),
        pl.col("_due").dt.to_string("%Y-%m-%d").fill_null("").alias("remedy_due"),
        pl.lit("", dtype=pl.String).alias("error"),
    )
    out = w.select(
        "row", "status", "_amount_t", "basis", "factor", "edition", "reference", "remedy_due",
        "error", "_suspect", "_provider", "_case",
    )  # fmt: skip
    # rows flagged as possible errors: the scalar engine decides, word for word
    idx = out.get_column("_suspect").arg_true()
    if len(idx):
        text = df.select([pl.col(c).cast(pl.String) for c in _TEXT_FIELDS if c in cols])[idx]
        fixes = [
            record(d) for d in deduct_many(text.iter_rows(named=True), res, unremedied=unremedied)
        ]
        fix = pl.DataFrame(
            {
                "row": idx.cast(pl.Int64) + 1,
                "status": [r["status"] for r in fixes],
                "_amount_t": pl.Series([_tiyn(r["amount"]) for r in fixes], dtype=pl.Int128),
                **{
                    c: [r[c] for r in fixes]
                    for c in ("basis", "factor", "edition", "reference", "remedy_due", "error")
                },
            },
            schema_overrides={
                c: pl.String
                for c in ("basis", "factor", "edition", "reference", "remedy_due", "error")
            },
        )
        fix = fix.with_columns(pl.col(c).replace("", None) for c in ("basis", "factor", "edition"))
        out = out.update(fix, on="row", include_nulls=True)
    if case_policy == "max_per_case":
        out = _max_per_case(out)
    amount = (
        pl.when(pl.col("status") == Status.ERROR.value)
        .then(pl.lit(""))
        .otherwise(
            (pl.col("_amount_t") // 100).cast(pl.String)
            + "."
            + (pl.col("_amount_t") % 100).cast(pl.String).str.zfill(2)
        )
    )
    result = out.select(
        "row",
        "status",
        amount.alias("amount"),
        *(pl.col(c).fill_null("") for c in ("basis", "factor", "edition", "reference")),
        "remedy_due",
        "error",
    )
    return pl.concat([df, result], how="horizontal")


def _tiyn(amount: str) -> int | None:
    if amount == "":
        return None
    return int(Decimal(amount) * 100)


def _max_per_case(out: pl.DataFrame) -> pl.DataFrame:
    """Keep the largest deduction of each case (provider_id, case_id), first row on a tie; the
    other deducted findings of the case become ``recorded`` with 0.00 (reading D3)."""
    deducted = (pl.col("status") == Status.DEDUCTED.value) & (pl.col("_case") != "")
    group = pl.when(deducted).then(pl.concat_str(["_provider", "_case"], separator="\x1f"))
    amount = pl.when(deducted).then(pl.col("_amount_t"))
    keeper = (
        pl.col("row").filter(amount == amount.max()).min().over(group)  # first on a tie
    )
    ranked = out.with_columns(keeper.alias("_keeper"))
    loser = deducted & (pl.col("row") != pl.col("_keeper"))
    return ranked.with_columns(
        pl.when(loser)
        .then(pl.lit(Status.RECORDED.value))
        .otherwise(pl.col("status"))
        .alias("status"),
        pl.when(loser)
        .then(pl.lit(0, dtype=pl.Int128))
        .otherwise(pl.col("_amount_t"))
        .alias("_amount_t"),
        pl.when(loser)
        .then(pl.col("reference") + "; case_policy=max_per_case")
        .otherwise(pl.col("reference"))
        .alias("reference"),
    ).drop("_keeper")


def deductions_frame(ds: Sequence[Deduction]) -> pl.DataFrame:
    """The result columns of scalar deductions, as a frame (tests, small inputs)."""
    return pl.DataFrame(
        [record(d) for d in ds],
        schema={c: (pl.Int64 if c == "row" else pl.String) for c in RESULT_COLUMNS},
    )


__all__ = [
    "RESULT_COLUMNS",
    "check_columns",
    "deduct_frame",
    "deductions_frame",
    "penalty_table",
    "record",
]
