"""``osms-defects screen``: automated screening of a service register (п. 11, 45 Правил).

Writes one row per potential defect (the register's extra columns follow the output columns,
under their own names); the data errors of the register (each with its row) go to
``--errors`` (default ``OUT.errors.csv`` beside the output, or stderr without ``-o``). Exit 0
when every record could be screened, 1 when some records are data errors, 2 when the register
or the rules file cannot be used at all.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import TextIO

import polars as pl

from ..calendar import WorkCalendar
from ..classifier import load_classifier
from ..errors import RegisterError
from ..outputs import guard_csv_frame
from ..screening import DEFECT_COLUMNS, ScreeningResult, screen
from ..screening.register import Source
from ..screening.rules import EditionRules, load_rules
from ..screening.sharded import (
    MAX_SHARDS,
    ShardedResult,
    parse_size,
    screen_file,
    shards_for_memory,
)
from ._calendar import add_calendar_options, calendar_from_args, warn_provisional
from ._input import add_input_options, csv_source
from ._output import add_output_options, mask_note, mask_output
from ._view import show_table, wants_view

FORMATS = ("csv", "jsonl", "parquet")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "screen",
        help="screen a register of services for potential defects (п. 11, 45)",
        description=(
            "Run the automated screening rules (data/screening.yaml or --rules) over a register "
            "(CSV or Parquet; columns record_id, record_type, patient_id, provider_id, "
            "care_type, service_code, service_date, admitted_on, discharged_on, referred_on, "
            "call_at, died_on, death_registered_on). Each output row is a POTENTIAL defect for "
            "the Fund's staff to confirm or reject (п. 11, 45 Правил), not a deduction. "
            "Other columns of the register are carried into each row of the record they flag, "
            "under their own names (a name that clashes with an output column is an error). "
            "Records that cannot be screened are reported as data errors with their row; "
            "exit 1 when there are any. On a terminal, progress is shown stage by stage. "
            "A register larger than memory: --shards N or --max-memory SIZE screens it shard "
            "by shard (by patient), with the same rules and the same output rows and order. "
            "Each rule suggests the code of the classifier edition in force on the detection "
            "date (--detected-on, default today), with that edition's thresholds; a rule that "
            "edition has no code for does not run, and the summary says so (reading S7)."
        ),
    )
    p.add_argument(
        "register",
        metavar="REGISTER",
        help="register file (.csv or .parquet); - reads CSV from standard input",
    )
    add_input_options(p)
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    p.add_argument(
        "--format", choices=FORMATS, help="output format (default: from OUT's suffix, else csv)"
    )
    p.add_argument("--rules", metavar="FILE", help="screening rules YAML (default: packaged)")
    p.add_argument(
        "--detected-on",
        metavar="DATE",
        type=_iso_date,
        help="detection date YYYY-MM-DD (default: today): the rules use the codes, references "
        "and thresholds of the classifier edition in force that day (R4, reading S7); a date "
        "no edition covers is an error (exit 2)",
    )
    p.add_argument(
        "--errors",
        metavar="FILE",
        help="CSV of data errors (default: OUT.errors.csv with -o, else printed to stderr)",
    )
    big = p.add_mutually_exclusive_group()
    big.add_argument(
        "--shards",
        metavar="N",
        type=int,
        help=f"out of core: cut the register into N shards by patient (1..{MAX_SHARDS}) and "
        "screen them one at a time (docs/screening.md)",
    )
    big.add_argument(
        "--max-memory",
        metavar="SIZE",
        help="out of core: choose the shard count from the register's size to stay under "
        "SIZE (e.g. 2GiB, 512MiB)",
    )
    p.add_argument(
        "--workdir",
        metavar="DIR",
        help="where the shards go with --shards/--max-memory (default: the system's "
        "temporary directory); removed at the end",
    )
    p.add_argument(
        "--edition",
        metavar="ID",
        help=(
            "screen under this edition of Annex 1 (an id or alias) instead of the one in force "
            "on the detection date; a date it does not govern is marked in the note (E20)"
        ),
    )
    add_calendar_options(p)
    add_output_options(p)
    p.set_defaults(func=run)


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: not a date YYYY-MM-DD") from None


class TerminalProgress:
    """Stage-by-stage progress with counts, on a terminal only: a pipe or a log file gets the
    summary alone (nothing else is written when ``stream`` is not a TTY).

    Each finished stage becomes a line ``[ 2/9] [####......]   3.1s  <stage>: <counts>``; the
    running stage is shown on the current line (``\r``) until it finishes."""

    BAR = 10

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        self.tty = bool(self.stream.isatty())
        self.total = total
        self.n = 0
        self.t0 = time.perf_counter()
        self.pending = False  # a running stage's line is on screen, without its newline

    def _line(self, n: int, text: str) -> str:
        filled = self.BAR * n // max(self.total, 1)
        bar = "#" * filled + "." * (self.BAR - filled)
        elapsed = time.perf_counter() - self.t0
        return f"[{n:>2}/{self.total}] [{bar}] {elapsed:6.1f}s  {text}"

    def start(self, stage: str) -> None:
        if self.tty:
            self.stream.write("\r" + self._line(self.n, f"{stage} …").ljust(79))
            self.stream.flush()
            self.pending = True

    def done(self, stage: str, detail: str) -> None:
        self.n += 1
        if self.tty:
            self.stream.write("\r" + self._line(self.n, f"{stage}: {detail}").ljust(79) + "\n")
            self.stream.flush()
            self.pending = False

    def interrupted(self) -> None:
        """End a running stage's line, so that an error message starts on a line of its own."""
        if self.tty and self.pending:
            self.stream.write("\n")
            self.stream.flush()
            self.pending = False


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    if args.output:
        suffix = Path(args.output).suffix.lower().lstrip(".")
        if suffix in FORMATS:
            return suffix
        if suffix == "json":
            return "jsonl"
    return "csv"


def _check_csv_columns(df: pl.DataFrame, register: str) -> None:
    """CSV has no nested values: an extra column of the register that is a list or a struct
    (possible in Parquet) cannot be written to CSV — say so instead of failing mid-write."""
    nested = [c for c, t in df.schema.items() if t.is_nested()]
    if nested:
        raise RegisterError(
            f"{register}: extra column(s) {', '.join(nested)} hold nested values (list/struct), "
            "which CSV cannot carry; use --format jsonl or parquet"
        )


def _write(df: pl.DataFrame, fmt: str, out: str | None, csv_guard: bool = True) -> None:
    if fmt == "csv" and csv_guard:
        df = guard_csv_frame(df)
    if fmt == "parquet":
        assert out is not None  # checked in run()
        df.write_parquet(out)
    elif fmt == "jsonl":
        if out is None:
            sys.stdout.write(df.write_ndjson())
        else:
            df.write_ndjson(out)
    elif out is None:
        sys.stdout.write(df.write_csv())
    else:
        df.write_csv(out)


def run(args: argparse.Namespace) -> int:
    fmt = _format_of(args)
    if fmt == "parquet" and not args.output:
        print("osms-defects screen: error: --format parquet needs -o OUT", file=sys.stderr)
        return 2
    # the edition in force on the detection date (R4): a date no edition covers raises
    # NoEditionError, exit 2 like any unusable input
    rules = _rules(args)
    # the default calendar (OSMS_DEFECTS_CALENDAR included) is built by screen() itself, in a
    # thread while the register is read; an option names another
    calendar: WorkCalendar | None = (
        calendar_from_args(args) if args.calendar_file or args.strict_calendar else None
    )
    if args.shards is not None or args.max_memory is not None:
        if args.register == "-":
            raise RegisterError(
                "--shards and --max-memory read the register from a file, not from "
                "standard input (-): save it to a file first"
            )
        return _run_sharded(args, rules, fmt, calendar)
    # stages: read and validate, each enabled rule, writing the output
    progress = TerminalProgress(total=len(rules.enabled()) + 2)
    try:
        result = screen(
            _source(args), rules, calendar=calendar, progress=progress if progress.tty else None
        )
    except BaseException:
        progress.interrupted()
        raise
    if fmt == "csv":
        _check_csv_columns(result.defects, args.register)
    n_extra = result.defects.width - len(DEFECT_COLUMNS)
    # ИИН (patient_id …) masked in the output and the errors unless --no-mask
    defects, masked = mask_output(result.defects, args)
    errors, masked_errors = mask_output(result.errors, args)
    # no "running" line for the writing stage: stdout (the output, without -o) and the data
    # errors may go to the same terminal
    if wants_view(args.format, args.output):
        show_table(
            defects,
            f"potential defects of {args.register}",
            ["rule", "code", "record_id", "provider_id", "patient_id", "event_date", "days",
             "workdays", "count", "evidence_ids"],
        )  # fmt: skip
    else:
        _write(defects, fmt, args.output, args.csv_guard)
    errors_to = args.errors or (f"{args.output}.errors.csv" if args.output else None)
    if errors.height:
        if errors_to:
            _write(errors, "csv", errors_to, args.csv_guard)
        else:
            _print_errors(errors)
    extra = f" with {n_extra} extra column(s) of the register" if n_extra else ""
    progress.done(f"write {args.output or 'stdout'}", f"{result.defects.height:,} row(s){extra}")
    _summary(result, result.defects.height, result.errors.height, errors_to, args)
    marked = result.defects.filter(pl.col("calendar_provisional"))
    if marked.height:
        notes = marked.get_column("note").str.split(" | ").list.last().unique().to_list()
        warn_provisional("screen", notes, marked.height)
    sys.stderr.write(mask_note(args, sorted({*masked, *masked_errors})))
    return 1 if result.errors.height else 0


def _source(args: argparse.Namespace) -> Source:
    """A CSV register (or ``-``) with its --delimiter and --encoding; Parquet by its path."""
    if args.register == "-" or Path(args.register).suffix.lower() in (".csv", ".txt", ".tsv"):
        return csv_source(args.register, args)
    return str(args.register)


def _rules(args: argparse.Namespace) -> EditionRules:
    """The rules as they run on the detection date (R4), or under the edition the caller names
    (--edition), which marks every row's note when it does not govern the date (E20)."""
    ruleset = load_rules(args.rules)
    if args.edition is None:
        return ruleset.in_force(args.detected_on)
    on = args.detected_on or dt.date.today()
    ed, notes = load_classifier().choose(on, args.edition)
    rules = ruleset.for_edition(ed.id, on)
    if notes:
        rules = dataclasses.replace(rules, note=f"{rules.note} | {'; '.join(notes)}")
    return rules


def _print_errors(errors: pl.DataFrame) -> None:
    for r in errors.iter_rows(named=True):
        print(
            f"data error: row {r['row']} (record {r['record_id']}): {r['field']}"
            f"={r['value']!s}: {r['message']}",
            file=sys.stderr,
        )


def _run_sharded(
    args: argparse.Namespace, rules: EditionRules, fmt: str, calendar: WorkCalendar | None
) -> int:
    """--shards / --max-memory: ``screen_file`` (out of core) with the same output, errors
    file, exit codes and summary as the in-memory path."""
    if args.max_memory is not None:
        shards = shards_for_memory(args.register, parse_size(args.max_memory))
    else:
        shards = args.shards
    # stages: sharding, each shard, sorting and writing
    progress = TerminalProgress(total=shards + 2)
    with tempfile.TemporaryDirectory(prefix="osms-screen-out-", dir=args.workdir) as tmp:
        out = Path(args.output) if args.output else Path(tmp) / f"defects.{fmt}"
        errors_to = args.errors or (f"{args.output}.errors.csv" if args.output else None)
        errors_path = Path(errors_to) if errors_to else Path(tmp) / "errors.csv"
        try:
            result = screen_file(
                _source(args),
                out,
                rules,
                shards=shards,
                workdir=args.workdir,
                errors_output=errors_path,
                calendar=calendar,
                output_format=fmt,  # type: ignore[arg-type]  # one of FORMATS
                progress=progress if progress.tty else None,
            )
        except BaseException:
            progress.interrupted()
            raise
        # ИИН masked and CSV cells guarded as in the in-memory path: the files written by
        # the shards are rewritten (the potential defects and errors are few beside the
        # register)
        masked = _rewrite(out, fmt, args)
        if result.n_errors:
            masked += _rewrite(errors_path, "csv", args)
        if not args.output:
            with out.open(encoding="utf-8") as f:
                shutil.copyfileobj(f, sys.stdout)
        if result.n_errors and not errors_to:
            _print_errors(pl.read_csv(errors_path, infer_schema=False))
    _summary(result, result.n_defects, result.n_errors, errors_to, args)
    sys.stderr.write(mask_note(args, sorted(set(masked))))
    return 1 if result.n_errors else 0


def _rewrite(path: Path, fmt: str, args: argparse.Namespace) -> list[str]:
    """Mask ИИН and guard CSV cells in an output file written by ``screen_file``."""
    if not path.exists() or not (args.mask or (fmt == "csv" and args.csv_guard)):
        return []
    if path.stat().st_size == 0:  # nothing found: an empty JSONL file stays empty
        return []
    if fmt == "parquet":
        df = pl.read_parquet(path)
    elif fmt == "jsonl":
        df = pl.read_ndjson(path)
    else:
        df = pl.read_csv(path, infer_schema=False)
    df, masked = mask_output(df, args)
    _write(df, fmt, str(path), args.csv_guard)
    return masked


def _summary(
    result: ScreeningResult | ShardedResult,
    n_defects: int,
    n_errors: int,
    errors_to: str | None,
    args: argparse.Namespace,
) -> None:
    w = sys.stderr.write
    how = "given" if args.detected_on is not None else "today's date; --detected-on to change"
    w(
        f"detection date {result.detected_on.isoformat()} ({how}): classifier edition "
        f"{result.edition} in force, its codes and thresholds used (R4, reading S7)\n"
    )
    w(
        f"screened {result.n_records - result.n_bad_records} of {result.n_records} record(s); "
        f"{n_defects} potential defect(s), not deductions: {result.rules.note}\n"
    )
    for r in result.by_rule().iter_rows(named=True):
        if r["status"] != "screened":
            w(
                f"  {r['rule']:<24} NOT RUN: edition {r['edition']} has no code for it: "
                f"{r['reason']}\n"
            )
            continue
        w(
            f"  {r['rule']:<24} код {r['code']:<5} {r['potential_defects']:>9} potential "
            f"defect(s), {r['providers']} provider(s), {r['patients']} patient(s)\n"
        )
    by_provider = (
        result.by_provider()
        .group_by("provider_id")
        .agg(pl.col("potential_defects").sum())
        .sort(["potential_defects", "provider_id"], descending=[True, False])
    )
    if by_provider.height:
        w("  by provider (most first):\n")
        for r in by_provider.head(10).iter_rows(named=True):
            w(f"    {r['provider_id']:<20} {r['potential_defects']:>9}\n")
        if by_provider.height > 10:
            w(f"    … and {by_provider.height - 10} more provider(s)\n")
    if n_errors:
        where = f" (see {errors_to})" if errors_to else ""
        w(
            f"{n_errors} data error(s) in {result.n_bad_records} record(s) not "
            f"screened{where}\n"
        )
