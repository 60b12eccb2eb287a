"""``osms-defects escalations``: sums of unconfirmed cases against 200 / 800 МРП (п. 19–20)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from decimal import Decimal
from typing import TextIO

from ..escalations import EscalationReport, escalations_files, load_mrp, parse_mrp_option
from ._calendar import add_calendar_options, calendar_from_args, warn_provisional
from ._view import show_rows, wants_view

COLUMNS = (
    "provider_id", "contract_no", "rule", "period", "reference", "multiple", "mrp_year", "mrp",
    "threshold", "total", "cases", "unknown_cost", "merged", "exceeded", "signed_on", "due",
    "status", "calendar_provisional", "mrp_law", "consequence", "note",
)
#: the JSON types of the columns that are not text (amounts stay text, never a JSON number)
_JSON_INTS = ("multiple", "mrp_year", "cases", "unknown_cost", "merged")
_JSON_BOOLS = ("exceeded", "calendar_provisional")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "escalations",
        help="unconfirmed cases against 200 МРП a month and 800 МРП a contract (п. 19–20)",
        description=(
            "From the output of 'osms-defects deduct' and a contracts CSV (provider_id, "
            "contract_no, contract_from, contract_to; optional sole_provider), the sums of "
            "unconfirmed cases per provider: each calendar month against 200 МРП (п. 19), the "
            "contract period against 800 МРП (п. 20 ч. 1–2), months over 200 МРП repeated "
            "(п. 20 ч. 3); each with the threshold in tenge, the date the information to the "
            "law-enforcement bodies is due (ten working days from the signing of the "
            "conclusion) and the status (due, overdue, not_reached, …). The МРП of each year "
            "is data/mrp.yaml (with the budget law); --mrp / --mrp-file add or replace years."
        ),
    )
    p.add_argument("deductions", metavar="DEDUCTIONS", help="deductions CSV (deduct output)")
    p.add_argument("--contracts", required=True, metavar="FILE", help="contracts CSV")
    p.add_argument("--as-of", metavar="DATE", help="the day the statuses are for (default today)")
    p.add_argument("--mrp", action="append", default=[], metavar="YEAR=TENGE",
                   help="the МРП of a year (repeatable), e.g. --mrp 2027=4700")
    p.add_argument("--mrp-file", metavar="FILE",
                   help="a YAML file of the shape of data/mrp.yaml whose years replace the shipped")
    p.add_argument("--sum", dest="basis", choices=("case_cost", "deduction"), default="case_cost",
                   help="what is summed: the cost of each unconfirmed case once (default, "
                        "reading ESC2) or the deducted amounts")
    p.add_argument("--all", action="store_true",
                   help="list every sum; by default only the sums over a threshold")
    p.add_argument("--format", choices=("csv", "json"), default=None,
                   help="csv (default; on a terminal without -o: a table to read) or json: the "
                        "sums, the counts (rows read, counted, merged into cases counted once, "
                        "…) and the rows not counted")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    add_calendar_options(p)
    p.set_defaults(func=run)


def write_csv(report: EscalationReport, out: TextIO, *, every: bool) -> None:
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for e in report.items:
        if every or e.exceeded:
            w.writerow(e.as_row())


def json_record(row: dict[str, str]) -> dict[str, object]:
    """One escalation as JSON: counts are numbers, flags booleans, an empty cell null, amounts
    text (exact tenge, never a JSON number)."""
    out: dict[str, object] = {}
    for k in COLUMNS:
        v = row[k]
        if k in _JSON_INTS:
            out[k] = int(v)
        elif k in _JSON_BOOLS:
            out[k] = v == "true"
        else:
            out[k] = v if v != "" else None
    return out


def write_json(report: EscalationReport, out: TextIO, *, every: bool) -> None:
    doc = {
        "as_of": report.as_of.isoformat(),
        "basis": report.basis,
        "escalations": [json_record(e.as_row()) for e in report.items if every or e.exceeded],
        "summary": report.summary(),
        "cases_several_contracts": [
            {"provider_id": p, "case_id": c, "contracts": list(ks)}
            for p, c, ks in report.cases_several_contracts
        ],
        "editions_without": report.editions_without,
        "problems": [
            {"row": pr.row, "provider_id": pr.provider_id, "code": pr.code, "reason": pr.reason}
            for pr in report.problems
        ],
    }
    json.dump(doc, out, ensure_ascii=False, indent=1)
    out.write("\n")


#: a status that asks for action first on a terminal
_STYLE = {"overdue": "bold red", "due": "yellow", "no_signing_date": "yellow",
          "no_term": "yellow", "no_calendar": "yellow"}


def show_escalations(report: EscalationReport, *, every: bool) -> None:
    """The sums as a table to read on a terminal: tenge as printed in Kazakhstan
    (``1 234 567,89``), dates ``31.07.2023``, the statuses that need action coloured."""
    from ..reports.numbers import format_date, format_money

    items = [e for e in report.items if every or e.exceeded]
    rows = [(e.status, e.provider_id, e.contract_no, e.rule, e.period, e.reference,
             format_money(e.total), format_money(e.threshold), e.cases,
             format_date(e.signed_on), format_date(e.due)) for e in items]
    notes = [] if every else [f"{len(report.items) - len(items)} sum(s) under their threshold "
                              "not shown: --all lists them; --format csv writes every column"]
    show_rows(f"unconfirmed cases against 200 / 800 МРП (п. 19–20) as of "
              f"{report.as_of:%d.%m.%Y}",
              ("status", "provider", "contract", "rule", "period", "paragraph", "sum, tenge",
               "threshold, tenge", "cases", "signed", "due"),
              rows, notes=notes, style_of=_STYLE)


def run(args: argparse.Namespace) -> int:
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
    extra: dict[int, Decimal] = dict(parse_mrp_option(m) for m in args.mrp)
    table = load_mrp(extra_file=args.mrp_file, extra=extra)
    report = escalations_files(
        args.deductions, args.contracts, as_of=as_of, mrp=table, basis=args.basis,
        cal=calendar_from_args(args),
    )
    write = write_json if args.format == "json" else write_csv
    if wants_view(args.format, args.output):
        show_escalations(report, every=args.all)
    elif args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            write(report, fh, every=args.all)
    else:
        write(report, sys.stdout, every=args.all)
    warn_provisional("escalations",
                     [e.calendar_note for e in report.items if e.calendar_provisional])
    flagged = report.flagged()
    counts: dict[str, int] = {}
    for e in flagged:
        counts[e.status] = counts.get(e.status, 0) + 1
    print(
        f"osms-defects escalations: {report.rows_read} row(s) read, {report.rows_counted} "
        f"unconfirmed-case row(s) counted, {report.rows_other_codes} of other codes, "
        f"{len(report.problems)} not counted; {len(flagged)} sum(s) over a threshold ("
        + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + f") as of {as_of:%d.%m.%Y}",
        file=sys.stderr,
    )
    if report.basis == "case_cost":
        print(
            f"  {report.rows_merged} row(s) merged into cases counted once (same provider, "
            f"contract and case_id: ESC2, ESC7); {report.cases_several_months} case(s) detected "
            "in more than one month, each counted in the month of its first detection",
            file=sys.stderr,
        )
    if report.rows_without_case_id:
        print(f"  {report.rows_without_case_id} row(s) without case_id: each counted as a case "
              "of its own (the same case on two such rows would be counted twice)",
              file=sys.stderr)
    for p, c, ks in report.cases_several_contracts:
        print(f"  case {c} of {p} is found under contracts {', '.join(ks)}: not merged, counted "
              "in each contract's sum (ESC7)", file=sys.stderr)
    for ed, why in sorted(report.editions_without.items()):
        print(f"  edition {ed}: {why}", file=sys.stderr)
    for pr in report.problems:
        print(f"  row {pr.row} ({pr.provider_id}, {pr.code}): not counted: {pr.reason}",
              file=sys.stderr)
    return 1 if report.problems else 0
