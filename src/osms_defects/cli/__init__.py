"""The ``osms-defects`` command line.

Each subcommand lives in its own module of this package and registers itself through
``register(subparsers)``; this module only wires them together and turns the library's errors
into clear messages and exit codes:

* 0 — done, nothing wrong;
* 1 — done, but some input rows or findings are errors (``deduct``, ``lint --strict`` …);
* 2 — the input could not be used at all (unreadable file, bad option, unknown name).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..errors import OsmsDefectsError

# Subcommand modules, in the order ``--help`` lists them.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "classifier_cmd",
    "lint_cmd",
    "workdays_cmd",
    "deadline_cmd",
    "screen_cmd",
    "deduct_cmd",
    "report_cmd",
    "conclusion_cmd",
    "sample_cmd",
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
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in SUBCOMMAND_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except OsmsDefectsError as exc:
        print(f"osms-defects {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
