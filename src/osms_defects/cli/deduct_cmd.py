"""``osms-defects deduct``: from a findings file to the deductions, one output row per input row
(п. 12, 30, 34, 54, 58, 59 Правил; Прил. 1)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import polars as pl

from ..classifier import load_classifier
from ..deductions.engine import CASE_POLICIES, INPUT_COLUMNS, REQUIRED_COLUMNS, Resolver
from ..deductions.frame import RESULT_COLUMNS, check_columns, deduct_frame, deduct_frame_summary
from ..deductions.io import (
    FORMATS,
    format_of,
    iter_chunks,
    mark_malformed,
    read_findings_input,
    summary,
    write_deductions,
)
from ._calendar import add_calendar_options, calendar_from_args, warn_provisional
from ._input import add_input_options, csv_source
from ._output import add_output_options, mask_note, mask_output
from ._view import progress_bar, show_deductions, wants_view

CHUNK = 200_000  # rows per step of the progress bar (policy "each" only)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "deduct",
        help="compute the deductions of a findings file (CSV, JSONL, XLSX)",
        description=(
            # the columns from the reader's own list (engine.INPUT_COLUMNS), never retyped
            f"Read findings (columns {', '.join(INPUT_COLUMNS)}; required: "
            f"{', '.join(REQUIRED_COLUMNS)}; other columns are carried through). defect_class "
            "is the class of a defect under the 2026 edition: general, potential or additional "
            "(п. 11–14 of the Rules as rewritten by order No. 68; Russian names accepted; a "
            "general defect is recorded, 0.00); leave it empty under the 2022 edition (reading "
            "D10). Write every row with row, status, amount, basis, factor, edition, reference, "
            "remedy_due, error. Exit 0: no row is an error; 1: some rows are errors (all rows "
            "still written); 2: the input cannot be used."
        ),
    )
    p.add_argument(
        "findings",
        metavar="FINDINGS",
        help="a .csv, .jsonl or .xlsx file; - reads CSV from standard input",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.add_argument(
        "--format",
        choices=FORMATS,
        help="output format (default: from the OUT file name, else csv)",
    )
    p.add_argument(
        "--case-policy",
        choices=CASE_POLICIES,
        default="each",
        help=(
            "each (default): every finding deducts, a case's total is their sum; max_per_case: "
            "only the largest deduction of a case is kept. The Rules do not say which the Fund "
            "uses (reading D3)"
        ),
    )
    p.add_argument(
        "--unremedied",
        action="store_true",
        help=(
            "п. 59: proactive findings not remedied within 45 calendar days deduct as under "
            "current monitoring"
        ),
    )
    p.add_argument(
        "--classifier", metavar="PATH", help="a classifier YAML file instead of the packaged one"
    )
    p.add_argument(
        "--accept-doubtful",
        action="store_true",
        help="2026 edition: accept the documented reading of cells the data marks doubtful (E3)",
    )
    p.add_argument(
        "--accept-reading",
        metavar="BASIS",
        help="2026 edition: the reading of cells printed with two (e.g. KPN or PN; reading E4)",
    )
    p.add_argument(
        "--edition",
        metavar="ID",
        help=(
            "apply this edition of the Rules (an id or alias) to every finding, whatever its "
            "date; a date it does not govern is marked in edition_note (reading E20) — the way "
            "to compute findings of a gap (orders No. 174, No. 103)"
        ),
    )
    p.add_argument(
        "--lang",
        choices=("ru", "kk", "en"),
        default="en",
        help=(
            "language of the summary and of the error reasons on a terminal (default en); the "
            "titles are data/messages.yaml; where the sources give no Kazakh wording, kk shows "
            "Russian with a note. Machine formats (--format, -o, a pipe) are unchanged"
        ),
    )
    add_input_options(p)
    add_calendar_options(p)
    add_output_options(p)
    p.set_defaults(func=run)


def _summary_line(args: argparse.Namespace, s: dict[str, Any]) -> str:
    """The summary on stderr in ``--lang``; Kazakh wording of these words is not in the
    sources, so ``kk`` is the Russian line with the note of data/messages.yaml."""
    if args.lang == "en":
        return (
            f"osms-defects deduct: {args.findings}: rows read {s['rows']}, deducted "
            f"{s['deducted']}, recorded {s['recorded']}, warnings {s['warnings']}, errors "
            f"{s['errors']}, total {s['total']} tenge (case policy {args.case_policy}"
            + (", unremedied (п. 59)" if args.unremedied else "")
            + ")\n"
        )
    line = (
        f"osms-defects deduct: {args.findings}: прочитано строк {s['rows']}, снятий "
        f"{s['deducted']}, учтено без снятия {s['recorded']}, предупреждений {s['warnings']}, "
        f"ошибок {s['errors']}, итого {s['total']} тенге (политика по случаю {args.case_policy}"
        + (", неустранение (п. 59)" if args.unremedied else "")
        + ")"
    )
    if args.lang == "kk":
        from ..deductions.messages import messages_file

        line += f" [kk: {messages_file().kk_missing_note}]"
    return line + "\n"


def run(args: argparse.Namespace) -> int:
    clf = Resolver(
        load_classifier(args.classifier),
        accept_reading=args.accept_reading,
        accept_doubtful=args.accept_doubtful,
        calendar=calendar_from_args(args),
        edition=args.edition,
    )
    got = read_findings_input(csv_source(args.findings, args))
    df, malformed = got.frame, got.malformed
    check_columns(df.columns, df.schema)
    fmt = args.format or (format_of(args.output, "csv") if args.output else "csv")
    progress = sys.stderr.isatty() and df.height > CHUNK
    if args.case_policy == "each" and progress:
        parts = []
        with progress_bar("deduct", df.height) as step:
            for start, chunk in iter_chunks(df, CHUNK):
                part = deduct_frame(chunk, clf, unremedied=args.unremedied)
                parts.append(part.with_columns(pl.col("row") + start))
                step(start + chunk.height)
        out = pl.concat(parts)
        s = summary(out)
    else:
        # the summary from the integer statuses and tiyn: no second pass over the text
        out, s = deduct_frame_summary(
            df, clf, case_policy=args.case_policy, unremedied=args.unremedied
        )
    out = mark_malformed(out, malformed)  # their rows are errors already; the line and why
    out, masked = mask_output(out, args, skip=RESULT_COLUMNS)
    if args.output:
        with Path(args.output).open("wb") as fh:
            write_deductions(out, fh, fmt, csv_guard=args.csv_guard)
    elif wants_view(args.format, args.output):
        # a person at a terminal: a table and the totals (--format csv for the machine format)
        show_deductions(out, f"deductions of {args.findings}", args.lang)
        sys.stdout.flush()
    else:
        write_deductions(out, sys.stdout.buffer, fmt, csv_guard=args.csv_guard)
        sys.stdout.flush()
    sys.stderr.write(_summary_line(args, s))
    marked = out.filter(pl.col("calendar_provisional") == "true").height
    warn_provisional("deduct", clf.provisional_dues.values(), marked)
    sys.stderr.write(mask_note(args, masked))
    return 1 if s["errors"] else 0
