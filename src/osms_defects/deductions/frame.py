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

import datetime as dt
import gc
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import polars as pl

from ..calendar import WorkCalendar
from ..classifier import Basis, Classifier, Edition, normalize_code
from ..errors import FindingsInputError, NoEditionError
from .engine import (
    CASE_POLICIES,
    INPUT_COLUMNS,
    REQUIRED_COLUMNS,
    CasePolicy,
    Resolver,
    _iso_date,
    _resolver,
    deduct_many,
    duplicate_message,
)
from .model import Deduction, DefectClass, ErrorKind, MonitoringKind, Status, format_factor
from .plan import Plan, Refusal, deduction_rules, kinds_in_force

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
    "calendar_provisional",
    "edition_note",
)
#: the input columns the deduction reads (the scalar reader's own list: one place)
_TEXT_FIELDS = INPUT_COLUMNS
# a usable amount: up to 18 integer digits, decimals beyond the tiyn only zeros
_CLEAN_AMOUNT_RE = r"^[0-9]{1,18}(\.[0-9]{1,2}0*)?$"  # ASCII digits only


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
        "calendar_provisional": "true" if d.calendar_provisional else "",
        "edition_note": d.edition_note or "",
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


def _edition_plans(
    res: Resolver, ed: Edition, code: str, care: str, dclass: DefectClass | None = None
) -> tuple[Plan | Refusal, Plan | Refusal | None, Plan | Refusal | None]:
    """The plans of one cell: under the edition's first kind of monitoring that is not
    proactive, and under proactive monitoring remedied / not remedied (None where the edition
    has no proactive monitoring) — every variant the columnar path needs."""
    kinds = kinds_in_force(ed.id)
    first = next(k for k in kinds if k is not MonitoringKind.PROACTIVE)
    base = res.plan(ed, code, care, first, dclass, False)
    if MonitoringKind.PROACTIVE not in kinds:
        return base, None, None
    return (
        base,
        res.plan(ed, code, care, MonitoringKind.PROACTIVE, dclass, False),
        res.plan(ed, code, care, MonitoringKind.PROACTIVE, dclass, True),
    )


def _ref(p: Plan | Refusal | None) -> str | None:
    return p.reference if isinstance(p, Plan) else None


def penalty_table(classifier: Classifier | Resolver) -> pl.DataFrame:
    """Every (edition, code, care type) of the classifier with its basis, factor as an integer
    fraction and references — the plan (``deductions.plan``) under current monitoring and, where
    the edition has proactive monitoring, under it (exempt / warning / unremedied) — or the
    error kind a finding of that cell gets (Прил. 1)."""
    res = classifier if isinstance(classifier, Resolver) else Resolver(classifier)
    rows: list[dict[str, Any]] = []
    for ed in res.classifier.editions:
        for code, care, _pen in ed.penalties():
            current, warned, unremedied = _edition_plans(res, ed, code, care)
            if isinstance(current, Refusal):
                rows.append(
                    {"edition": ed.id, "code": code, "care_type": care,
                     "error_kind": current.kind.value}
                )  # fmt: skip
                continue
            num, den = _fraction(current.factor)
            exempt = isinstance(warned, Plan) and warned.remedy_term is None
            rows.append(
                {
                    "edition": ed.id,
                    "code": code,
                    "care_type": care,
                    "error_kind": None,
                    "basis": current.basis.value,
                    "factor": format_factor(current.factor),
                    "num": num,
                    "den": den,
                    "exempt": exempt,
                    "ref_current": current.reference,
                    "ref_exempt": _ref(warned) if exempt else None,
                    "ref_warning": None if exempt else _ref(warned),
                    "ref_unremedied": None if exempt else _ref(unremedied),
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


#: the reference variants of a cell: not proactive, proactive exempt (п. 54), proactive
#: warning (п. 54, 58), proactive unremedied (п. 59) — each the plan of that case
_VARIANTS = ("current", "exempt", "warning", "unremedied")
_KINDS = list(MonitoringKind)
_PROACTIVE = _KINDS.index(MonitoringKind.PROACTIVE)
#: defect_class of a row: 0 not stated, then the classes of п. 11 (order No. 68) in order (D10)
_CLASSES: list[DefectClass | None] = [None, *DefectClass]
_GENERAL = _CLASSES.index(DefectClass.GENERAL)


class _Dense:
    """The plans of the classifier as dense arrays indexed by (edition, code, care type, variant,
    class): the columnar path gathers from them instead of joining. Every value comes from
    ``deductions.plan`` (the resolver's readings applied), as in the scalar path."""

    def __init__(self, res: Resolver) -> None:
        classifier = res.classifier
        self.classifier = classifier
        eds = classifier.editions
        self.editions = [e.id for e in eds]
        self.codes = sorted({d.id for e in eds for d in e.defects})
        self.cares = sorted({c.id for e in eds for c in e.care_types})
        self.code_ix = {c: i for i, c in enumerate(self.codes)}
        self.care_ix = {c: i for i, c in enumerate(self.cares)}
        size = len(eds) * len(self.codes) * len(self.cares)
        ok = [False] * size
        basis: list[str | None] = [None] * size
        factor: list[str | None] = [None] * size
        num = [0] * size
        den = [1] * size
        exempt = [False] * size
        expenses = [False] * size
        none = [False] * size
        nv, ncl = len(_VARIANTS), len(_CLASSES)
        refs: list[str | None] = [None] * (size * nv * ncl)
        for ei, ed in enumerate(eds):
            for code, care in ((d.id, c.id) for d in ed.defects for c in ed.care_types):
                k = self.key(ei, self.code_ix[code], self.care_ix[care])
                for ci, dclass in enumerate(_CLASSES):
                    current, warned, unremedied = _edition_plans(res, ed, code, care, dclass)
                    if ci == 0:
                        if not isinstance(current, Plan):
                            break  # the cell refuses: the scalar engine words the error
                        ok[k] = True
                        basis[k] = current.basis.value
                        factor[k] = format_factor(current.factor)
                        num[k], den[k] = _fraction(current.factor)
                        exempt[k] = isinstance(warned, Plan) and warned.remedy_term is None
                        expenses[k] = current.expenses
                        none[k] = current.basis is Basis.NONE
                    variants = (
                        current,
                        warned if exempt[k] else None,
                        None if exempt[k] else warned,
                        None if exempt[k] else unremedied,
                    )
                    for vi, p in enumerate(variants):
                        refs[(k * nv + vi) * ncl + ci] = _ref(p)
        self.ok = pl.Series("ok", ok, dtype=pl.Boolean)
        self.basis = pl.Series("basis", basis, dtype=pl.String)
        self.factor = pl.Series("factor", factor, dtype=pl.String)
        self.num = pl.Series("num", num, dtype=pl.Int128)
        self.den = pl.Series("den", den, dtype=pl.Int128)
        self.exempt = pl.Series("exempt", exempt, dtype=pl.Boolean)
        self.expenses = pl.Series("expenses", expenses, dtype=pl.Boolean)
        self.none = pl.Series("none", none, dtype=pl.Boolean)
        self.refs = pl.Series("refs", refs, dtype=pl.String)
        self.edition_names = pl.Series("edition", self.editions, dtype=pl.String)
        # D9: (edition, kind) → may a finding of that kind be deducted under that edition
        self.kind_ok = pl.Series(
            "kind_ok",
            [k in kinds_in_force(e) for e in self.editions for k in _KINDS],
            dtype=pl.Boolean,
        )
        # D10: (edition, class) → may a finding name that class under that edition
        self.class_ok = pl.Series(
            "class_ok",
            [
                c is None or deduction_rules(e).classes is not None
                for e in self.editions
                for c in _CLASSES
            ],
            dtype=pl.Boolean,
        )

    def key(self, ei: int, ci: int, ki: int) -> int:
        return (ei * len(self.codes) + ci) * len(self.cares) + ki


_DENSE: dict[tuple[int, str | None, bool], _Dense] = {}


def _dense(res: Resolver) -> _Dense:
    key = (id(res.classifier), res.accept_reading, res.accept_doubtful)
    hit = _DENSE.get(key)
    if hit is None or hit.classifier is not res.classifier:
        hit = _Dense(res)
        _DENSE.clear()
        _DENSE[key] = hit
    return hit


def check_columns(columns: Sequence[str], schema: pl.Schema | None = None) -> None:
    """A frame or file must have the required columns and none of the result columns."""
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise FindingsInputError(
            f"required column(s) missing: {', '.join(missing)}; a findings file has the columns "
            + ", ".join(_TEXT_FIELDS)
            + " ("
            + ", ".join(c for c in _TEXT_FIELDS if c not in REQUIRED_COLUMNS)
            + " may be left out)"
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


def _text(df: pl.DataFrame, name: str) -> pl.Series:
    if name in df.columns:
        return df.get_column(name).cast(pl.String).fill_null("")
    return pl.Series(name, [""] * df.height, dtype=pl.String)


def _distinct(col: pl.Series) -> tuple[list[str], pl.Series]:
    """The distinct values of a text column (few: dates, codes, kinds) and each row's position
    among them (an Enum's physical index): per-value work is then done once per value."""
    uniq = col.unique().to_list()
    return uniq, col.cast(pl.Enum(uniq)).to_physical()


def _map_unique(col: pl.Series, fn: Any, dtype: pl.DataType) -> pl.Series:
    """Apply a scalar function to the distinct values of a column and spread the results: the
    columnar path reads fields exactly as the scalar path does."""
    uniq, ix = _distinct(col)
    return pl.Series([fn(u) for u in uniq], dtype=dtype).gather(ix)


def _parse_date(text: str) -> dt.date | None:
    return _iso_date(text.strip())  # the scalar path's own date rule


def _kind_index(text: str) -> int | None:
    t = text.strip()
    if not t:
        return None
    try:
        return _KINDS.index(MonitoringKind.parse(t))
    except ValueError:
        return None


def _class_index(text: str) -> int | None:
    t = text.strip()
    if not t:
        return 0
    try:
        return _CLASSES.index(DefectClass.parse(t))
    except ValueError:
        return None


def deduct_frame(
    df: pl.DataFrame | Any,
    classifier: Classifier | Resolver | None = None,
    *,
    case_policy: CasePolicy = "each",
    unremedied: bool = False,
    calendar: WorkCalendar | None = None,
) -> pl.DataFrame:
    """The deductions of a frame of findings: the input columns in order, then ``row, status,
    amount, basis, factor, edition, reference, remedy_due, error, calendar_provisional``
    (strings as in the CSV; ``row`` 1-based). Same results as :func:`deduct_many` on the same
    rows, exactly.

    ``df`` is a polars DataFrame or anything polars takes in (an Arrow table, a pandas frame, a
    dict of columns)."""
    return deduct_frame_summary(
        df, classifier, case_policy=case_policy, unremedied=unremedied, calendar=calendar
    )[0]


def deduct_frame_summary(
    df: pl.DataFrame | Any,
    classifier: Classifier | Resolver | None = None,
    *,
    case_policy: CasePolicy = "each",
    unremedied: bool = False,
    calendar: WorkCalendar | None = None,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """:func:`deduct_frame` and the run's summary (the keys of
    :func:`osms_defects.deductions.io.summary`: rows, deducted, recorded, warnings, errors,
    total), counted from the integer statuses and tiyn before they become text (one pass
    fewer over the output than ``summary(deduct_frame(df))``, same figures)."""
    if not isinstance(df, pl.DataFrame):
        try:
            df = pl.DataFrame(df)
        except (TypeError, ValueError, pl.exceptions.PolarsError) as exc:
            raise FindingsInputError(
                f"cannot read a {type(df).__name__} as a table of findings: {exc}"
            ) from None
    if case_policy not in CASE_POLICIES:
        raise ValueError(f"case_policy {case_policy!r}; allowed: {', '.join(CASE_POLICIES)}")
    check_columns(df.columns, df.schema)
    res = _resolver(classifier, calendar)
    dense = _dense(res)
    n = df.height

    # -- fields read through the scalar functions, once per distinct value
    def edition_of(text: str) -> int | None:
        d = _parse_date(text)
        if d is None:
            return None
        try:
            ed = res.edition(d)
        except NoEditionError:
            return None
        # a date in the window of reading E18 goes to the scalar engine, which writes the mark
        # with the other edition's amount; other marks depend on the date alone (note_of)
        if res.notes.get(d) and d not in res.plain_notes:
            return None
        return dense.editions.index(ed.id)

    def note_of(text: str) -> str:
        d = _parse_date(text)
        return "" if d is None else res.plain_notes.get(d, "")

    def due_of(text: str) -> str:
        """ "" no date; "!" unreadable or outside the calendar (the scalar engine says which)."""
        if not text.strip():
            return ""
        d = _parse_date(text)
        if d is None or res.implausible(d, "conclusion_signed_on") is not None:
            return "!"
        due = res.remedy_due(d)
        # a provisional calendar year goes to the scalar engine too: it marks the row
        return "!" if due is None or d in res.provisional_dues else due.isoformat()

    code_raw = _text(df, "code")
    care_raw = _text(df, "care_type")
    signed_raw = _text(df, "conclusion_signed_on")
    # the detection dates once: their editions (R4) and, below, their edition marks
    detected_uniq, detected_pos = _distinct(_text(df, "detected_on"))
    ed_ix = pl.Series([edition_of(u) for u in detected_uniq], dtype=pl.Int64()).gather(
        detected_pos
    )
    code_ix = _map_unique(code_raw, lambda t: dense.code_ix.get(normalize_code(t)), pl.Int64())
    care_ix = _map_unique(care_raw, lambda t: dense.care_ix.get(t.strip()), pl.Int64())
    kind_ix = _map_unique(_text(df, "monitoring_kind"), _kind_index, pl.Int64())
    # п. 58: a remedy date once per distinct signing date; rows keep their date's position
    signed_uniq, signed_pos = _distinct(signed_raw)
    due_values = [due_of(u) for u in signed_uniq]
    cls_ix = _map_unique(_text(df, "defect_class"), _class_index, pl.Int64())

    nc, nk = len(dense.codes), len(dense.cares)
    w = pl.DataFrame(
        {
            "row": pl.int_range(1, n + 1, dtype=pl.Int64, eager=True),
            "_ed": ed_ix,
            "_kind": kind_ix,
            "_cls": cls_ix,
            "_pk": ((ed_ix * nc + code_ix) * nk + care_ix),
            "_due_ix": signed_pos.cast(pl.Int64),
            "_note_ix": detected_pos.cast(pl.Int64),
            "_bad_signed": pl.Series([v == "!" for v in due_values], dtype=pl.Boolean).gather(
                signed_pos
            ),
            "_no_signed": pl.Series([v == "" for v in due_values], dtype=pl.Boolean).gather(
                signed_pos
            ),
            # not stripped: an amount with spaces is not "clean" and goes to the scalar engine
            "_base": _text(df, "base_amount"),
            "_doc": _text(df, "documented_amount"),
        }
    ).lazy()
    pk = pl.col("_pk")
    known = pk.is_not_null() & pl.lit(dense.ok).gather(pk.fill_null(0))
    w = w.with_columns(
        known.fill_null(False).alias("_known"),
        pl.lit(dense.exempt).gather(pk.fill_null(0)).alias("_exempt"),
        pl.lit(dense.expenses).gather(pk.fill_null(0)).alias("_expenses"),
        pl.lit(dense.none).gather(pk.fill_null(0)).alias("_none"),
        pl.lit(dense.num).gather(pk.fill_null(0)).alias("_num"),
        pl.lit(dense.den).gather(pk.fill_null(0)).alias("_den"),
    )
    proactive = pl.col("_kind") == _PROACTIVE
    warning = proactive & ~pl.col("_exempt") & pl.lit(not unremedied)
    # п. 12 (ред. 2026): a general defect is recorded, never deducted (D10)
    general = pl.col("_cls") == _GENERAL
    recorded = pl.col("_none") | general
    required = ~warning & ~recorded
    w = w.with_columns(
        pl.when(pl.col("_expenses"))
        .then(pl.col("_doc"))
        .otherwise(pl.col("_base"))
        .alias("_btext"),
        warning.fill_null(False).alias("_warning"),
        required.fill_null(True).alias("_req"),
        (proactive & ~pl.col("_exempt")).fill_null(False).alias("_needs_due"),
    )
    clean = pl.col("_btext").str.contains(_CLEAN_AMOUNT_RE)
    # a clean amount as Decimal(38, 2): its physical integer is the amount in tiyn
    tiyn = pl.col("_btext").str.to_decimal(scale=2).to_physical().cast(pl.Int128)
    w = w.with_columns(pl.when(clean).then(tiyn).alias("_base_t"))
    ok_base = (
        pl.when(pl.col("_btext") == "")
        .then(~pl.col("_req"))
        .otherwise(
            clean & pl.col("_base_t").is_not_null() & ((pl.col("_base_t") > 0) | ~pl.col("_req"))
        )
    )
    kind_ok = pl.lit(dense.kind_ok).gather(
        pl.col("_ed").fill_null(0) * len(_KINDS) + pl.col("_kind").fill_null(0)
    )
    class_ok = pl.lit(dense.class_ok).gather(
        pl.col("_ed").fill_null(0) * len(_CLASSES) + pl.col("_cls").fill_null(0)
    )
    suspect = (
        ~pl.col("_known")
        | pl.col("_kind").is_null()
        | ~kind_ok
        | pl.col("_cls").is_null()
        | ~class_ok
        | pl.col("_bad_signed")
        | (pl.col("_warning") & pl.col("_no_signed"))
        | ~ok_base
    ).fill_null(True)
    amount_t = (pl.col("_base_t") * pl.col("_num") * 2 + pl.col("_den")) // (pl.col("_den") * 2)
    # 0 deducted, 1 recorded, 2 warning (3 error comes from the scalar engine)
    status_ix = pl.when(pl.col("_warning")).then(2).when(recorded).then(1).otherwise(0)
    variant = (  # the index in _VARIANTS
        pl.when(~proactive)
        .then(0)
        .when(pl.col("_exempt"))
        .then(1)
        .when(pl.col("_warning"))
        .then(2)
        .otherwise(3)
    )
    w = w.with_columns(suspect.alias("_suspect"), status_ix.cast(pl.Int8).alias("_st"))
    w = w.with_columns(
        pl.when(pl.col("_st") == 0).then(amount_t).otherwise(0).cast(pl.Int128).alias("_amount_t"),
        (
            (pk.fill_null(0) * len(_VARIANTS) + variant) * len(_CLASSES)
            + pl.col("_cls").fill_null(0)
        ).alias("_ref_ix"),
    )
    # numbers only so far (cheap): the strings are built once, at the end
    out = w.select(
        "row", "_st", "_amount_t", "_pk", "_ed", "_ref_ix", "_needs_due", "_due_ix", "_suspect",
        "_note_ix",
    ).collect()  # fmt: skip
    dup = _duplicates(df)
    if dup is not None:  # later occurrences of a finding_id: errors, never computed
        is_dup = dup.is_not_null()
        out = out.with_columns(
            _suspect=pl.col("_suspect") & ~is_dup,
            _st=pl.when(is_dup).then(pl.lit(_STATUS_IX[Status.ERROR.value], dtype=pl.Int8))
            .otherwise(pl.col("_st")),
            _amount_t=pl.when(is_dup).then(None).otherwise(pl.col("_amount_t")),
        )  # fmt: skip
    note_values = [note_of(u) for u in detected_uniq] if res.plain_notes else [""]
    result, nums = _finish(df, out, res, dense, due_values, note_values, case_policy, unremedied)
    if dup is not None:
        is_dup = dup.is_not_null()
        result = result.with_columns(
            *(pl.when(is_dup).then(pl.lit("")).otherwise(pl.col(c)).alias(c)
              for c in ("basis", "factor", "edition", "reference", "remedy_due",
                        "calendar_provisional", "edition_note")),
            pl.when(is_dup).then(dup).otherwise(pl.col("error")).alias("error"),
        )  # fmt: skip
    return result, _summary(nums)


#: what Python's ``str.strip()`` removes (``str.isspace``), for polars to strip the same
#: characters as the scalar path (a test checks the set)
PY_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


_EDGE_SPACE = f"^[{re.escape(PY_WHITESPACE)}]|[{re.escape(PY_WHITESPACE)}]$"


def _duplicates(df: pl.DataFrame) -> pl.Series | None:
    """For each row whose ``finding_id`` was given in an earlier row, the ``error`` text
    naming the first row (the scalar path's words); null elsewhere. None: no repeats."""
    if "finding_id" not in df.columns:
        return None
    fid = _text(df, "finding_id")
    if fid.str.contains(_EDGE_SPACE).any():  # strip only when some id needs it (cheaper)
        fid = fid.str.strip_chars(PY_WHITESPACE)
    given = fid.filter(fid != "")
    # the usual case: no repeat — distinct hashes prove it (0.06 s at 1M rows; strings 0.22 s)
    if given.hash().n_unique() == given.len():
        return None
    repeated = (fid != "") & fid.is_duplicated()
    frame = pl.DataFrame({"fid": fid, "row": pl.int_range(1, df.height + 1, eager=True)})
    first = frame.select(pl.col("row").min().over("fid")).to_series()
    later = repeated & (first != frame.get_column("row"))
    idx = later.arg_true()
    texts = [
        f"{ErrorKind.DUPLICATE_FINDING.value}: {duplicate_message(f, r)}"
        for f, r in zip(fid.gather(idx).to_list(), first.gather(idx).to_list(), strict=True)
    ]
    return (
        pl.Series("error", [None] * df.height, dtype=pl.String)
        .scatter(idx, pl.Series(texts, dtype=pl.String))
    )


def _summary(nums: pl.DataFrame) -> dict[str, Any]:
    """Counts by status and the total deducted, exact: summed in integer tiyn (п. 30)."""
    counts = dict(nums.get_column("_st").value_counts().iter_rows())
    cents = (
        nums.filter(pl.col("_st") == _STATUS_IX[Status.DEDUCTED.value])
        .get_column("_amount_t")
        .sum()
    )
    total = Decimal(int(cents or 0)) / 100
    return {
        "rows": nums.height,
        "deducted": counts.get(_STATUS_IX[Status.DEDUCTED.value], 0),
        "recorded": counts.get(_STATUS_IX[Status.RECORDED.value], 0),
        "warnings": counts.get(_STATUS_IX[Status.WARNING.value], 0),
        "errors": counts.get(_STATUS_IX[Status.ERROR.value], 0),
        "total": total.quantize(Decimal("0.01")),
    }


def _finish(
    df: pl.DataFrame,
    out: pl.DataFrame,
    res: Resolver,
    dense: _Dense,
    due_values: list[str],
    note_values: list[str],
    case_policy: CasePolicy,
    unremedied: bool,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The result columns from the numeric frame ``out``; also the statuses (``_st``) and
    amounts in tiyn (``_amount_t``) for the run's summary."""
    # rows flagged as possible errors: the scalar engine decides, word for word
    idx = out.get_column("_suspect").arg_true()
    n_fix = len(idx)
    fix: dict[str, pl.Series] = {c: pl.Series(c, [], dtype=pl.String) for c in _FIX_COLUMNS}
    if n_fix:
        text = df.select([pl.col(c).cast(pl.String) for c in _TEXT_FIELDS if c in df.columns])[idx]
        # a pause of the cyclic garbage collector: the loop allocates only short-lived,
        # acyclic objects, yet each full collection walks every object of the process (the
        # classifier, the calendar): it made half the time of this loop
        paused = gc.isenabled()
        gc.disable()
        try:
            rows = text.iter_rows(named=True)
            fixes = [record(d) for d in deduct_many(rows, res, unremedied=unremedied)]
        finally:
            if paused:
                gc.enable()
        fix = {c: pl.Series(c, [r[c] for r in fixes], dtype=pl.String) for c in _FIX_COLUMNS}
        out = out.with_columns(
            _st=out.get_column("_st").scatter(
                idx, pl.Series([_STATUS_IX[r["status"]] for r in fixes], dtype=pl.Int8)
            ),
            _amount_t=out.get_column("_amount_t").scatter(
                idx, pl.Series([_tiyn(r["amount"]) for r in fixes], dtype=pl.Int128)
            ),
            # the row's place among the fixes, computed once for every string column
            _pos=pl.col("_suspect").cast(pl.Int64).cum_sum() - 1,
        )
    loser: pl.Expr | None = None
    if case_policy == "max_per_case":
        out = _max_per_case(
            out.with_columns(
                _provider=_text(df, "provider_id").str.strip_chars(),
                _case=_text(df, "case_id").str.strip_chars(),
            )
        )
        loser = pl.col("_loser")
    suspect = pl.col("_suspect")

    def lookup(name: str, values: pl.Series, ix: pl.Expr) -> pl.Expr:
        """Every string column is ONE gather by an integer index from a small list: the
        table's values followed by the scalar engine's values for the flagged rows."""
        if not n_fix:
            if len(values) == 1:  # the error column of a run without flagged rows
                return pl.lit(values[0], dtype=pl.String).alias(name)
            return pl.lit(values.rename(name)).gather(ix).alias(name)
        full = pl.concat([values.rename(name), fix[name].rename(name)])
        return (
            pl.lit(full)
            .gather(pl.when(suspect).then(pl.col("_pos") + len(values)).otherwise(ix))
            .alias(name)
        )

    pk = pl.col("_pk").fill_null(0)
    refs = dense.refs
    ref_ix = pl.col("_ref_ix")
    fix_refs = fix["reference"]
    if loser is not None:  # the losers' references carry the policy
        refs = pl.concat([refs, refs + "; case_policy=max_per_case"])
        ref_ix = pl.when(loser).then(ref_ix + len(dense.refs)).otherwise(ref_ix)
        fix_refs = pl.concat([fix_refs, fix_refs + "; case_policy=max_per_case"])
    if n_fix:
        # a flagged row's reference: its fix, or (a loser) its fix with the policy, which
        # sit after the n_fix plain fixes
        fix_pos = pl.col("_pos")
        if loser is not None:
            fix_pos = pl.when(loser).then(fix_pos + n_fix).otherwise(fix_pos)
        ref_ix = pl.when(suspect).then(fix_pos + len(refs)).otherwise(ref_ix)
        refs = pl.concat([refs, fix_refs])
    ref_expr = pl.lit(refs.rename("reference")).gather(ref_ix).alias("reference")
    # п. 58: the remedy dates of the distinct signing dates, then "" (no date due)
    dues = pl.Series("remedy_due", [*due_values, ""], dtype=pl.String)
    due_ix = pl.when(pl.col("_needs_due")).then(pl.col("_due_ix")).otherwise(len(due_values))
    # tiyn → tenge text with two decimals, exactly: Decimal(38, 0) × 0.01 is Decimal(38, 2)
    tenge = (pl.col("_amount_t").cast(pl.Decimal(38, 0)) * pl.lit(_CENT)).cast(pl.String)
    empty = pl.Series([""], dtype=pl.String)
    result = out.select(
        "row",
        pl.lit(pl.Series(_STATUSES, dtype=pl.String)).gather(pl.col("_st")).alias("status"),
        pl.when(pl.col("_st") == _STATUS_IX[Status.ERROR.value])
        .then(pl.lit(""))
        .otherwise(tenge)
        .alias("amount"),
        lookup("basis", dense.basis.fill_null(""), pk),
        lookup("factor", dense.factor.fill_null(""), pk),
        lookup("edition", dense.edition_names, pl.col("_ed").fill_null(0)),
        ref_expr,
        lookup("remedy_due", dues, due_ix),
        lookup("error", empty, pl.lit(0)),
        # only the scalar engine's rows can be provisional (due_of sends them there)
        lookup("calendar_provisional", empty, pl.lit(0)),
        # the edition's marks of each detection date (E19, E20); E18's from the scalar engine
        lookup(
            "edition_note",
            pl.Series(note_values, dtype=pl.String),
            pl.col("_note_ix") if len(note_values) > 1 else pl.lit(0),
        ),
    )
    return pl.concat([df, result], how="horizontal"), out.select("_st", "_amount_t")


_CENT = Decimal("0.01")
_STATUSES = [Status.DEDUCTED.value, Status.RECORDED.value, Status.WARNING.value, Status.ERROR.value]
_STATUS_IX = {v: i for i, v in enumerate(_STATUSES)}
_FIX_COLUMNS = (
    "basis", "factor", "edition", "reference", "remedy_due", "error", "calendar_provisional",
    "edition_note",
)  # fmt: skip


def _tiyn(amount: str) -> int | None:
    if amount == "":
        return None
    return int(Decimal(amount) * 100)


def _max_per_case(out: pl.DataFrame) -> pl.DataFrame:
    """Keep the largest deduction of each case (provider_id, case_id), first row on a tie; the
    other deducted findings of the case become ``recorded`` with 0.00 (reading D3)."""
    deducted = (pl.col("_st") == _STATUS_IX[Status.DEDUCTED.value]) & (pl.col("_case") != "")
    group = pl.when(deducted).then(pl.concat_str(["_provider", "_case"], separator="\x1f"))
    amount = pl.when(deducted).then(pl.col("_amount_t"))
    keeper = pl.col("row").filter(amount == amount.max()).min().over(group)  # first on a tie
    ranked = out.with_columns((deducted & (pl.col("row") != keeper)).alias("_loser"))
    loser = pl.col("_loser")
    return ranked.with_columns(
        pl.when(loser)
        .then(pl.lit(_STATUS_IX[Status.RECORDED.value], dtype=pl.Int8))
        .otherwise(pl.col("_st"))
        .alias("_st"),
        pl.when(loser)
        .then(pl.lit(0, dtype=pl.Int128))
        .otherwise(pl.col("_amount_t"))
        .alias("_amount_t"),
    )


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
    "deduct_frame_summary",
    "deductions_frame",
    "penalty_table",
    "record",
]
