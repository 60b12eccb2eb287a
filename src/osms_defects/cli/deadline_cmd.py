"""``osms-defects deadline NAME DATE``: a term of the Rules applied to a date."""

from __future__ import annotations

import argparse
import json
import sys

from ..deadlines import DEADLINES, deadline

NAMES = (*DEADLINES, "monitoring_report")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "deadline",
        help="the due date of a term of the Rules (п. 13, 29, 32, 36, 43, 51, 58, 64, 70, 76)",
        description=(
            "Apply a term of the Rules to a date and print the due date, the paragraph and "
            "the counting rule. NAME is one of: " + ", ".join(NAMES) + ". DATE is YYYY-MM-DD "
            "(for monitoring_report: a period YYYY, YYYY-H1/H2 or YYYY-Q1..Q4)."
        ),
    )
    p.add_argument("name", metavar="NAME", help="the term: " + ", ".join(NAMES))
    p.add_argument("date", metavar="DATE", help="the event date (or period)")
    p.add_argument("--json", action="store_true", help="print the deadline as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    d = deadline(args.name, args.date)
    if args.json:
        payload = {
            "name": d.name,
            "due": d.due.isoformat(),
            "reference": d.reference,
            "description": d.description,
            "counted_from": d.counted_from.isoformat(),
            "term": d.term,
            "unit": d.unit.value,
            "rule": d.rule,
            "rolled": d.rolled,
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(f"{d.due.isoformat()}\t{d.reference}\t{d.description}\n# {d.rule}\n")
    return 0
