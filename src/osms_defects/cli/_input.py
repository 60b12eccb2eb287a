"""The input options of the commands that read a CSV file (issue 19): ``--delimiter`` and
``--encoding`` (found out when not given: docs/input.md), and ``-`` for standard input."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._csv import CsvSource


def add_input_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("CSV input (found out when not given; docs/input.md)")
    g.add_argument(
        "--delimiter",
        metavar="SEP",
        help=(
            "the field separator of a CSV input: ',' ';' or tab (also: comma, semicolon, "
            "'\\t'); default: the one the header line uses. In a ';' or tab file amounts "
            "may be written 1 487,35 and dates 03.05.2023 (Excel in a Russian or Kazakh locale)"
        ),
    )
    g.add_argument(
        "--encoding",
        metavar="ENC",
        help=(
            "the encoding of a CSV input: utf-8, utf-8-sig, cp1251 (windows-1251), utf-16; "
            "default: a byte-order mark, else UTF-8 if the file is UTF-8, else cp1251"
        ),
    )


def csv_source(name: str, args: argparse.Namespace) -> CsvSource:
    """The input named on the command line; ``-`` reads standard input (all of it)."""
    data = sys.stdin.buffer.read() if name == "-" else None
    return CsvSource(Path(name), data, args.delimiter, args.encoding)
