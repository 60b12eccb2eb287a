"""The monitoring reports of Прил. 3 (ГОБМП) and Прил. 4 (ОСМС), п. 32.

A report is the sum of the deductions the engine explains, line by line: per provider, the
defects and their sums by kind of monitoring (п. 18) come from the deductions; the contracts,
their sums, the coverage and the penalties (неустойка) come from the contracts file. A column
whose input is not given is left EMPTY (null) and listed in ``empty_columns`` with the reason —
never filled with zero. Readings P1–P6 in ``docs/readings.md``.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, TextIO

import polars as pl

from ..calendar import WorkCalendar
from ..errors import ReportInputError
from ..outputs import guard_csv_cell
from .forms import FormName, ReportForm, column_kind, load_form
from .inputs import (
    KINDS,
    ErrorRow,
    read_csv_strings,
    split_error_rows,
    validate_contracts,
    validate_deductions,
)
from .period import Period, ReportDue, parse_period, report_due

__all__ = ["MonitoringReport", "build_report", "build_report_files"]

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)

#: the column groups of one kind of monitoring, in the order of the printed form (гр. 10–24)
_KIND_COLS = {"current": 10, "targeted": 15, "unplanned": 20}
#: гр. 37, 38, 39, 41 add up these columns — our reading P3 of the printed references
TOTAL_PARTS: dict[str, tuple[str, ...]] = {
    "total_defects": ("current_defects", "targeted_defects", "unplanned_defects",
                      "proactive_deducted", "mortality_defects"),
    "total_defects_sum": ("current_defects_sum", "targeted_defects_sum", "unplanned_defects_sum",
                          "proactive_deducted_sum", "mortality_defects_sum"),
    "total_penalty_assessed": ("current_penalty_assessed", "targeted_penalty_assessed",
                               "unplanned_penalty_assessed", "proactive_penalty_assessed",
                               "mortality_penalty_assessed"),
    "total_penalty_paid": ("current_penalty_paid", "targeted_penalty_paid",
                           "unplanned_penalty_paid", "proactive_penalty_paid",
                           "mortality_penalty_paid"),
}
_PCT = {"coverage_pct": ("contracts_monitored", "contracts"),
        "violations_pct": ("contracts_with_violations", "contracts_monitored")}


def _pl_type(t: str) -> pl.DataType:
    if t == "text":
        return pl.String()
    if t == "int":
        return pl.Int64()
    return pl.Decimal(38, 2)


def _pct(num: Decimal | int | None, den: Decimal | int | None) -> Decimal | None:
    if num is None or den is None or den == 0:
        return None
    return (Decimal(num) * _HUNDRED / Decimal(den)).quantize(_CENT, ROUND_HALF_UP)


def _sum_known(values: list[Any]) -> Any:
    """The sum, or None if any part is unknown (a partial sum is not the total)."""
    if any(v is None for v in values):
        return None
    return sum(values, start=type(values[0])(0)) if values else None


@dataclass(frozen=True)
class EmptyColumn:
    """A column the library left empty (or partly empty), and why."""

    number: int
    id: str
    reason: str


@dataclass(frozen=True)
class MonitoringReport:
    """A report of Прил. 3 or 4 for one period: provider rows, the total row, what is empty."""

    form: ReportForm
    period: Period
    due: ReportDue
    frame: pl.DataFrame  # one row per provider, columns "N_id" in the printed order
    totals: Mapping[str, Any]  # column id -> total (None where a part is unknown)
    empty_columns: tuple[EmptyColumn, ...]
    deductions_used: int
    deductions_outside_period: int
    deductions_other_program: int
    date_column: str
    #: the deduct output's error rows: not in the table, listed in the annex (issue 20)
    error_rows: tuple[ErrorRow, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.form.title.replace("____ (квартал/полугодие/год) 202__ года", self.period.title_ru)

    def rows(self) -> list[dict[str, Any]]:
        """Provider rows then the total row, keyed by column id."""
        ids = [c.id for c in self.form.columns]
        out = [dict(zip(ids, r, strict=True)) for r in self.frame.iter_rows()]
        out.append({i: self.totals.get(i) for i in ids})
        return out

    def to_pandas(self) -> Any:
        return self.frame.to_pandas()

    def to_csv(self, path: str | Path | TextIO, *, csv_guard: bool = True) -> None:
        """CSV: header ``N_id``, one row per provider, then the total row («ИТОГО»). With
        ``csv_guard`` (default) a text cell beginning with =, +, -, @, a tab or CR (a provider
        name) gets a leading ' (OWASP; osms_defects.outputs)."""
        if not isinstance(path, str | Path):
            self._write_csv(path, csv_guard)
            return
        with Path(path).open("w", encoding="utf-8", newline="") as fh:
            self._write_csv(fh, csv_guard)

    def _write_csv(self, fh: TextIO, csv_guard: bool = True) -> None:
        w = csv.writer(fh)
        w.writerow([c.key for c in self.form.columns])
        for row in self.rows():
            cells = ["" if row[c.id] is None else str(row[c.id]) for c in self.form.columns]
            w.writerow([guard_csv_cell(v) for v in cells] if csv_guard else cells)

    def to_xlsx(self, path: str | Path) -> None:
        from .fill import to_xlsx

        to_xlsx(self, path)

    def to_html(self, *, gloss: str | None = None, fragment: bool = False) -> str:
        """The printable page of the report (reports.fill, the one HTML renderer)."""
        from .fill import to_html

        return to_html(self, gloss=gloss, fragment=fragment)

    def _repr_html_(self) -> str:
        return self.to_html(fragment=True)


def _program_of_rows(
    ded: pl.DataFrame, programs_by_provider: dict[str, set[str]], source: str
) -> list[str]:
    has_col = "program" in ded.columns
    out: list[str] = []
    problems: list[str] = []
    for rec in ded.select("_row", "provider_id", *(["program"] if has_col else [])).iter_rows(named=True):
        pid = rec["provider_id"]
        progs = programs_by_provider.get(pid, set())
        if not progs:
            problems.append(f"row {rec['_row']}, provider_id: {pid!r} has no contract in the contracts file")
            out.append("")
        elif has_col:
            if rec["program"] not in progs:
                problems.append(
                    f"row {rec['_row']}, program: {rec['program']!r}; provider {pid!r} has contracts "
                    f"only in {', '.join(sorted(progs))}"
                )
            out.append(rec["program"])
        elif len(progs) > 1:
            problems.append(
                f"row {rec['_row']}: provider {pid!r} has contracts in both ГОБМП and ОСМС; add a "
                "'program' column to the deductions to say which one the finding belongs to"
            )
            out.append("")
        else:
            out.append(next(iter(progs)))
    if problems:
        raise ReportInputError(f"{source}: {len(problems)} problem(s):\n" + "\n".join(
            f"  - {p}" for p in problems[:10]))
    return out


def build_report(
    form: FormName | ReportForm,
    period: str | Period,
    deductions: pl.DataFrame,
    contracts: pl.DataFrame,
    *,
    date_column: str = "detected_on",
    deductions_source: str = "deductions",
    contracts_source: str = "contracts",
    cal: WorkCalendar | None = None,
    edition: str | None = None,
) -> MonitoringReport:
    """Build the report of Прил. 3 (``annex3``, ГОБМП) or Прил. 4 (``annex4``, ОСМС), п. 32.

    ``deductions``: a frame in the shape of ``osms-defects deduct`` output (all columns may be
    strings). ``contracts``: ``provider_id, contract_no, program, contract_sum`` + optional
    columns. ``date_column``: which date puts a finding in the period (reading P2).
    """
    spec = load_form(form) if isinstance(form, str) else form
    per = parse_period(period) if isinstance(period, str) else period
    # error rows are set aside, listed in the report's annex and counted (issue 20)
    kept, error_rows = split_error_rows(deductions)
    ded = validate_deductions(kept, deductions_source, date_column)
    cons = validate_contracts(contracts, contracts_source)
    programs_by_provider: dict[str, set[str]] = {}
    for c in cons:
        programs_by_provider.setdefault(str(c["provider_id"]), set()).add(str(c["program"]))
    ded = ded.with_columns(pl.Series("_program", _program_of_rows(ded, programs_by_provider, deductions_source)))
    in_period = ded.filter(pl.col("_date").is_between(per.start, per.end))
    outside = ded.height - in_period.height
    mine = in_period.filter(pl.col("_program") == spec.program)
    other = in_period.height - mine.height

    my_contracts = [c for c in cons if c["program"] == spec.program]
    providers = sorted({str(c["provider_id"]) for c in my_contracts})
    has = set().union(*(set(c) for c in cons)) if cons else set()
    has_visit = "visit" in ded.columns
    reasons: dict[str, list[str]] = {}

    def note_empty(col: str, reason: str) -> None:
        if reason not in reasons.setdefault(col, []):
            reasons[col].append(reason)

    # aggregate the deductions per provider and kind (polars; amounts are Decimal, never float)
    agg = (
        mine.group_by("provider_id", "monitoring_kind")
        .agg(
            pl.len().alias("n"),
            pl.col("_amount").sum().alias("sum"),
            (pl.col("status") == "deducted").sum().alias("n_deducted"),
            (pl.col("_visit") == 1).sum().alias("n_v1"),
            (pl.col("_visit") == 2).sum().alias("n_v2"),
        )
    )
    stats: dict[tuple[str, str], dict[str, Any]] = {
        (r["provider_id"], r["monitoring_kind"]): r for r in agg.iter_rows(named=True)
    }
    zero = Decimal("0.00")

    def contract_values(cs: list[dict[str, object]], col: str, kind_label: str) -> Any:
        if col not in has:
            note_empty(kind_label, f"в файле договоров нет столбца «{col}»")
            return None
        vals = [c.get(col) for c in cs]
        if any(v is None for v in vals):
            note_empty(kind_label, f"«{col}» не заполнен (неизвестно) для части договоров")
            return None
        return _sum_known(vals)

    records: list[dict[str, Any]] = []
    for n, pid in enumerate(providers, start=1):
        cs = [c for c in my_contracts if c["provider_id"] == pid]
        r: dict[str, Any] = {"row_no": n}
        name = next((c.get("provider_name") for c in cs if c.get("provider_name")), None)
        r["provider"] = f"{name} ({pid})" if name else pid
        r["contracts"] = len(cs)
        r["contract_sum"] = sum((Decimal(str(c["contract_sum"])) for c in cs), start=zero)
        has_findings = any((pid, k) in stats for k in KINDS)
        # гр. 6: covered by monitoring (reading P4)
        monitored = contract_values(cs, "monitored", "contracts_monitored")
        if monitored is not None:
            monitored = sum(1 for c in cs if c["monitored"])
            if has_findings and monitored == 0:
                raise ReportInputError(
                    f"{contracts_source}: provider {pid!r} has findings in {per.label} but none of "
                    "its contracts is marked monitored=true"
                )
        r["contracts_monitored"] = monitored
        r["coverage_pct"] = _pct(monitored, len(cs))
        # гр. 8: covered contracts with violations of contract conditions (reading P4)
        cwv: int | None = None
        viol_cols = [f"violations_{k}" for k in KINDS]
        if monitored is not None and all(v in has for v in viol_cols):
            known = all(c.get(v) is not None for c in cs if c["monitored"] for v in viol_cols)
            if known:
                cwv = sum(
                    1 for c in cs
                    if c["monitored"] and sum(int(str(c[v])) for v in viol_cols) > 0
                )
        if cwv is None:
            note_empty("contracts_with_violations",
                       "нужны «monitored» и «violations_<вид>» по каждому виду мониторинга")
        r["contracts_with_violations"] = cwv
        r["violations_pct"] = _pct(cwv, monitored)
        for kind in KINDS:
            s = stats.get((pid, kind))
            cnt = int(s["n"]) if s else 0
            total = Decimal(s["sum"]).quantize(_CENT) if s else zero
            if kind == "proactive":
                if has_visit:
                    r["proactive_defects_visit1"] = int(s["n_v1"]) if s else 0
                    r["proactive_defects_visit2"] = int(s["n_v2"]) if s else 0
                else:
                    r["proactive_defects_visit1"] = cnt  # reading P5: rows without 'visit' = 1st
                    r["proactive_defects_visit2"] = None
                    note_empty("proactive_defects_visit2",
                               "в удержаниях нет столбца «visit» (1 — первое посещение, 2 — через 45 дней)")
                r["proactive_deducted"] = int(s["n_deducted"]) if s else 0
                r["proactive_deducted_sum"] = total
            else:
                r[f"{kind}_defects"] = cnt
                r[f"{kind}_defects_sum"] = total
            r[f"{kind}_violations"] = contract_values(cs, f"violations_{kind}", f"{kind}_violations")
            r[f"{kind}_penalty_assessed"] = contract_values(
                cs, f"penalty_assessed_{kind}", f"{kind}_penalty_assessed")
            r[f"{kind}_penalty_paid"] = contract_values(cs, f"penalty_paid_{kind}", f"{kind}_penalty_paid")
        for tot, parts in TOTAL_PARTS.items():
            r[tot] = _sum_known([r[p] for p in parts])
            if r[tot] is None:
                note_empty(tot, "пуста одна из суммируемых граф")
        r["penalty_transferred"] = contract_values(cs, "penalty_transferred", "penalty_transferred")
        sanctions = (None if r["total_penalty_assessed"] is None
                     else r["total_defects_sum"] + r["total_penalty_assessed"])
        r["sanctions_pct"] = _pct(sanctions, r["contract_sum"])
        if sanctions is None:
            note_empty("sanctions_pct", "нужна гр. 39 (начисленная неустойка)")
        r["accession_violations"] = contract_values(cs, "accession_violations", "accession_violations")
        r["note"] = "договор № " + ", ".join(str(c["contract_no"]) for c in cs)
        records.append(r)

    # the total row: sums of the provider rows; ratios of the sums (never a sum of percentages)
    totals: dict[str, Any] = {"row_no": None, "provider": "ИТОГО", "note": None}
    for col in spec.columns:
        t = column_kind(col)
        if col.id in totals or t == "pct":
            continue
        vals = [r[col.id] for r in records]
        totals[col.id] = _sum_known(vals) if vals else (0 if t == "int" else zero)
    for pct, (num, den) in _PCT.items():
        totals[pct] = _pct(totals[num], totals[den])
    tsanc = (None if totals["total_penalty_assessed"] is None
             else totals["total_defects_sum"] + totals["total_penalty_assessed"])
    totals["sanctions_pct"] = _pct(tsanc, totals["contract_sum"])

    # reconciliation: гр. 38 is the sum of every deduction of the program in the period
    expected = sum(mine["_amount"].to_list(), start=zero)
    if totals["total_defects_sum"] != expected:  # pragma: no cover - a bug, not an input error
        raise AssertionError(f"report does not reconcile: {totals['total_defects_sum']} != {expected}")

    schema = {c.key: _pl_type(column_kind(c)) for c in spec.columns}
    frame = pl.DataFrame(
        [[r[c.id] for c in spec.columns] for r in records], schema=schema, orient="row"
    )
    empty = tuple(
        EmptyColumn(spec.column(cid).number, cid, "; ".join(rs))
        for cid, rs in sorted(reasons.items(), key=lambda kv: spec.column(kv[0]).number)
    )
    return MonitoringReport(
        form=spec,
        period=per,
        due=report_due(per, cal, edition),
        frame=frame,
        totals=totals,
        empty_columns=empty,
        deductions_used=mine.height,
        deductions_outside_period=outside,
        deductions_other_program=other,
        error_rows=error_rows,
        date_column=date_column,
        sources={"deductions": deductions_source, "contracts": contracts_source},
    )


def build_report_files(
    form: FormName, period: str, deductions: str | Path, contracts: str | Path,
    *, date_column: str = "detected_on", cal: WorkCalendar | None = None,
    edition: str | None = None,
) -> MonitoringReport:
    """``build_report`` from a deductions CSV (``osms-defects deduct`` output) and a contracts CSV."""
    return build_report(
        form, period, read_csv_strings(deductions), read_csv_strings(contracts),
        date_column=date_column, deductions_source=str(deductions), contracts_source=str(contracts),
        cal=cal, edition=edition,
    )
