"""The terminal view (issue 19): on a terminal, a command prints a table a person can read and a
summary (totals by status and provider, errors with their row and reason) with rich; when
stdout is not a terminal, or with ``--format`` or ``-o``, the machine formats are written
exactly as before. rich is imported only here, and only for a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import polars as pl

#: rows of a result shown on a terminal; the rest is counted (``--format csv`` writes them all)
MAX_ROWS = 60
#: width of a long text cell (reference, error) on a terminal
CELL = 70


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def wants_view(fmt: str | None, output: str | None) -> bool:
    """A terminal view: stdout is a terminal, and neither ``--format`` nor ``-o`` was given."""
    return fmt is None and not output and stdout_is_terminal()


def _console() -> Any:
    from rich.console import Console

    return Console(file=sys.stdout, highlight=False, soft_wrap=False)


def _short(text: Any, width: int = CELL) -> str:
    t = "" if text is None else str(text)
    return t if len(t) <= width else t[: width - 1] + "…"


_STYLE = {"deducted": "green", "recorded": "cyan", "warning": "yellow", "error": "bold red"}


def error_reason(error: str, lang: str) -> str:
    """An error cell (``kind: detail``) with the kind's title in ``lang`` (data/messages.yaml)
    before the English detail; ``en`` and an unknown kind: as written."""
    if lang == "en":
        return error
    from ..deductions.messages import error_title
    from ..deductions.model import ErrorKind

    kind, sep, detail = error.partition(": ")
    if kind not in ErrorKind.__members__.values():
        return error
    return f"{kind}: {error_title(kind, lang)}" + (f" — {detail}" if sep else "")


def show_deductions(out: pl.DataFrame, title: str, lang: str = "en") -> None:
    """The deductions as a table (the first ``MAX_ROWS`` rows), then the totals by status and
    by provider and every error with its row and reason (its title in ``lang``: ru, kk, en)."""
    import polars as pl
    from rich.table import Table

    con = _console()
    cols = [
        c
        for c in ("row", "finding_id", "provider_id", "code", "care_type",
                  "base_amount", "status", "amount", "basis", "factor")
        if c in out.columns
    ]  # fmt: skip
    t = Table(title=title, show_lines=False, header_style="bold")
    for c in cols:
        t.add_column(c, justify="right" if c in ("row", "base_amount", "amount", "factor") else "left",
                     overflow="fold")  # fmt: skip
    for rec in out.head(MAX_ROWS).iter_rows(named=True):
        style = _STYLE.get(rec.get("status") or "", "")
        t.add_row(*(_short(rec[c]) for c in cols), style=style)
    con.print(t)
    if out.height > MAX_ROWS:
        con.print(
            f"… {out.height - MAX_ROWS:,} more row(s): --format csv (or -o FILE) writes them all"
        )
    tiyn = (
        pl.when(pl.col("amount") != "")
        .then(pl.col("amount").str.replace(".", "", literal=True).cast(pl.Int128, strict=False))
        .otherwise(0)
    )
    by_status = (
        out.with_columns(tiyn.alias("_t"))
        .group_by("status")
        .agg(pl.len().alias("n"), pl.col("_t").sum().alias("t"))
        .sort("status")
    )
    s = Table(title="by status", header_style="bold")
    s.add_column("status")
    s.add_column("rows", justify="right")
    s.add_column("tenge", justify="right")
    for st, n, tt in by_status.iter_rows():
        s.add_row(st, f"{n:,}", _tenge(tt), style=_STYLE.get(st, ""))
    con.print(s)
    if "provider_id" in out.columns:
        by_provider = (
            out.with_columns(tiyn.alias("_t"))
            .group_by("provider_id")
            .agg(
                pl.len().alias("n"),
                (pl.col("status") == "deducted").sum().alias("d"),
                (pl.col("status") == "error").sum().alias("e"),
                pl.col("_t").filter(pl.col("status") == "deducted").sum().alias("t"),
            )
            .sort("provider_id", nulls_last=True)
        )
        p = Table(title="by provider", header_style="bold")
        for name in ("provider", "rows", "deducted", "errors", "tenge deducted"):
            p.add_column(name, justify="left" if name == "provider" else "right")
        for prov, n, d, e, tt in by_provider.head(MAX_ROWS).iter_rows():
            p.add_row(prov or "—", f"{n:,}", f"{d:,}", f"{e:,}", _tenge(tt))
        con.print(p)
    errors = out.filter(pl.col("status") == "error")
    if errors.height:
        e = Table(title=f"errors ({errors.height:,})", header_style="bold red")
        e.add_column("row", justify="right")
        e.add_column("finding" if "finding_id" in out.columns else "", overflow="fold")
        e.add_column("reason", overflow="fold")
        for rec in errors.head(MAX_ROWS).iter_rows(named=True):
            reason = error_reason(str(rec["error"]), lang)
            e.add_row(str(rec["row"]), _short(rec.get("finding_id"), 24), reason)
        con.print(e)


def _tenge(tiyn: int | None) -> str:
    value = Decimal(int(tiyn or 0)) / 100
    return f"{value:,.2f}".replace(",", " ")


def show_table(df: pl.DataFrame, title: str, columns: Sequence[str] | None = None) -> None:
    """Any result frame as a table (the first ``MAX_ROWS`` rows)."""
    from rich.table import Table

    con = _console()
    cols = [c for c in (columns or df.columns) if c in df.columns]
    t = Table(title=title, header_style="bold")
    for c in cols:
        t.add_column(c, overflow="fold")
    for rec in df.head(MAX_ROWS).iter_rows(named=True):
        t.add_row(*(_short(rec[c]) for c in cols))
    con.print(t)
    if df.height > MAX_ROWS:
        con.print(
            f"… {df.height - MAX_ROWS:,} more row(s): --format csv (or -o FILE) writes them all"
        )


def show_rows(
    title: str,
    header: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    notes: Sequence[str] = (),
    caption: str | None = None,
    style_of: dict[str, str] | None = None,
) -> None:
    """Rows of text as a table (every row: the commands that call this print short results),
    then the notes, one a line; ``style_of`` colours a row by its first cell."""
    from rich.table import Table

    con = _console()
    t = Table(title=title, header_style="bold", caption=caption, show_header=any(header))
    for h in header:
        t.add_column(str(h), overflow="fold")
    for r in rows:
        cells = ["" if v is None else str(v) for v in r]
        t.add_row(*cells, style=(style_of or {}).get(cells[0] if cells else "", ""))
    con.print(t)
    for n in notes:
        con.print(n, markup=False)


def show_text(text: str) -> None:
    """Plain lines through rich (no markup read in them)."""
    _console().print(text, markup=False)


class Step(Protocol):
    def __call__(self, done: int) -> None: ...


@contextmanager
def progress_bar(description: str, total: int) -> Iterator[Step]:
    """A rich progress bar on stderr (a terminal); ``step(done)`` moves it."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("rows"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=total)

        def step(done: int) -> None:
            bar.update(task, completed=done)

        yield step
