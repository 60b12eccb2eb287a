"""Escalations of unconfirmed cases: п. 19–20 of the 2026 Rules (200 / 800 МРП).

From the output of ``osms-defects deduct`` and a contracts file, per provider and contract:

* **monthly** (п. 19): the unconfirmed cases of a calendar month over 200 МРП → information to
  the law-enforcement bodies within ten working days of the signing of the conclusion;
* **contract** (п. 20 ч. 1, 2): the unconfirmed cases of the contract period over 800 МРП →
  the same, from the signing of the last conclusion;
* **repeated** (п. 20 ч. 3): a month over 200 МРП after an earlier month over 200 МРП in the same
  contract period → grounds for early termination of the contract (except the only provider of
  its territory).

What is an unconfirmed case and which rules an edition sets are data (``data/procedure.yaml``,
``escalations`` of each edition); the МРП of each year is data (``data/mrp.yaml``) with the
budget law cited. The readings ESC1–ESC6 (docs/escalations.md) say how the text is applied.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ._yaml import load_model
from .calendar import WorkCalendar
from .deadlines import load_procedure
from .deadlines.procedure import EscalationRule, EscalationRules
from .deadlines.terms import term
from .errors import OsmsDefectsError, ReportInputError, TermNotInEditionError
from .reports.inputs import parse_date, parse_money, read_csv_strings
from .resources import data_path

__all__ = [
    "Basis",
    "Escalation",
    "EscalationReport",
    "MrpTable",
    "MrpUnknownError",
    "RowProblem",
    "escalations",
    "escalations_files",
    "load_contract_periods",
    "load_mrp",
]

Basis = Literal["case_cost", "deduction"]
Status = Literal[
    "due", "overdue", "not_reached", "undetermined", "no_signing_date", "grounds",
    "sole_provider", "no_term",
]
TENGE = Decimal("0.01")


class MrpUnknownError(OsmsDefectsError, LookupError):
    """The МРП of a year is not in the data (or could not be verified): the caller gives it."""


# --- the МРП table ---------------------------------------------------------------------------


class MrpYear(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    year: int = Field(ge=1992, le=2100)
    mrp: str | None = Field(default=None, pattern=r"^\d+$")
    law: str | None = Field(default=None, min_length=1)
    verified_by: list[str] = Field(default_factory=list)
    unverified: str | None = Field(default=None, min_length=1)
    checked_on: str | None = None

    @model_validator(mode="after")
    def _value_or_why_not(self) -> MrpYear:
        if self.mrp is None and self.unverified is None:
            raise ValueError(f"year {self.year}: give mrp (with law) or say why not (unverified)")
        if self.mrp is not None and self.law is None:
            raise ValueError(f"year {self.year}: the МРП needs the budget law that sets it (law)")
        return self


class MrpFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    years: list[MrpYear]


@dataclass(frozen=True, slots=True)
class MrpTable:
    """The МРП by year: ``value(year)`` in tenge, ``law(year)`` the budget law that sets it."""

    years: Mapping[int, MrpYear]

    def value(self, year: int) -> Decimal:
        y = self.years.get(year)
        if y is None or y.mrp is None:
            why = y.unverified if y is not None and y.unverified else "no figure in data/mrp.yaml"
            raise MrpUnknownError(
                f"the МРП of {year} is not known ({why}); give it: --mrp {year}=TENGE or a file "
                f"of the shape of data/mrp.yaml (--mrp-file), Python: load_mrp(extra={{{year}: "
                "Decimal(...)}})"
            )
        return Decimal(y.mrp)

    def law(self, year: int) -> str:
        y = self.years.get(year)
        return (y.law or "") if y is not None else ""


def load_mrp(
    path: str | Path | None = None,
    *,
    extra_file: str | Path | None = None,
    extra: Mapping[int, Decimal] | None = None,
) -> MrpTable:
    """The shipped ``data/mrp.yaml`` (or ``path``), with a fund's file (``extra_file``, same
    shape) and values given by the caller (``extra``: year → tenge) laid over it."""
    model, _ = load_model(MrpFile, path if path is not None else data_path("mrp.yaml"))
    years: dict[int, MrpYear] = {y.year: y for y in model.years}
    if extra_file is not None:
        more, _ = load_model(MrpFile, extra_file)
        years.update({y.year: y for y in more.years})
    for year, value in (extra or {}).items():
        if value != value.to_integral_value() or value <= 0:
            raise MrpUnknownError(f"МРП {year}={value}: the МРП is a whole positive number of tenge")
        years[year] = MrpYear(
            year=year, mrp=str(int(value)), law="значение задано пользователем (--mrp)"
        )
    return MrpTable(years)


def parse_mrp_option(text: str) -> tuple[int, Decimal]:
    """``"2027=4700"`` → (2027, Decimal(4700)); an error names the option and the value."""
    m = re.fullmatch(r"\s*(\d{4})\s*=\s*(\d+)\s*", text)
    if not m:
        raise MrpUnknownError(f"--mrp {text!r}: expected YEAR=TENGE, e.g. 2027=4700")
    return int(m.group(1)), Decimal(m.group(2))


# --- contracts --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContractPeriod:
    """A purchase contract of a provider and its period (п. 20: «в период действия договора»)."""

    provider_id: str
    contract_no: str
    start: dt.date
    end: dt.date
    #: the only provider of its territory (п. 20 ч. 3 exception); None: not given
    sole_provider: bool | None = None


CONTRACT_COLUMNS = ("provider_id", "contract_no", "contract_from", "contract_to")


def load_contract_periods(path: str | Path) -> list[ContractPeriod]:
    """Contracts CSV: ``provider_id, contract_no, contract_from, contract_to`` (YYYY-MM-DD) and
    optionally ``sole_provider`` (true/false); other columns are ignored."""
    source = str(path)
    frame = read_csv_strings(path).fill_null("")
    missing = [c for c in CONTRACT_COLUMNS if c not in frame.columns]
    if missing:
        raise ReportInputError(
            f"{source}: missing column(s) {', '.join(missing)}; the contracts of escalations "
            f"need {', '.join(CONTRACT_COLUMNS)} (optional: sole_provider true/false)"
        )
    out: list[ContractPeriod] = []
    problems: list[str] = []
    for i, rec in enumerate(frame.iter_rows(named=True), start=2):
        where = f"{source}:{i}"
        try:
            start = parse_date(rec["contract_from"], f"{where}, contract_from")
            end = parse_date(rec["contract_to"], f"{where}, contract_to")
        except ReportInputError as exc:
            problems.append(str(exc))
            continue
        if end < start:
            problems.append(f"{where}, contract_to: {rec['contract_to']!r} is before contract_from")
            continue
        sole_raw = str(rec.get("sole_provider", "") or "").strip().lower()
        if sole_raw not in ("", "true", "false"):
            problems.append(f"{where}, sole_provider: {sole_raw!r} (allowed: true, false, blank)")
            continue
        if not str(rec["provider_id"]).strip():
            problems.append(f"{where}, provider_id: empty")
            continue
        out.append(
            ContractPeriod(
                provider_id=str(rec["provider_id"]).strip(),
                contract_no=str(rec["contract_no"]).strip(),
                start=start,
                end=end,
                sole_provider=None if sole_raw == "" else sole_raw == "true",
            )
        )
    if problems:
        raise ReportInputError(f"{source}: {len(problems)} problem(s):\n" + "\n".join(
            f"  - {p}" for p in problems[:10]))
    return out


# --- results ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Escalation:
    """One sum of unconfirmed cases set against its threshold (п. 19 or 20)."""

    provider_id: str
    contract_no: str
    rule: str  # monthly | contract | repeated
    period: str  # "2026-04" for a month; "2026-01-01..2026-12-31" for a contract
    reference: str  # "п. 19 Правил (ред. 2026)"
    multiple: int  # 200 or 800
    mrp_year: int
    mrp: Decimal
    mrp_law: str
    threshold: Decimal  # multiple × МРП, tenge
    total: Decimal  # the sum of the unconfirmed cases counted
    cases: int  # cases (case_cost) or rows (deduction) counted
    unknown_cost: int  # cases whose cost the deductions do not give (case_cost basis)
    exceeded: bool  # total > threshold («превышающую»)
    signed_on: dt.date | None  # the signing of the conclusion that took the sum over
    due: dt.date | None  # ten working days from that signing (law_enforcement_information)
    status: Status
    consequence: str
    calendar_provisional: bool = False
    note: str = ""

    def as_row(self) -> dict[str, str]:
        return {
            "provider_id": self.provider_id,
            "contract_no": self.contract_no,
            "rule": self.rule,
            "period": self.period,
            "reference": self.reference,
            "multiple": str(self.multiple),
            "mrp_year": str(self.mrp_year),
            "mrp": str(self.mrp),
            "threshold": str(self.threshold),
            "total": str(self.total),
            "cases": str(self.cases),
            "unknown_cost": str(self.unknown_cost),
            "exceeded": "true" if self.exceeded else "false",
            "signed_on": self.signed_on.isoformat() if self.signed_on else "",
            "due": self.due.isoformat() if self.due else "",
            "status": self.status,
            "calendar_provisional": "true" if self.calendar_provisional else "false",
            "mrp_law": self.mrp_law,
            "consequence": self.consequence,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row of the deductions that escalations could not count, with why (never dropped)."""

    row: int
    provider_id: str
    code: str
    reason: str


@dataclass(slots=True)
class EscalationReport:
    """Every escalation computed, the rows not counted and why, and what was read."""

    as_of: dt.date
    basis: Basis
    items: list[Escalation] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    rows_read: int = 0
    rows_counted: int = 0
    rows_other_codes: int = 0
    #: editions whose text sets no escalation, with what the text says instead (ESC4)
    editions_without: dict[str, str] = field(default_factory=dict)

    def flagged(self) -> list[Escalation]:
        return [e for e in self.items if e.exceeded]

    def rows(self) -> list[dict[str, str]]:
        return [e.as_row() for e in self.items]


# --- the computation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Item:
    """One unconfirmed case (case_cost basis) or one deduction row (deduction basis)."""

    provider_id: str
    key: str
    month: str
    detected_on: dt.date
    signed_on: dt.date | None
    amount: Decimal | None  # None: cost unknown
    edition: str


def _norm_code(code: str) -> str:
    return code.strip().rstrip(".")


def _rules_by_edition() -> dict[str, EscalationRules]:
    return {e.id: e.escalations for e in load_procedure().editions if e.escalations is not None}


def escalations(
    deductions: Iterable[Mapping[str, str]],
    contracts: Iterable[ContractPeriod],
    *,
    as_of: dt.date,
    mrp: MrpTable | None = None,
    basis: Basis = "case_cost",
    cal: WorkCalendar | None = None,
    source: str = "deductions",
) -> EscalationReport:
    """The escalations of п. 19–20 from deduct-output rows (dicts of text, as read from CSV).

    ``basis``: ``case_cost`` (default, ESC2) sums the cost of each unconfirmed case once — the
    finding's ``base_amount`` when its ``basis`` is COST (the case or service as billed); a
    case without a cost is counted in ``unknown_cost``. ``deduction`` sums the deducted
    ``amount`` of every row. The month of a case is the month of its ``detected_on`` (ESC3).
    """
    table = mrp if mrp is not None else load_mrp()
    rules = _rules_by_edition()
    by_provider: dict[str, list[ContractPeriod]] = defaultdict(list)
    for c in contracts:
        by_provider[c.provider_id].append(c)
    report = EscalationReport(as_of=as_of, basis=basis)
    items: dict[tuple[str, str], list[_Item]] = defaultdict(list)  # (provider, contract)
    case_seen: dict[tuple[str, str, str, str], int] = {}
    contract_of: dict[tuple[str, str], ContractPeriod] = {}
    for i, rec in enumerate(deductions, start=1):
        report.rows_read += 1
        row = int(rec["row"]) if str(rec.get("row", "")).isdigit() else i
        provider = str(rec.get("provider_id", "")).strip()
        code = _norm_code(str(rec.get("code", "")))
        edition = str(rec.get("edition", "")).strip()

        def problem(reason: str, row: int = row, provider: str = provider, code: str = code) -> None:
            report.problems.append(RowProblem(row, provider, code, reason))

        status = str(rec.get("status", "")).strip()
        if status == "error":
            problem(f"status error ({rec.get('error') or 'no message'}): resolve the finding; "
                    "an unresolved unconfirmed case may be missing from every sum")
            continue
        esc = rules.get(edition)
        if esc is None:
            problem(f"edition {edition!r}: no escalations in data/procedure.yaml for it")
            continue
        if code not in {_norm_code(c) for c in esc.unconfirmed_codes}:
            report.rows_other_codes += 1
            continue
        if not esc.rules:
            report.editions_without[edition] = (
                f"{esc.none} ({esc.none_reference})" if esc.none_reference else str(esc.none)
            )
            problem(f"edition {edition}: {esc.none}")
            continue
        where = f"{source}, row {row}"
        try:
            detected = parse_date(str(rec.get("detected_on", "")), f"{where}, detected_on")
            signed_raw = str(rec.get("conclusion_signed_on", "") or "").strip()
            signed = parse_date(signed_raw, f"{where}, conclusion_signed_on") if signed_raw else None
            if basis == "deduction":
                amount: Decimal | None = parse_money(str(rec.get("amount", "")), f"{where}, amount")
            elif str(rec.get("basis", "")).strip() == "COST":
                amount = parse_money(str(rec.get("base_amount", "")), f"{where}, base_amount")
            else:
                amount = None
        except ReportInputError as exc:
            problem(str(exc))
            continue
        matching = [c for c in by_provider.get(provider, []) if c.start <= detected <= c.end]
        if len(matching) != 1:
            problem(
                f"provider {provider!r}, detected_on {detected.isoformat()}: "
                + ("no contract in the contracts file covers this date" if not matching else
                   "several contracts cover this date: "
                   + ", ".join(c.contract_no for c in matching))
            )
            continue
        contract = matching[0]
        contract_of[(provider, contract.contract_no)] = contract
        month = f"{detected.year:04d}-{detected.month:02d}"
        case_id = str(rec.get("case_id", "")).strip()
        key = f"{case_id}" if basis == "case_cost" and case_id else f"row {row}"
        report.rows_counted += 1
        bucket = items[(provider, contract.contract_no)]
        seen_key = (provider, contract.contract_no, month, key)
        item = _Item(provider, key, month, detected, signed, amount, edition)
        if seen_key in case_seen:  # the same case again in the month: its cost once (ESC2)
            j = case_seen[seen_key]
            old = bucket[j]
            bucket[j] = _merge(old, item)
        else:
            case_seen[seen_key] = len(bucket)
            bucket.append(item)
    for (provider, contract_no), its in sorted(items.items()):
        contract = contract_of[(provider, contract_no)]
        report.items.extend(_provider_escalations(contract, its, rules, table, as_of, cal, basis))
    return report


def _merge(a: _Item, b: _Item) -> _Item:
    amount: Decimal | None
    if a.amount is None or b.amount is None:
        amount = a.amount if b.amount is None else b.amount
    else:
        amount = max(a.amount, b.amount)
    signed = min((d for d in (a.signed_on, b.signed_on) if d is not None), default=None)
    return _Item(a.provider_id, a.key, a.month, min(a.detected_on, b.detected_on), signed,
                 amount, a.edition)


def _crossing(its: list[_Item], threshold: Decimal) -> tuple[Decimal, int, bool, _Item | None]:
    """The sum, the cases without cost, whether it exceeds, and the item (in order of the
    signing of its conclusion) that took the sum over the threshold."""
    ordered = sorted(its, key=lambda x: (x.signed_on is None, x.signed_on or x.detected_on,
                                         x.detected_on, x.key))
    total = Decimal(0)
    over: _Item | None = None
    for x in ordered:
        if x.amount is None:
            continue
        total += x.amount
        if over is None and total > threshold:
            over = x
    unknown = sum(1 for x in its if x.amount is None)
    return total.quantize(TENGE), unknown, over is not None, over


def _rule(rules: EscalationRules, rule_id: str) -> EscalationRule | None:
    return next((r for r in rules.rules if r.id == rule_id), None)


def _provider_escalations(
    contract: ContractPeriod,
    its: list[_Item],
    rules_by_ed: dict[str, EscalationRules],
    table: MrpTable,
    as_of: dt.date,
    cal: WorkCalendar | None,
    basis: Basis,
) -> list[Escalation]:
    out: list[Escalation] = []
    months: dict[str, list[_Item]] = defaultdict(list)
    for x in its:
        months[x.month].append(x)
    over_months: list[str] = []
    for month in sorted(months):
        m_items = months[month]
        edition = max(x.edition for x in m_items)
        rules = rules_by_ed[edition]
        rule = _rule(rules, "monthly")
        if rule is None:
            continue
        year = int(month[:4])
        e = _escalation(contract, m_items, rule, rules, edition, year, month, table, as_of, cal,
                        basis)
        out.append(e)
        if e.exceeded:
            over_months.append(month)
        repeated = _rule(rules, "repeated")
        if e.exceeded and repeated is not None and len(over_months) > 1:
            if contract.sole_provider:
                status: Status = "sole_provider"
                note = ("the provider is the only one of its territory (sole_provider): the "
                        "exception of п. 20 ч. 3 applies")
            else:
                status = "grounds"
                note = (f"over 200 МРП again after {over_months[0]}"
                        + ("" if contract.sole_provider is False else
                           "; unless the provider is the only one of its territory "
                           "(sole_provider not given)"))
            out.append(
                Escalation(
                    contract.provider_id, contract.contract_no, "repeated", month,
                    f"{repeated.reference} (ред. {edition})", repeated.multiple, e.mrp_year,
                    e.mrp, e.mrp_law, (repeated.multiple * e.mrp).quantize(TENGE), e.total,
                    e.cases, e.unknown_cost, True, e.signed_on, None, status,
                    repeated.consequence, False, note,
                )
            )
    edition = max(x.edition for x in its)
    rules = rules_by_ed[edition]
    rule = _rule(rules, "contract")
    if rule is not None:
        period = f"{contract.start.isoformat()}..{contract.end.isoformat()}"
        e = _escalation(contract, its, rule, rules, edition, contract.start.year, period, table,
                        as_of, cal, basis)
        if e.exceeded:
            part = "ч. 2: по окончании договора" if as_of > contract.end else "ч. 1: в период действия договора"
            e = _replace_note(e, f"{part}; {e.note}".rstrip("; "))
        out.append(e)
    return out


def _replace_note(e: Escalation, note: str) -> Escalation:
    return dataclasses.replace(e, note=note)


def _escalation(
    contract: ContractPeriod,
    its: list[_Item],
    rule: EscalationRule,
    rules: EscalationRules,
    edition: str,
    year: int,
    period: str,
    table: MrpTable,
    as_of: dt.date,
    cal: WorkCalendar | None,
    basis: Basis,
) -> Escalation:
    mrp = table.value(year)
    threshold = (rule.multiple * mrp).quantize(TENGE)
    total, unknown, exceeded, over = _crossing(its, threshold)
    due: dt.date | None = None
    provisional = False
    notes: list[str] = []
    signed = over.signed_on if over is not None else None
    status: Status
    if not exceeded:
        status = "undetermined" if unknown else "not_reached"
        if unknown:
            notes.append(f"{unknown} case(s) without a cost in the deductions: the sum may be higher")
    elif signed is None:
        status = "no_signing_date"
        notes.append("the conclusion that took the sum over the threshold has no "
                     "conclusion_signed_on: the ten working days cannot be counted")
    else:
        try:
            d = term(rules.term or "law_enforcement_information", signed, cal=cal)
        except TermNotInEditionError as exc:
            status = "no_term"
            notes.append(str(exc))
        else:
            due = d.due
            provisional = d.calendar_provisional
            if d.calendar_provisional:
                notes.append(d.calendar_note)
            status = "overdue" if as_of > d.due else "due"
    return Escalation(
        contract.provider_id, contract.contract_no, rule.id, period,
        f"{rule.reference} (ред. {edition})", rule.multiple, year, mrp, table.law(year),
        threshold, total, len(its), unknown, exceeded, signed, due, status, rule.consequence,
        provisional, "; ".join(notes),
    )


def escalations_files(
    deductions: str | Path,
    contracts: str | Path,
    *,
    as_of: dt.date,
    mrp: MrpTable | None = None,
    basis: Basis = "case_cost",
    cal: WorkCalendar | None = None,
) -> EscalationReport:
    """:func:`escalations` on a deduct-output CSV and a contracts CSV."""
    frame = read_csv_strings(deductions).fill_null("")
    missing = [c for c in ("provider_id", "code", "status", "amount", "detected_on", "edition")
               if c not in frame.columns]
    if missing:
        raise ReportInputError(
            f"{deductions}: missing column(s) {', '.join(missing)}; expected the output of "
            "'osms-defects deduct'"
        )
    rows = ({k: str(v) for k, v in r.items()} for r in frame.iter_rows(named=True))
    return escalations(rows, load_contract_periods(contracts), as_of=as_of, mrp=mrp,
                       basis=basis, cal=cal, source=str(deductions))
