"""``osms-defects escalations``: sums of unconfirmed cases against 200 / 800 МРП (п. 19–20)."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from decimal import Decimal
from typing import TextIO

from ..escalations import EscalationReport, escalations_files, load_mrp, parse_mrp_option
from ._calendar import add_calendar_options, calendar_from_args, warn_provisional

COLUMNS = (
    "provider_id", "contract_no", "rule", "period", "reference", "multiple", "mrp_year", "mrp",
    "threshold", "total", "cases", "unknown_cost", "exceeded", "signed_on", "due", "status",
    "calendar_provisional", "mrp_law", "consequence", "note",
)


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
    p.add_argument("-o", "--output", metavar="OUT", help="CSV file (default: stdout)")
    add_calendar_options(p)
    p.set_defaults(func=run)


def write_csv(report: EscalationReport, out: TextIO, *, every: bool) -> None:
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    for e in report.items:
        if every or e.exceeded:
            w.writerow(e.as_row())


def run(args: argparse.Namespace) -> int:
    as_of = dt.date.fromisoformat(args.as_of) if args.as_of else dt.date.today()
    extra: dict[int, Decimal] = dict(parse_mrp_option(m) for m in args.mrp)
    table = load_mrp(extra_file=args.mrp_file, extra=extra)
    report = escalations_files(
        args.deductions, args.contracts, as_of=as_of, mrp=table, basis=args.basis,
        cal=calendar_from_args(args),
    )
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            write_csv(report, fh, every=args.all)
    else:
        write_csv(report, sys.stdout, every=args.all)
    warn_provisional("escalations", [e.note for e in report.items if e.calendar_provisional])
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
    for ed, why in sorted(report.editions_without.items()):
        print(f"  edition {ed}: {why}", file=sys.stderr)
    for pr in report.problems:
        print(f"  row {pr.row} ({pr.provider_id}, {pr.code}): not counted: {pr.reason}",
              file=sys.stderr)
    return 1 if report.problems else 0
