"""The ``osms-defects`` command line.

Each subcommand lives in its own module of this package and registers itself through
``register(subparsers)``; this module only wires them together and turns the library's errors
into clear messages and exit codes:

* 0 — done, nothing wrong;
* 1 — done, but some input rows or findings are errors (``deduct``, ``lint --strict`` …);
* 2 — the input or the options cannot be used (unreadable or malformed file, bad option,
  unknown name, an output that cannot be written);
* 3 — an internal error (a bug of osms-defects): a short message with a hint to report it;
  the traceback only with the global option ``--debug``.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Sequence

from ..errors import OsmsDefectsError

#: the exit codes of every command (README, "Exit codes")
EXIT_OK = 0
EXIT_SOME_ERRORS = 1
EXIT_UNUSABLE = 2
EXIT_INTERNAL = 3

# Subcommand modules, in the order ``--help`` lists them.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "classifier_cmd",
    "lint_cmd",
    "workdays_cmd",
    "deadline_cmd",
    "screen_cmd",
    "deduct_cmd",
    "report_cmd",
    "escalations_cmd",
    "conclusion_cmd",
    "sample_cmd",
    "serve_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="osms-defects",
        description=(
            "Reference implementation of the Rules of monitoring of health-service purchase "
            "contracts of Kazakhstan (order ҚР ДСМ-321/2020): the Unified Classifier of "
            "Defects (Annex 1) and the deductions it sets."
        ),
        epilog="Run 'osms-defects COMMAND --help' for the options of each command.",
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"osms-defects {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="on an internal error (exit 3), show the Python traceback",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    given = list(sys.argv[1:] if argv is None else argv)
    if given == ["--version"]:
        # without building the parser, which imports every command (and polars): a version
        # check starts as fast as Python does (issue 19; benchmarks/bench_startup.py)
        from .. import __version__

        print(f"osms-defects {__version__}")
        return EXIT_OK
    parser = build_parser()
    args = parser.parse_args(given)
    try:
        code: int = args.func(args)
    except OsmsDefectsError as exc:
        print(f"osms-defects {args.command}: error: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except BrokenPipeError:  # e.g. piped into `head`: the reader has all it wanted
        return _closed_pipe()
    except OSError as exc:
        if exc.errno == errno.EPIPE or "Broken pipe" in str(exc):  # polars' writer says so
            return _closed_pipe()  # a file that cannot be opened or written (e.g. -o in a missing dir)
        name = f"{exc.filename}: " if exc.filename else ""
        print(
            f"osms-defects {args.command}: error: {name}{exc.strerror or exc}", file=sys.stderr
        )
        return EXIT_UNUSABLE
    except Exception as exc:  # a bug: a short message, the traceback only with --debug
        if args.debug:
            raise
        print(
            f"osms-defects {args.command}: internal error: {type(exc).__name__}: {exc!s:.300}\n"
            "This is a bug of osms-defects, not a problem of your input: please report it with "
            "the command line and, if you can, the input (run again with --debug for the "
            "traceback).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


def _closed_pipe() -> int:
    """A reader that closed the pipe (``deduct big.csv | head -1``) is not an error: exit 0
    quietly, and send what Python still flushes at exit to /dev/null, not to a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
