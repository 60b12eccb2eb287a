"""``osms-defects deadline NAME DATE [--edition ID]``: a term of the Rules applied to a date;
``osms-defects deadline --list [--edition ID]``: the terms of each edition.

The term is that of the edition in force on DATE (data/procedure.yaml with the periods of
data/classifier.yaml); ``--edition`` names another. A term the edition does not have, or a date
with no edition in the data, exits 2 with the reason.
"""

from __future__ import annotations

import argparse
import json
import sys

from ..classifier import load_classifier
from ..deadlines import TERMS, deadline, load_procedure

NAMES = TERMS  # every term of every edition (data/procedure.yaml)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "deadline",
        help="the due date of a term of the Rules, by the edition in force (or --edition)",
        description=(
            "Apply a term of the Rules to a date and print the due date, the paragraph, the "
            "edition and the counting rule. The edition is the one in force on DATE unless "
            "--edition names one (an id or alias: 2022, 2026). NAME is one of: "
            + ", ".join(NAMES)
            + ". DATE is YYYY-MM-DD (for monitoring_report: a period YYYY, YYYY-H1/H2 or "
            "YYYY-Q1..Q4). --list prints the terms of each edition."
        ),
    )
    p.add_argument("name", metavar="NAME", nargs="?", help="the term: " + ", ".join(NAMES))
    p.add_argument("date", metavar="DATE", nargs="?", help="the event date (or period)")
    p.add_argument("--edition", metavar="ID", help="the edition of the Rules (default: in force)")
    p.add_argument("--list", action="store_true", help="list the terms of each edition")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(func=run)


def _list(args: argparse.Namespace) -> int:
    proc, clf = load_procedure(), load_classifier()
    ids = [clf.edition(id=args.edition).id] if args.edition else [e.id for e in proc.editions]
    rows: list[dict[str, object]] = []
    out: list[str] = []
    for ed_id in ids:
        ped = proc.edition(ed_id)
        if ped is None:
            sys.stderr.write(f"osms-defects deadline: edition {ed_id} has no procedure data\n")
            return 2
        period = clf.edition(id=ed_id).in_force.describe()
        out.append(
            f"# edition {ed_id} ({period}); kinds of monitoring ({ped.kinds.reference}): "
            + ", ".join(ped.kinds.ids)
        )
        for t in ped.terms:
            sign = "-" if t.direction == "before" else "+"
            out.append(
                f"{ed_id}\t{t.name}\t{sign}{t.amount} {t.unit.value}\t{t.reference}\t"
                f"{t.description}"
            )
            rows.append(
                {
                    "edition": ed_id,
                    "name": t.name,
                    "amount": t.amount,
                    "unit": t.unit.value,
                    "direction": t.direction,
                    "counted_from": t.counted_from,
                    "reference": t.reference,
                    "description": t.description,
                    "quote": t.quote,
                }
            )
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write("\n".join(out) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.list:
        if args.name is not None:
            sys.stderr.write("osms-defects deadline: --list takes no NAME or DATE\n")
            return 2
        return _list(args)
    if args.name is None or args.date is None:
        sys.stderr.write(
            "osms-defects deadline: give NAME and DATE (or --list); NAME is one of: "
            + ", ".join(NAMES)
            + "\n"
        )
        return 2
    d = deadline(args.name, args.date, edition=args.edition)
    if args.json:
        payload = {
            "name": d.name,
            "due": d.due.isoformat(),
            "reference": d.reference,
            "edition": d.edition,
            "citation": d.citation,
            "description": d.description,
            "counted_from": d.counted_from.isoformat(),
            "term": d.term,
            "unit": d.unit.value,
            "rule": d.rule,
            "rolled": d.rolled,
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(f"{d.due.isoformat()}\t{d.citation}\t{d.description}\n# {d.rule}\n")
    return 0
