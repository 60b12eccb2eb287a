"""The output options every command that writes data shares (issue 18; osms_defects.outputs):
``--no-mask`` keeps ИИН in full, ``--no-csv-guard`` writes CSV cells as they are."""

from __future__ import annotations

import argparse
from collections.abc import Iterable

import polars as pl

from ..outputs import mask_iin_frame


def add_output_options(p: argparse.ArgumentParser, *, csv: bool = True) -> None:
    p.add_argument(
        "--no-mask",
        dest="mask",
        action="store_false",
        help=(
            "keep ИИН in full (personal data!); by default a column named for ИИН and any "
            "value that is a valid ИИН are shown as ********1234"
        ),
    )
    if csv:
        p.add_argument(
            "--no-csv-guard",
            dest="csv_guard",
            action="store_false",
            help=(
                "write CSV text cells as they are; by default a cell beginning with =, +, -, "
                "@, a tab or CR gets a leading ' so that a spreadsheet does not run it (OWASP)"
            ),
        )


def mask_output(
    df: pl.DataFrame, args: argparse.Namespace, skip: Iterable[str] = ()
) -> tuple[pl.DataFrame, list[str]]:
    """``mask_iin_frame`` unless ``--no-mask``."""
    if not args.mask:
        return df, []
    return mask_iin_frame(df, skip)


def mask_note(args: argparse.Namespace, masked: list[str]) -> str:
    """The summary's line on ИИН: masked in which columns, or kept in full (--no-mask)."""
    if not args.mask:
        return "ИИН shown in full (--no-mask): the output holds personal data\n"
    if masked:
        return f"ИИН masked (********1234) in column(s) {', '.join(masked)}; --no-mask to keep\n"
    return ""
