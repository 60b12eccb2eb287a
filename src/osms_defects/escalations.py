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
budget law cited. The readings ESC1–ESC10 (docs/escalations.md) say how the text is applied:
ESC7 — a case found again is counted once, in the month of its first detection; ESC8 — a
contract's running sum is set against the МРП of the year each case was detected in; ESC9 — a
month is the provider's, whatever its contract; ESC10 — the ten working days and their status.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
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
from .errors import (
    CalendarRangeError,
    NoEditionError,
    OsmsDefectsError,
    ReportInputError,
    TermNotInEditionError,
)
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
    "sole_provider", "no_term", "no_calendar",
]
#: the statuses of a deduct-output row that are counted (``error`` rows are listed, not counted)
COUNTED_STATUSES = ("deducted", "recorded", "warning")
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
    #: rows of the deductions folded into a case counted once (ESC2, ESC7): for a month, its
    #: rows that are a case already counted (in the month or in an earlier one); for a
    #: contract, its rows less its cases. Always 0 with ``basis="deduction"``.
    merged: int
    exceeded: bool  # total > threshold («превышающую»)
    signed_on: dt.date | None  # the signing of the conclusion that took the sum over
    due: dt.date | None  # ten working days from that signing (law_enforcement_information)
    status: Status
    consequence: str
    calendar_provisional: bool = False
    note: str = ""
    #: the provisional-calendar note alone (also in ``note``), for the warning on stderr
    calendar_note: str = ""

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
            "merged": str(self.merged),
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
    #: rows folded into a case counted once (same provider, contract, case_id; ESC2, ESC7)
    rows_merged: int = 0
    #: cases (same provider, contract, case_id) detected in more than one calendar month:
    #: counted once, in the month of their first detection (ESC7)
    cases_several_months: int = 0
    #: rows with no case_id (case_cost basis): each is counted as a case of its own
    rows_without_case_id: int = 0
    #: (provider, case_id, contract numbers): a case id found under more than one contract of
    #: the provider — not merged, counted in each contract's sum (ESC7); said, never silent
    cases_several_contracts: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    #: editions whose text sets no escalation, with what the text says instead (ESC4)
    editions_without: dict[str, str] = field(default_factory=dict)

    def flagged(self) -> list[Escalation]:
        return [e for e in self.items if e.exceeded]

    def rows(self) -> list[dict[str, str]]:
        return [e.as_row() for e in self.items]

    def summary(self) -> dict[str, int]:
        """The counts of what was read, counted, merged and not counted."""
        return {
            "rows_read": self.rows_read,
            "rows_counted": self.rows_counted,
            "rows_other_codes": self.rows_other_codes,
            "rows_not_counted": len(self.problems),
            "rows_merged": self.rows_merged,
            "cases_several_months": self.cases_several_months,
            "rows_without_case_id": self.rows_without_case_id,
            "cases_several_contracts": len(self.cases_several_contracts),
            "flagged": len(self.flagged()),
        }


# --- the computation --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    """One counted row of the deductions."""

    provider_id: str
    contract: ContractPeriod
    key: str  # the case id (case_cost) or the row's position in the input
    case_id: str  # "" when the row is counted on its own (deduction basis, or no case_id)
    detected_on: dt.date
    signed_on: dt.date | None
    amount: Decimal | None  # None: cost unknown
    edition: str


@dataclass(frozen=True, slots=True)
class _Item:
    """One unconfirmed case (case_cost basis: its rows folded, ESC7) or one deduction row."""

    provider_id: str
    contract: ContractPeriod
    key: str
    case_id: str
    month: str  # the month of its first detection (ESC3, ESC7)
    detected_on: dt.date  # its first detection
    signed_on: dt.date | None  # the signing of the conclusion of its first detection
    amount: Decimal | None  # None: cost unknown
    edition: str
    #: ("2026-04", rows) for every month it was detected in, in order
    rows_by_month: tuple[tuple[str, int], ...]

    @property
    def rows(self) -> int:
        return sum(n for _, n in self.rows_by_month)

    def rows_in(self, month: str) -> int:
        return sum(n for m, n in self.rows_by_month if m == month)


def _month(d: dt.date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def _contract_order(c: ContractPeriod) -> tuple[dt.date, dt.date, str]:
    return (c.start, c.end, c.contract_no)


# Reading ESC7 (docs/escalations.md). п. 19: «Информация о неподтвержденных случаях на общую
# сумму, превышающую 200-кратный размер месячного расчетного показателя … за календарный месяц»;
# п. 20: «При выявлении неподтвержденных случаев … на сумму, в совокупности превышающую
# 800-кратный размер … в период действия договора закупа услуг». The sums are of cases, not of
# findings: a case (provider, contract, case_id) found on several rows or in several months is
# one case — once in its contract's sum, and in the sum of the month of its first detection
# only (counted in a later month too, one case would make a «повторное выявление» of п. 20
# ч. 3). Its re-detections are counted in ``merged`` and said, never dropped silently.
def _fold(rows: list[_Row]) -> _Item:
    """The rows of one case as one item (ESC7): it counts in the month of its first detection,
    with the signing of that detection's conclusion (the earliest when that day has several;
    none when none of them is dated), and the largest cost its rows give (ESC2)."""
    first = min(r.detected_on for r in rows)
    firsts = [r for r in rows if r.detected_on == first]
    signed = min((r.signed_on for r in firsts if r.signed_on is not None), default=None)
    known = [r.amount for r in rows if r.amount is not None]
    by_month: dict[str, int] = defaultdict(int)
    for r in rows:
        by_month[_month(r.detected_on)] += 1
    head = rows[0]
    return _Item(
        head.provider_id, head.contract, head.key, head.case_id, _month(first), first, signed,
        max(known) if known else None, max(r.edition for r in firsts),
        tuple(sorted(by_month.items())),
    )


def _norm_code(code: str) -> str:
    return code.strip().rstrip(".")


def _rules_by_edition() -> dict[str, EscalationRules]:
    return {e.id: e.escalations for e in load_procedure().editions if e.escalations is not None}


def _contracts_by_provider(contracts: Iterable[ContractPeriod]) -> dict[str, list[ContractPeriod]]:
    """The contracts of each provider; one contract number with two periods is refused (its
    sum of п. 20 would mix two periods)."""
    by_provider: dict[str, list[ContractPeriod]] = defaultdict(list)
    seen: dict[tuple[str, str], ContractPeriod] = {}
    clashes: list[str] = []
    for c in contracts:
        k = (c.provider_id, c.contract_no)
        if k in seen and seen[k] != c:
            o = seen[k]
            clashes.append(
                f"provider {c.provider_id!r}, contract {c.contract_no!r}: "
                f"{o.start.isoformat()}..{o.end.isoformat()} (sole_provider {o.sole_provider}) "
                f"and {c.start.isoformat()}..{c.end.isoformat()} (sole_provider {c.sole_provider})"
            )
        seen.setdefault(k, c)
        by_provider[c.provider_id].append(c)
    if clashes:
        raise ReportInputError(
            f"the contracts give {len(clashes)} contract(s) two different lines (the sum of the "
            "contract period, п. 20, would be ambiguous): " + "; ".join(clashes[:10])
        )
    return by_provider


def _no_contract(
    provider: str, detected: dt.date, theirs: list[ContractPeriod], matching: list[ContractPeriod]
) -> str:
    head = f"provider {provider!r}, detected_on {detected.isoformat()}: "
    if matching:
        return head + "several contracts cover this date: " + ", ".join(
            c.contract_no for c in sorted(matching, key=_contract_order))
    if not theirs:
        return head + "the provider has no contract in the contracts file"
    text = head + "no contract of the provider in the contracts file covers this date"
    ended = [c for c in theirs if c.end < detected]
    if ended:
        last = max(ended, key=_contract_order)
        text += (
            f" (contract {last.contract_no} ended {last.end.isoformat()}; a case of it detected "
            "after its end — п. 20 ч. 2 — is not attributed to it: the deductions give no date "
            "of the service, ESC3)"
        )
    return text


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
    case without a cost is counted in ``unknown_cost``. A case is (provider, contract, case_id):
    its rows are folded into one, counted in the month of its first detection and once in the
    contract's sum (ESC7); ``merged`` and the report's counts say how many rows were folded.
    ``deduction`` sums the deducted ``amount`` of every row. The month of a case is the month
    of its ``detected_on`` (ESC3); the МРП of a contract's sum is that of the year each case
    was detected in (ESC8).
    """
    table = mrp if mrp is not None else load_mrp()
    rules = _rules_by_edition()
    by_provider = _contracts_by_provider(contracts)
    report = EscalationReport(as_of=as_of, basis=basis)
    groups: dict[tuple[str, ContractPeriod, str], list[_Row]] = {}
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
        if status not in COUNTED_STATUSES:
            problem(f"status {status!r} is none of the deduct output's ("
                    + ", ".join(COUNTED_STATUSES) + ", error)")
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
        if amount is not None and amount < 0:
            problem(f"{where}: a negative amount ({amount}) is no sum of an unconfirmed case")
            continue
        theirs = by_provider.get(provider, [])
        matching = [c for c in theirs if c.start <= detected <= c.end]
        if len(matching) != 1:
            problem(_no_contract(provider, detected, theirs, matching))
            continue
        contract = matching[0]
        case_id = str(rec.get("case_id", "") or "").strip()
        if basis == "case_cost" and case_id:
            key = case_id
        else:
            # the row's position, not its `row` number: numbers repeat when outputs are joined
            key, case_id = f"#{i}", ""
            if basis == "case_cost":
                report.rows_without_case_id += 1
        report.rows_counted += 1
        groups.setdefault((provider, contract, key), []).append(
            _Row(provider, contract, key, case_id, detected, signed, amount, edition)
        )
    cases = [_fold(rs) for rs in groups.values()]
    report.rows_merged = sum(x.rows - 1 for x in cases)
    report.cases_several_months = sum(1 for x in cases if len(x.rows_by_month) > 1)
    under: dict[tuple[str, str], set[ContractPeriod]] = defaultdict(set)
    for x in cases:
        if x.case_id:
            under[(x.provider_id, x.case_id)].add(x.contract)
    report.cases_several_contracts = sorted(
        (p, c, tuple(k.contract_no for k in sorted(ks, key=_contract_order)))
        for (p, c), ks in under.items() if len(ks) > 1
    )
    several = {(p, c) for p, c, _ in report.cases_several_contracts}
    by_prov: dict[str, list[_Item]] = defaultdict(list)
    for x in cases:
        by_prov[x.provider_id].append(x)
    for provider in sorted(by_prov):
        report.items.extend(
            _provider_escalations(provider, by_prov[provider], several, rules, table, as_of, cal)
        )
    return report


def _signing_order(x: _Item) -> tuple[bool, dt.date, dt.date, dt.date, str]:
    """Conclusions in the order of their signing (ESC5); an undated one last."""
    return (x.signed_on is None, x.signed_on or x.detected_on, x.detected_on, x.contract.start,
            x.key)


def _crossing(
    its: list[_Item], threshold_of: Callable[[_Item], Decimal]
) -> tuple[Decimal, int, _Item | None, _Item | None]:
    """The sum, the cases without cost, the item (in order of the signing of its conclusion)
    that took the running sum over the threshold it is set against (``threshold_of``: ESC8),
    and the last item summed (the one the whole sum was set against)."""
    total = Decimal(0)
    over: _Item | None = None
    last: _Item | None = None
    for x in sorted(its, key=_signing_order):
        if x.amount is None:
            continue
        total += x.amount
        last = x
        if over is None and total > threshold_of(x):
            over = x
    unknown = sum(1 for x in its if x.amount is None)
    return total.quantize(TENGE), unknown, over, last


def _year_of_month(year: int) -> Callable[[_Item], int]:
    """п. 19: every case of a month is set against the МРП of the month's year (ESC3)."""
    return lambda _x: year


def _rule(rules: EscalationRules, rule_id: str) -> EscalationRule | None:
    return next((r for r in rules.rules if r.id == rule_id), None)


def _provider_escalations(
    provider: str,
    its: list[_Item],
    several: set[tuple[str, str]],
    rules_by_ed: dict[str, EscalationRules],
    table: MrpTable,
    as_of: dt.date,
    cal: WorkCalendar | None,
) -> list[Escalation]:
    out: list[Escalation] = []
    new_in: dict[str, list[_Item]] = defaultdict(list)  # month → the cases first detected in it
    again_in: dict[str, list[_Item]] = defaultdict(list)  # month → cases detected again in it
    for x in its:
        new_in[x.month].append(x)
        for m, _ in x.rows_by_month:
            if m != x.month:
                again_in[m].append(x)
    # Reading ESC9. п. 19: «на общую сумму … за календарный месяц» names no contract: the month
    # is the provider's, whatever contract its cases fall under; п. 20 ч. 3 («в период действия
    # договора») counts the months over 200 МРП per contract.
    over: dict[ContractPeriod, list[str]] = defaultdict(list)
    for month in sorted(set(new_in) | set(again_in)):
        m_items = new_in.get(month, [])
        again = again_in.get(month, [])
        contracts = sorted({x.contract for x in [*m_items, *again]}, key=_contract_order)
        edition = max(x.edition for x in [*m_items, *again])
        rules = rules_by_ed[edition]
        rule = _rule(rules, "monthly")
        if rule is None:
            continue
        notes: list[str] = []
        if len(contracts) > 1:
            notes.append(
                "the month's cases fall under contracts "
                + ", ".join(f"{c.contract_no} ({c.start.isoformat()}..{c.end.isoformat()})"
                            for c in contracts)
                + ": п. 19 sums the provider's calendar month, whatever the contract (ESC9)"
            )
        merged = sum(x.rows_in(month) - 1 for x in m_items)
        if again:
            rows_again = sum(x.rows_in(month) for x in again)
            merged += rows_again
            notes.append(
                f"{rows_again} row(s) of {len(again)} case(s) detected again this month, "
                "counted once, in the month of their first detection ("
                + ", ".join(sorted({x.month for x in again})) + "; ESC7)"
            )
        year = int(month[:4])
        e = _escalation(
            provider, " + ".join(c.contract_no for c in contracts), rule, rules, edition, month,
            m_items, _year_of_month(year), year, table, as_of, cal, merged, notes,
        )
        out.append(e)
        repeated = _rule(rules, "repeated")
        if not e.exceeded:
            continue
        for c in sorted({x.contract for x in m_items}, key=_contract_order):
            over[c].append(month)
            if repeated is None or len(over[c]) < 2:
                continue
            status: Status
            if c.sole_provider:
                status = "sole_provider"
                note = ("the provider is the only one of its territory (sole_provider): the "
                        "exception of п. 20 ч. 3 applies")
            else:
                status = "grounds"
                note = (f"over 200 МРП again after {over[c][0]}"
                        + ("" if c.sole_provider is False else
                           "; unless the provider is the only one of its territory "
                           "(sole_provider not given)"))
            out.append(
                Escalation(
                    provider, c.contract_no, "repeated", month,
                    f"{repeated.reference} (ред. {edition})", repeated.multiple, e.mrp_year,
                    e.mrp, e.mrp_law, (repeated.multiple * e.mrp).quantize(TENGE), e.total,
                    e.cases, e.unknown_cost, e.merged, True, e.signed_on, None, status,
                    repeated.consequence, False, note,
                )
            )
    by_contract: dict[ContractPeriod, list[_Item]] = defaultdict(list)
    for x in its:
        by_contract[x.contract].append(x)
    for contract in sorted(by_contract, key=_contract_order):
        c_items = by_contract[contract]
        edition = max(x.edition for x in c_items)
        rules = rules_by_ed[edition]
        rule = _rule(rules, "contract")
        if rule is None:
            continue
        # Reading ESC8. п. 20: «800-кратный размер месячного расчетного показателя,
        # установленного на соответствующий финансовый год законом о республиканском бюджете,
        # в период действия договора»: over two financial years, the running sum (in the order
        # the conclusions are signed, ESC5) is set at each case against 800 МРП of the year that
        # case was detected in — the year the sum is established in, as п. 19's month.
        notes = []
        years = sorted({x.detected_on.year for x in c_items})
        if len(years) > 1:
            notes.append(
                "the contract's cases were detected in " + ", ".join(map(str, years))
                + f": the running sum is set against {rule.multiple} МРП of the year the case "
                "that brings it there was detected in (ESC8): "
                + ", ".join(f"{y}: {(rule.multiple * table.value(y)).quantize(TENGE)}"
                            for y in years)
            )
        dup = sorted(x.case_id for x in c_items if (provider, x.case_id) in several)
        if dup:
            notes.append(
                f"{len(dup)} case id(s) also found under another contract of the provider, "
                "counted in each (ESC7): " + ", ".join(dup[:5]) + ("…" if len(dup) > 5 else "")
            )
        period = f"{contract.start.isoformat()}..{contract.end.isoformat()}"
        e = _escalation(
            provider, contract.contract_no, rule, rules, edition, period, c_items,
            lambda x: x.detected_on.year, max(years), table, as_of, cal,
            sum(x.rows - 1 for x in c_items), notes,
        )
        if e.exceeded:
            part = ("ч. 2: по окончании договора" if as_of > contract.end
                    else "ч. 1: в период действия договора")
            e = dataclasses.replace(e, note=f"{part}; {e.note}".rstrip("; "))
        out.append(e)
    return out


def _escalation(
    provider_id: str,
    contract_no: str,
    rule: EscalationRule,
    rules: EscalationRules,
    edition: str,
    period: str,
    its: list[_Item],
    year_of: Callable[[_Item], int],
    default_year: int,
    table: MrpTable,
    as_of: dt.date,
    cal: WorkCalendar | None,
    merged: int,
    notes: list[str],
) -> Escalation:
    """One sum set against ``rule.multiple`` МРП: each item's running sum against the МРП of
    ``year_of(item)`` (ESC3, ESC8); the МРП shown is the one the result was decided by — of
    the item that took the sum over, else of the last item summed."""

    def threshold_of(x: _Item) -> Decimal:
        return (rule.multiple * table.value(year_of(x))).quantize(TENGE)

    total, unknown, over, last = _crossing(its, threshold_of)
    decided = over if over is not None else last
    year = year_of(decided) if decided is not None else default_year
    mrp = table.value(year)
    threshold = (rule.multiple * mrp).quantize(TENGE)
    exceeded = over is not None
    due: dt.date | None = None
    provisional = False
    calendar_note = ""
    notes = list(notes)
    signed = over.signed_on if over is not None else None
    status: Status
    if over is None:
        status = "undetermined" if unknown else "not_reached"
        if unknown:
            notes.append(f"{unknown} case(s) without a cost in the deductions: the sum may be higher")
    elif signed is None:
        status = "no_signing_date"
        notes.append("the conclusion that took the sum over the threshold has no "
                     "conclusion_signed_on: the ten working days cannot be counted")
    else:
        if signed < over.detected_on:
            notes.append(f"the conclusion that took the sum over is dated {signed.isoformat()}, "
                         f"before its case was detected ({over.detected_on.isoformat()}): check "
                         "the dates")
        if signed > as_of:
            notes.append(f"the conclusion that took the sum over is signed {signed.isoformat()}, "
                         f"after the as-of date {as_of.isoformat()}")
        try:
            d = term(rules.term or "law_enforcement_information", signed, cal=cal)
        except CalendarRangeError as exc:
            status = "no_calendar"
            notes.append(str(exc))
        except (TermNotInEditionError, NoEditionError) as exc:
            status = "no_term"
            notes.append(str(exc))
        else:
            due = d.due
            provisional = d.calendar_provisional
            if d.calendar_provisional:
                calendar_note = d.calendar_note
                notes.append(d.calendar_note)
            if d.edition_note:
                notes.append(d.edition_note)
            # «в течение десяти рабочих дней»: still in time on the due day itself (ESC10)
            status = "overdue" if as_of > d.due else "due"
    return Escalation(
        provider_id, contract_no, rule.id, period, f"{rule.reference} (ред. {edition})",
        rule.multiple, year, mrp, table.law(year), threshold, total, len(its), unknown, merged,
        exceeded, signed, due, status, rule.consequence, provisional, "; ".join(notes),
        calendar_note,
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
    if basis == "case_cost":
        absent = [c for c in ("case_id", "basis", "base_amount") if c not in frame.columns]
        if absent:
            raise ReportInputError(
                f"{deductions}: missing column(s) {', '.join(absent)}; the cost of each case "
                "(--sum case_cost, ESC2) needs case_id, basis and base_amount (the output of "
                "'osms-defects deduct' has them); --sum deduction sums the deducted amounts"
            )
    rows = ({k: str(v) for k, v in r.items()} for r in frame.iter_rows(named=True))
    return escalations(rows, load_contract_periods(contracts), as_of=as_of, mrp=mrp,
                       basis=basis, cal=cal, source=str(deductions))
