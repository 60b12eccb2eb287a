"""Screening a register larger than memory, by shards of patients (issue 5: «use the polars
streaming engine where a register does not fit in memory»).

Every rule looks only at one patient's records (4.0, 6.12 and protocol item 13 group by
patient; 2.3 and 7.1 look at one record), so the register can be cut by patient and each part
screened alone, with the SAME code as ``screen()`` (``result.screen_register``) — no second
implementation of the rules:

1. pass 1 (polars streaming engine, nothing collected): the register is scanned
   (``pl.scan_csv`` / ``pl.scan_parquet``), each record numbered with its 1-based ``row`` in
   the whole register, and written (``sink_parquet``, partitioned) into ``shards`` Parquet
   shards by a hash of its ``patient_id`` (stripped, as validation reads it); then the record
   ids, read back from those shards (one column), go into as many id shards by a hash of the
   id;
2. the record-id uniqueness check must see the whole register: each id shard is counted
   alone (equal ids land in the same id shard), and the ids used by more than one record,
   with their counts, are kept (``register.ID_COUNT``) — only those, usually few;
3. pass 2, shard by shard: the shard is validated by ``register.load_scanned`` with the
   register-wide id counts joined in, then screened by ``screen_register``; its potential
   defects and data errors are written to Parquet parts;
4. the parts are sorted (polars streaming engine) into the order of ``screen()``: defects by
   rule (in registry order, ``registry.rule_ids()``) then row, errors by row then field; and written to the output.

Memory: pass 1 streams; pass 2 holds one shard (about 1/``shards`` of the register) at a time;
the id counts of pass 2 hold one id shard at a time plus the shared ids; the final sort holds
the potential defects (a few per cent of the records) and the summaries read three columns of
them. Disk: the shards (the register as zstd Parquet, about the size of the Parquet register)
in ``workdir`` (default: the system's temporary directory), removed at the end, also on error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from ..errors import RegisterError, ShardingError
from .engine import WorkdayCounter
from .register import (
    ID_COUNT,
    ROW,
    Source,
    _name,
    as_text,
    load_scanned,
    scan_register,
    unreadable,
)
from .registry import RULES
from .result import (
    Progress,
    RunUnderEdition,
    ScreeningResult,
    rules_in_force,
    screen_register,
    summary_by_provider,
    summary_by_rule,
)
from .rules import EditionRules, ScreeningRules

OutputFormat = Literal["csv", "jsonl", "parquet"]

#: the shard counts allowed: at least one; at most this many (open writers in pass 1)
MAX_SHARDS = 4096
#: peak memory of screening, per register record, measured (docs/screening.md: about 0.33 GiB
#: per million records in memory, both formats) with a margin
BYTES_PER_RECORD = 400
#: memory a screening process needs whatever the register (polars, the calendar, Python)
BASE_BYTES = 512 * 2**20
#: CSV: bytes per record assumed to estimate the records from the file size (the benchmark's
#: register has about 81; fewer means more records, more shards: the safe side)
CSV_BYTES_PER_RECORD = 60

#: the shards are read once, soon after: a light compression (measured below zstd in time)
SHARD_COMPRESSION: Literal["lz4"] = "lz4"
#: rows per row group of a shard: pass 1 buffers about one per open shard (peak 0.83 / 0.93 /
#: 1.02 GiB for 16k / 64k / polars' default rows, 10 M-record Parquet register, 16 shards;
#: 1.37 GiB with 64 shards of 64k), so about ``SHARD_BUFFER_ROWS`` rows over all the shards
SHARD_BUFFER_ROWS = 2**20
SHARD = "_shard"  # working column: the shard of a record (a directory name of pass 1)
_SEQ = "_seq"  # working column: order of a shard's data errors among those of one row
_ORDER = "_order"  # working column: the rule's position in registry order
SHARD_STAGE = "shard the register"
WRITE_STAGE = "sort and write"
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]i?B?|B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "B": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def parse_size(text: str) -> int:
    """A memory size such as ``2GiB``, ``1.5G``, ``512MiB``, ``800M`` or a number of bytes.
    Binary units (``G`` = ``GiB`` = 2**30). A bad text is a ``ShardingError``."""
    m = _SIZE.match(text)
    if m is None:
        raise ShardingError(
            f"memory size {text!r}: not a size; give a number with an optional unit "
            "B, KiB, MiB, GiB, TiB (e.g. 2GiB, 512MiB)"
        )
    unit = (m.group(2) or "").upper().rstrip("B").rstrip("I")
    return int(float(m.group(1)) * _UNITS[unit])  # float-ok: a memory size, not money


def estimate_records(path: str | Path) -> int:
    """Records of a register file: exact for Parquet (its metadata), estimated from the size
    for CSV (``CSV_BYTES_PER_RECORD``)."""
    p = Path(path)
    if p.suffix.lower() == ".parquet":
        return int(pl.scan_parquet(p).select(pl.len()).collect().item())
    return math.ceil(p.stat().st_size / CSV_BYTES_PER_RECORD)


def shards_for_memory(path: str | Path, max_memory: int) -> int:
    """The number of shards that should keep screening ``path`` under ``max_memory`` bytes:
    ``BYTES_PER_RECORD`` per record of a shard on top of ``BASE_BYTES``."""
    if max_memory <= BASE_BYTES:
        raise ShardingError(
            f"memory limit {max_memory:,} bytes: too small; screening needs about "
            f"{BASE_BYTES // 2**20} MiB whatever the register, give more (e.g. 2GiB)"
        )
    n = math.ceil(estimate_records(path) * BYTES_PER_RECORD / (max_memory - BASE_BYTES))
    return _check_shards(max(n, 1))


def _check_shards(shards: object) -> int:
    if isinstance(shards, bool) or not isinstance(shards, int) or not 1 <= shards <= MAX_SHARDS:
        raise ShardingError(
            f"shard count {shards!r}: allowed a whole number from 1 to {MAX_SHARDS}"
        )
    return shards


@dataclass(frozen=True, slots=True)
class ShardedResult(RunUnderEdition):
    """What ``screen_file`` wrote and counted. The defects and errors themselves are in the
    files (``output``, ``errors_output``); the summaries are those of ``ScreeningResult``."""

    output: Path
    errors_output: Path
    n_records: int
    n_bad_records: int
    n_defects: int
    n_errors: int
    shards: int
    rules: EditionRules  # as they ran: the edition in force on the detection date (S7)
    summary_rule: pl.DataFrame
    summary_provider: pl.DataFrame

    def by_rule(self) -> pl.DataFrame:
        """Per enabled rule: code, potential defects, distinct providers and patients."""
        return self.summary_rule

    def by_provider(self) -> pl.DataFrame:
        """Per provider and rule: the number of potential defects."""
        return self.summary_provider


@contextmanager
def _work_directory(workdir: str | Path | None) -> Iterator[Path]:
    """A fresh directory for the shards, removed at the end whatever happens."""
    parent = None if workdir is None else Path(workdir)
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="osms-screen-", dir=parent))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.parquet")) if directory.is_dir() else []


def _sink_shards(frame: pl.LazyFrame, directory: Path, row_group: int) -> None:
    """Stream ``frame`` into one Parquet directory per value of its SHARD column (the polars
    streaming engine: the register is never collected whole)."""
    frame.sink_parquet(
        pl.PartitionBy(directory, key=SHARD, include_key=False),
        compression=SHARD_COMPRESSION,
        row_group_size=row_group,
        mkdir=True,
        engine="streaming",
    )


def shard_register(source: Source, shards: int, work: Path) -> pl.LazyFrame:
    """Pass 1: write ``source`` into ``work/records/_shard=i/`` by a hash of the patient, then
    its (stripped) record ids into ``work/ids/_shard=i/`` by a hash of the id, both streaming.
    Returns the scanned register's plan (for its schema: an empty shard).

    The ids are read back from the record shards (one column of lz4 Parquet, cheap) rather
    than written in the same pass as the records: two partitioned sinks in one pass held both
    sets of buffers (peak 1.6 GiB instead of 1.0 at 10 M records, 16 shards)."""
    scanned = scan_register(source)
    schema = scanned.collect_schema()
    patient = as_text("patient_id", schema)
    row_group = max(1024, min(65_536, SHARD_BUFFER_ROWS // shards))
    try:
        _sink_shards(
            scanned.with_columns((patient.hash() % shards).fill_null(0).cast(pl.UInt32).alias(SHARD)),
            work / "records",
            row_group,
        )
    except pl.exceptions.PolarsError as exc:
        raise unreadable(source, exc, sharded=True) from None
    files = sorted((work / "records").glob("*/*.parquet"))
    if files:
        ids = pl.scan_parquet(files).select("record_id")
        rid = as_text("record_id", ids.collect_schema())
        _sink_shards(
            ids.select(rid.alias("record_id"))
            .filter(pl.col("record_id").is_not_null())
            .with_columns((pl.col("record_id").hash() % shards).cast(pl.UInt32).alias(SHARD)),
            work / "ids",
            row_group,
        )
    return scanned


def shared_ids(shards: int, work: Path) -> pl.DataFrame:
    """The record ids used by more than one record of the WHOLE register, with the number of
    records (``record_id``, ``ID_COUNT``): each id shard counted alone, equal ids being in the
    same id shard."""
    parts = [pl.DataFrame(schema={"record_id": pl.String, ID_COUNT: pl.Int64})]
    for i in range(shards):
        files = _files(work / "ids" / f"{SHARD}={i}")
        if files:
            parts.append(
                pl.scan_parquet(files)
                .group_by("record_id")
                .agg(pl.len().cast(pl.Int64).alias(ID_COUNT))
                .filter(pl.col(ID_COUNT) > 1)
                .collect(engine="streaming")
            )
    return pl.concat(parts)


def _shard_frame(files: list[Path], empty: pl.LazyFrame, shared: pl.DataFrame) -> pl.LazyFrame:
    """A shard with the register-wide count of its ids (``ID_COUNT``; 1 for an id not shared)."""
    lf = pl.scan_parquet(files) if files else empty.clear()
    key = as_text("record_id", lf.collect_schema())
    return (
        lf.with_columns(key.alias("_key"))
        .join(
            shared.lazy().rename({"record_id": "_key"}),
            on="_key",
            how="left",
            maintain_order="left",
        )
        .drop("_key")
        .with_columns(pl.col(ID_COUNT).fill_null(1))
    )


def _sink(lf: pl.LazyFrame, fmt: OutputFormat, path: Path) -> None:
    if fmt == "parquet":
        lf.sink_parquet(path, engine="streaming")
    elif fmt == "jsonl":
        lf.sink_ndjson(path, engine="streaming")
    else:
        lf.sink_csv(path, engine="streaming")


def format_of(path: str | Path) -> OutputFormat:
    """The output format from a file's suffix (``.parquet``, ``.jsonl``/``.json``, else CSV)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        return "parquet"
    if suffix in (".jsonl", ".json"):
        return "jsonl"
    return "csv"


def screen_file(
    source: Source,
    output: str | Path,
    rules: EditionRules | ScreeningRules | str | Path | None = None,
    *,
    detected_on: dt.date | None = None,
    shards: int | None = None,
    max_memory: int | str | None = None,
    workdir: str | Path | None = None,
    errors_output: str | Path | None = None,
    output_format: OutputFormat | None = None,
    calendar: WorkdayCounter | None = None,
    progress: Progress | None = None,
) -> ShardedResult:
    """Screen a register that need not fit in memory, writing the potential defects to
    ``output`` and the data errors (CSV) to ``errors_output`` (default ``OUTPUT.errors.csv``;
    written only when there are data errors).

    Exactly one of ``shards`` (1..``MAX_SHARDS``) or ``max_memory`` (bytes, or a text such as
    ``"2GiB"``; the shard count is then chosen from the register's size,
    ``shards_for_memory``). The rows written are those of ``screen(source, rules)``, in the
    same order (defects by rule then row; errors by row then field), with ``row`` the
    record's number in the whole register; see the module's docstring for the passes.
    ``detected_on`` (default: today): the rules run under the classifier edition in force that
    day, as in ``screen()`` (reading S7).
    ``output_format``: default from ``output``'s suffix (``format_of``). ``progress``: told of
    the sharding, of each shard (records, data errors, potential defects) and of the final
    sort. Shards live in a fresh directory under ``workdir`` (default: the system's temporary
    directory), removed at the end, also on error.
    """
    if (shards is None) == (max_memory is None):
        raise ShardingError("give exactly one of shards=N or max_memory=SIZE")
    if shards is None:
        limit = parse_size(max_memory) if isinstance(max_memory, str) else max_memory
        if not isinstance(source, str | Path):
            raise ShardingError("max_memory needs a register file (its size sets the shards)")
        n = shards_for_memory(source, int(limit or 0))
    else:
        n = _check_shards(shards)
    ruleset = rules_in_force(rules, detected_on)
    out = Path(output)
    fmt = output_format or format_of(out)
    errors_path = Path(errors_output) if errors_output else Path(f"{out}.errors.csv")
    order = {rule_id: i for i, rule_id in enumerate(ruleset.enabled())}
    if calendar is None and any(RULES[r].needs_calendar for r in order):
        from ..calendar import kazakhstan

        calendar = kazakhstan()
    with _work_directory(workdir) as work:
        if progress is not None:
            progress.start(SHARD_STAGE)
        scanned = shard_register(source, n, work)
        shared = shared_ids(n, work)
        if progress is not None:
            progress.done(
                SHARD_STAGE, f"{n} shard(s) by patient, {shared.height:,} record id(s) shared"
            )
        parts = work / "parts"
        parts.mkdir()
        n_records = n_bad = 0
        for i in range(n):
            stage = f"shard {i + 1}/{n}"
            if progress is not None:
                progress.start(stage)
            frame = _shard_frame(_files(work / "records" / f"{SHARD}={i}"), scanned, shared)
            reg = load_scanned(frame, f"{_name(source)} (shard {i + 1} of {n})")
            res: ScreeningResult = screen_register(reg, ruleset, calendar=calendar)
            n_records += res.n_records
            n_bad += res.n_bad_records
            res.defects.with_columns(
                pl.col("rule").replace_strict(order, return_dtype=pl.Int32).alias(_ORDER)
            ).write_parquet(parts / f"defects_{i:05d}.parquet")
            res.errors.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).alias(_SEQ)).write_parquet(
                parts / f"errors_{i:05d}.parquet"
            )
            if progress is not None:
                progress.done(
                    stage,
                    f"{res.n_records:,} record(s), {res.n_bad_records:,} with data errors, "
                    f"{res.defects.height:,} potential defect(s)",
                )
            del reg, res
        if progress is not None:
            progress.start(WRITE_STAGE)
        defects = pl.scan_parquet(sorted(parts.glob("defects_*.parquet")))
        errors = pl.scan_parquet(sorted(parts.glob("errors_*.parquet")))
        if fmt == "csv":
            nested = [c for c, t in defects.collect_schema().items() if t.is_nested()]
            if nested:
                raise RegisterError(
                    f"{_name(source)}: extra column(s) {', '.join(nested)} hold nested values "
                    "(list/struct), which CSV cannot carry; use jsonl or parquet output"
                )
        _sink(defects.sort(_ORDER, ROW).drop(_ORDER), fmt, out)
        n_errors = int(errors.select(pl.len()).collect().item())
        if n_errors:  # as the CLI in memory: an errors file only when there are errors
            _sink(errors.sort(ROW, "field", _SEQ).drop(_SEQ), "csv", errors_path)
        counted = defects.select("rule", "code", "provider_id", "patient_id").collect(
            engine="streaming"
        )
        if progress is not None:
            progress.done(WRITE_STAGE, f"{counted.height:,} potential defect(s) to {out}")
    return ShardedResult(
        output=out,
        errors_output=errors_path,
        n_records=n_records,
        n_bad_records=n_bad,
        n_defects=counted.height,
        n_errors=n_errors,
        shards=n,
        rules=ruleset,
        summary_rule=summary_by_rule(counted, ruleset),
        summary_provider=summary_by_provider(counted),
    )
