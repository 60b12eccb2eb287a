"""``osms-defects report annex3|annex4``: the monitoring reports of Прил. 3 and 4 (п. 32)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..outputs import mask_iin_text
from ..reports import build_report_files
from ..reports.fill import to_html, to_xlsx
from ._calendar import add_calendar_options, calendar_from_args, warn_provisional


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="the quarterly/half-year/annual report of Прил. 3 (ГОБМП) or Прил. 4 (ОСМС)",
        description=(
            "Build the report of Прил. 3 (annex3, ГОБМП) or Прил. 4 (annex4, ОСМС), п. 32, from "
            "the output of 'osms-defects deduct' and a contracts CSV (provider_id, contract_no, "
            "program, contract_sum; optional: provider_name, monitored, violations_<kind>, "
            "penalty_assessed_<kind>, penalty_paid_<kind>, penalty_transferred, "
            "accession_violations). Columns without input are left empty and listed, never "
            "zero. Output by extension: .xlsx (headers as printed, SUM formulas), .html (a "
            "printable page, A4 landscape) or .csv."
        ),
    )
    p.add_argument("form", choices=("annex3", "annex4"), help="annex3 = ГОБМП, annex4 = ОСМС")
    p.add_argument("--period", required=True, help="2023-Q2, 2023-H1 or 2023 (п. 32)")
    p.add_argument("--deductions", required=True, metavar="D", help="deductions CSV (deduct output)")
    p.add_argument("--contracts", required=True, metavar="C", help="contracts CSV")
    p.add_argument(
        "--date-column",
        default="detected_on",
        choices=("detected_on", "conclusion_signed_on"),
        help="which date puts a finding in the period (reading P2; default detected_on)",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="report.xlsx, report.html or report.csv (default: CSV to stdout)")
    p.add_argument("--edition", metavar="ID",
                   help="the edition of the Rules whose report term applies (default: in force "
                        "on the period's last day)")
    p.add_argument("--gloss", choices=("en",), default=None,
                   help="XLSX/HTML: the English gloss of each printed text beside it")
    add_calendar_options(p)
    p.add_argument("--no-csv-guard", dest="csv_guard", action="store_false",
                   help="CSV: write cells as they are (by default a cell beginning with =, +, "
                        "-, @ gets a leading ', OWASP)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = build_report_files(
        args.form, args.period, args.deductions, args.contracts, date_column=args.date_column,
        cal=calendar_from_args(args), edition=args.edition,
    )
    warn_provisional("report", [report.due.calendar_note])
    out: str | None = args.output
    if out is None:
        report.to_csv(sys.stdout, csv_guard=args.csv_guard)
    elif out.lower().endswith(".xlsx"):
        to_xlsx(report, out, gloss=args.gloss)
    elif out.lower().endswith((".html", ".htm")):
        Path(out).write_text(to_html(report, gloss=args.gloss), encoding="utf-8")
    elif out.lower().endswith(".csv"):
        report.to_csv(out, csv_guard=args.csv_guard)
    else:
        print(f"osms-defects report: error: output {out!r} must end in .xlsx, .html or .csv", file=sys.stderr)
        return 2
    print(
        f"{report.title}: {report.frame.height} provider(s), {report.deductions_used} finding(s) "
        f"in the period ({report.deductions_outside_period} outside it, "
        f"{report.deductions_other_program} of the other program); "
        f"{len(report.error_rows)} error row(s) not reported (listed in the annex); due by "
        f"{report.due.due:%d.%m.%Y} ({report.due.reference}); "
        f"{len(report.empty_columns)} column(s) left empty: "
        + ", ".join(str(e.number) for e in report.empty_columns),
        file=sys.stderr,
    )
    for e in report.error_rows:
        # an ИИН typed into a row is masked, as in the report's annex (a log keeps stderr)
        print(mask_iin_text(f"  error row {e.row} ({e.finding_id or e.provider_id}): {e.error}"),
              file=sys.stderr)
    # README «Exit codes»: done, but some rows are errors (listed in the annex, not reported)
    return 1 if report.error_rows else 0
