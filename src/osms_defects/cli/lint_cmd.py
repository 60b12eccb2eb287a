"""``osms-defects lint``: the consistency check of a classifier file."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from ..classifier import lint_file
from ._view import show_rows, wants_view


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "lint",
        help="check a classifier file for consistency (default: the packaged one)",
        description=(
            "Report what does not add up in a classifier file: '+' with no group amount "
            "(applicable_without_amount), group amounts no sub-code can use (orphan_amount), "
            "units that do not match the column, row numbers and codes out of order, and every "
            "structural problem (malformed cells, duplicate codes, sub-codes without a group, "
            "unknown keys …) with its line. Exit 0 after printing the findings; with --strict "
            "exit 1 on any finding; exit 2 when the file cannot be loaded (its problems are printed)."
        ),
    )
    p.add_argument(
        "path", nargs="?", metavar="PATH", help="a classifier YAML file (default: packaged)"
    )
    p.add_argument("--strict", action="store_true", help="exit 1 on any finding")
    p.add_argument(
        "--format",
        choices=("text", "json"),
        help="output format (default text; on a terminal, without --format, a table)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    problems, findings = lint_file(args.path)
    if args.format is None and wants_view(None, None):
        _view(args, problems, findings)
    elif args.format == "json":
        out = {
            "problems": [asdict(p) for p in problems],
            "findings": [
                {"edition": ed, **{k: v for k, v in asdict(f).items() if k != "path"}}
                for ed, f in findings
            ],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    else:
        for p in problems:
            print(f"error: {p}")
        for ed, f in findings:
            print(f"{ed}: {f}")
        total = len(problems) + len(findings)
        state = "cannot be loaded" if problems else "loads"
        print(
            f"{total} finding(s); the file {state}.",
            file=sys.stderr,
        )
    if problems:
        return 2  # the file cannot be used (README, exit codes)
    return 1 if (args.strict and findings) else 0


def _view(args: argparse.Namespace, problems: list[Any], findings: list[tuple[str, Any]]) -> None:
    """The terminal view: one row per problem and finding (kind, edition, where, what)."""
    rows: list[list[str]] = [["error", "", p.location, p.message] for p in problems]
    for ed, f in findings:
        d = {k: v for k, v in asdict(f).items() if k != "path"}
        kind = str(d.pop("kind", "finding"))
        message = str(d.pop("message", "") or f)
        where = ", ".join(f"{k} {v}" for k, v in d.items() if v not in (None, ""))
        rows.append([kind, ed, where, message])
    state = "cannot be loaded" if problems else "loads"
    show_rows(
        f"lint of {args.path or 'the packaged classifier'}",
        ["kind", "edition", "where", "what"],
        rows,
        caption=f"{len(rows)} finding(s); the file {state}",
        style_of={"error": "bold red"},
    )
