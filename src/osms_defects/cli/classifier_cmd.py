"""``osms-defects classifier``: print an edition of the Unified Classifier of Defects."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ..classifier import load_classifier
from ..classifier.diff import diff_editions, format_diff
from ..classifier.export import json_schema, table_parts, to_json, to_table, to_yaml
from ._view import show_rows, show_text, wants_view


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2023-05-01"
        ) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "classifier",
        help="print an edition of the Unified Classifier of Defects (Annex 1)",
        description=(
            "Print the edition of the Unified Classifier of Defects (Прил. 1 Правил) in force on "
            "a date (default: the newest edition) as a table, as the stable JSON shape for other "
            "fund systems (every code and care type with basis and factor as strings), or as "
            "YAML in the classifier file's own schema."
        ),
    )
    p.add_argument(
        "--on", type=iso_date, metavar="DATE", help="the edition in force on DATE (YYYY-MM-DD)"
    )
    p.add_argument("--edition", metavar="ID", help="the edition with this id (e.g. 2022-10-16)")
    p.add_argument(
        "--format",
        choices=("table", "json", "yaml"),
        help="table (effective penalties, default; on a terminal without --format, drawn with "
        "borders), json (stable resolved shape), yaml (file schema)",
    )
    p.add_argument(
        "--printed", action="store_true", help="table: show the cells as printed, not resolved"
    )
    p.add_argument(
        "--file", metavar="PATH", help="a classifier YAML file instead of the packaged one"
    )
    p.add_argument(
        "--lang",
        choices=("ru", "kk", "en"),
        default="ru",
        help="labels of codes and care types: ru (verbatim), kk (Kazakh text, where the sources "
        "have it; 2026 only), en (English glosses, not law)",
    )
    p.add_argument(
        "--diff",
        nargs=2,
        metavar=("FROM", "TO"),
        help="what changed between two editions (ids or aliases, e.g. 2022 2026): codes added, "
        "removed, renamed, cells changed through corresponding care types",
    )
    p.add_argument(
        "--overrides",
        metavar="PATH",
        help="a fund's override file correcting periods in force (default: the file named by "
        "OSMS_DEFECTS_CLASSIFIER_OVERRIDES, if set); see docs/edition_2026.md",
    )
    p.add_argument(
        "--json-schema",
        action="store_true",
        help="print the JSON Schema of the classifier YAML file and exit",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.json_schema:
        sys.stdout.write(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n")
        return 0
    clf = load_classifier(args.file, overrides=args.overrides)
    if args.diff:
        sys.stdout.write(format_diff(diff_editions(clf, args.diff[0], args.diff[1])))
        return 0
    ed = clf.edition(args.on, id=args.edition)
    if args.format == "json":
        sys.stdout.write(to_json(ed))
    elif args.format == "yaml":
        sys.stdout.write(to_yaml(ed))
    elif args.format is None and wants_view(None, None):
        head, header, lines, legend = table_parts(ed, resolved=not args.printed, lang=args.lang)
        show_text(head.rstrip("\n"))
        show_rows(f"edition {ed.id}", header, lines, notes=[legend] if legend else [])
    else:
        sys.stdout.write(to_table(ed, resolved=not args.printed, lang=args.lang))
    return 0
