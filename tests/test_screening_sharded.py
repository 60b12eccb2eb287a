"""A register larger than memory, screened shard by shard (issue 5: «use the polars streaming
engine where a register does not fit in memory»): the rows written are those of the in-memory
``screen(, detected_on=D2022)``, in the same order — potential defects, data errors (a record id shared across
shards included), counts and summaries."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osms_defects.cli import main
from osms_defects.errors import OsmsDefectsError, RegisterError, ShardingError
from osms_defects.screening import ScreeningResult, screen
from osms_defects.screening.register import ERROR_SCHEMA
from osms_defects.screening.sharded import (
    MAX_SHARDS,
    ShardedResult,
    parse_size,
    screen_file,
    shards_for_memory,
)

from .conftest import REPO
from .screening_reference import D2022
from .test_screening_io import BAD
from .test_screening_reference import _frame, registers

REGISTER = REPO / "examples" / "register.csv"


def _errors(res: ShardedResult) -> pl.DataFrame:
    if not res.errors_output.exists():
        return pl.DataFrame(schema=ERROR_SCHEMA)
    return pl.read_csv(res.errors_output, schema=ERROR_SCHEMA)


def _assert_same(got: ShardedResult, ref: ScreeningResult) -> None:
    defects = pl.read_parquet(got.output)
    assert defects.equals(ref.defects), (defects, ref.defects)
    assert _errors(got).equals(ref.errors), (_errors(got), ref.errors)
    assert (got.n_records, got.n_bad_records) == (ref.n_records, ref.n_bad_records)
    assert (got.n_defects, got.n_errors) == (ref.defects.height, ref.errors.height)
    assert got.by_rule().equals(ref.by_rule())
    assert got.by_provider().equals(ref.by_provider())


@pytest.mark.parametrize("shards", [1, 2, 7])
def test_example_register_gives_the_in_memory_result(tmp_path: Path, shards: int) -> None:
    """examples/register.csv: its 7 potential defects (one per rule, two for the duplicate
    pair), whichever shard each patient falls in."""
    got = screen_file(REGISTER, tmp_path / "o.parquet", shards=shards, workdir=tmp_path / "w", detected_on=D2022)
    _assert_same(got, screen(REGISTER, detected_on=D2022))
    assert got.n_defects == 7 and got.shards == shards


def _two_patients_in_different_shards(shards: int) -> tuple[str, str]:
    """Two patient ids that the shard hash puts apart (the hash is polars', as in pass 1)."""
    ids = [f"P{i}" for i in range(50)]
    shard = (pl.Series(ids).hash() % shards).to_list()
    other = next(i for i, s in zip(ids, shard, strict=True) if s != shard[0])
    return ids[0], other


@pytest.mark.parametrize("shards", [2, 7])
def test_record_id_shared_across_shards_is_a_data_error(tmp_path: Path, shards: int) -> None:
    """The uniqueness check sees the whole register: record "X" of two patients in two
    different shards is a data error in both rows, with the register-wide count (3 records)."""
    a, b = _two_patients_in_different_shards(shards)
    text = BAD + (
        f"X,service,{a},A,,A01,2023-01-05,,,,,,\n"
        f"X,service,{b},A,,A01,2023-01-05,,,,,,\n"
        f" X ,death,{b},A,,,,,,,,2023-01-01,2023-01-02\n"  # the same id once stripped
    )
    path = tmp_path / "r.csv"
    path.write_text(text, encoding="utf-8")
    ref = screen(path, detected_on=D2022)
    got = screen_file(path, tmp_path / "o.parquet", shards=shards, detected_on=D2022)
    _assert_same(got, ref)
    shared = _errors(got).filter(pl.col("record_id") == "X")
    assert shared["row"].to_list() == [9, 10, 11]
    assert set(shared["message"]) == {"record_id used by 3 records; each record needs its own id"}
    # the bad values are reported as written, not as "missing" (BAD's rows 2 and 4)
    msgs = dict(zip(_errors(got)["row"], _errors(got)["message"], strict=False))
    assert msgs[2] == "not a date YYYY-MM-DD" and msgs[4].startswith("not a date and time")


def _as_text_register(recs: list[dict[str, Any]]) -> pl.DataFrame:
    df = _frame(recs)
    return df.with_columns(
        pl.col(pl.Date).dt.strftime("%Y-%m-%d"), pl.col("call_at").dt.strftime("%Y-%m-%dT%H:%M")
    )


MUTATIONS = [None] * 6 + ["shared_id", "bad_date", "no_patient", "padded"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.data(), st.sampled_from([1, 2, 7]))
def test_sharded_agrees_with_in_memory_on_random_registers(
    recs: list[dict[str, Any]], data: st.DataObject, shards: int
) -> None:
    """Random registers over 3 patients with data errors planted (an id of an earlier record
    reused — often by another patient, so in another shard —, an unparsable date, a missing
    patient, an id padded with spaces) and an extra column: same defects, errors, counts."""
    df = _as_text_register(recs).with_columns(region=pl.format("reg-{}", pl.col("record_id")))
    rows = df.to_dicts()
    for i, row in enumerate(rows):
        what = data.draw(st.sampled_from(MUTATIONS))
        if what == "shared_id" and i:
            row["record_id"] = rows[data.draw(st.integers(0, i - 1))]["record_id"]
        elif what == "bad_date":
            row["service_date"] = "2023-02-30"
        elif what == "no_patient":
            row["patient_id"] = " "
        elif what == "padded":
            row["record_id"] = f"  {row['record_id']} "
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.csv"
        pl.DataFrame(rows, schema=df.schema).write_csv(path)
        got = screen_file(path, Path(tmp) / "o.parquet", shards=shards, workdir=Path(tmp) / "w", detected_on=D2022)
        _assert_same(got, screen(path, detected_on=D2022))
        assert list((Path(tmp) / "w").iterdir()) == []


def test_parquet_register_keeps_extra_types(tmp_path: Path) -> None:
    df = pl.read_csv(REGISTER, infer_schema=False).with_columns(
        amount_tiyn=pl.int_range(pl.len(), dtype=pl.Int64) * 100,
        service_date=pl.col("service_date").str.to_date(),
    )
    pq = tmp_path / "r.parquet"
    df.write_parquet(pq)
    got = screen_file(pq, tmp_path / "o.parquet", shards=3, detected_on=D2022)
    _assert_same(got, screen(pq, detected_on=D2022))
    assert pl.read_parquet(got.output).schema["amount_tiyn"] == pl.Int64


def test_shards_are_removed_also_on_error(tmp_path: Path) -> None:
    """A nested extra column cannot go to CSV: the error comes after pass 1 wrote the shards,
    and the work directory is left empty."""
    df = pl.read_csv(REGISTER, infer_schema=False).with_columns(tags=pl.concat_list(pl.lit("a")))
    pq = tmp_path / "r.parquet"
    df.write_parquet(pq)
    work = tmp_path / "w"
    with pytest.raises(RegisterError, match="tags hold nested values"):
        screen_file(pq, tmp_path / "o.csv", shards=2, workdir=work, detected_on=D2022)
    assert work.is_dir() and list(work.iterdir()) == []


@pytest.mark.parametrize("bad", [0, -1, MAX_SHARDS + 1, 2.5, True, "3"])
def test_bad_shard_count_is_a_clear_error(tmp_path: Path, bad: Any) -> None:
    with pytest.raises(ShardingError, match=f"shard count .*allowed a whole number from 1 to {MAX_SHARDS}"):
        screen_file(REGISTER, tmp_path / "o.csv", shards=bad, detected_on=D2022)
    assert not (tmp_path / "o.csv").exists()


def test_shards_or_memory_exactly_one(tmp_path: Path) -> None:
    with pytest.raises(ShardingError, match="exactly one"):
        screen_file(REGISTER, tmp_path / "o.csv", detected_on=D2022)
    with pytest.raises(ShardingError, match="exactly one"):
        screen_file(REGISTER, tmp_path / "o.csv", shards=2, max_memory="2GiB", detected_on=D2022)


def test_memory_sizes_and_shard_choice(tmp_path: Path) -> None:
    assert parse_size("2GiB") == parse_size("2G") == parse_size("2 gib") == 2 * 2**30
    assert parse_size("512MiB") == 512 * 2**20 and parse_size("1000") == 1000
    assert parse_size("1.5GiB") == 3 * 2**29
    for bad in ("", "2XB", "-1G", "G"):
        with pytest.raises(ShardingError, match="not a size"):
            parse_size(bad)
    with pytest.raises(ShardingError, match="too small"):
        shards_for_memory(REGISTER, parse_size("100MiB"))
    assert shards_for_memory(REGISTER, parse_size("2GiB")) == 1
    # a 10M-record Parquet register (the benchmark's size) under 2 GiB: about 3 shards of 0.5 GiB
    big = tmp_path / "big.parquet"
    pl.DataFrame({"record_id": pl.int_range(10_000_000, eager=True)}).write_parquet(big)
    n2, n1 = shards_for_memory(big, parse_size("2GiB")), shards_for_memory(big, parse_size("1GiB"))
    assert 2 <= n2 < n1
    assert isinstance(ShardingError("x"), OsmsDefectsError)


def test_progress_is_told_of_each_shard(tmp_path: Path) -> None:
    events: list[tuple[str, str]] = []

    class Record:
        def start(self, stage: str) -> None:
            events.append(("start", stage))

        def done(self, stage: str, detail: str) -> None:
            events.append(("done", f"{stage}: {detail}"))

    screen_file(REGISTER, tmp_path / "o.csv", shards=3, progress=Record(), detected_on=D2022)
    done = [s for k, s in events if k == "done"]
    assert len(done) == 5 and len(events) == 10
    assert done[0].startswith("shard the register: 3 shard(s) by patient, 0 record id(s) shared")
    assert [d.split(":")[0] for d in done[1:4]] == ["shard 1/3", "shard 2/3", "shard 3/3"]
    assert sum(int(d.split(": ")[1].split(" ")[0]) for d in done[1:4]) == 21  # records
    assert done[4].startswith("sort and write: 7 potential defect(s)")


def test_cli_sharded_output_is_byte_identical(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``osms-defects screen --shards N`` / ``--max-memory``: the same stdout, stderr summary,
    files and exit codes as the in-memory command."""
    assert main(["screen", "--detected-on", "2023-06-01", str(REGISTER)]) == 0
    mem = capsys.readouterr()
    assert main(["screen", "--detected-on", "2023-06-01", str(REGISTER), "--shards", "3", "--workdir", str(tmp_path)]) == 0
    shard = capsys.readouterr()
    assert (shard.out, shard.err) == (mem.out, mem.err)
    assert list(tmp_path.iterdir()) == []
    reg = tmp_path / "bad.csv"
    reg.write_text(BAD, encoding="utf-8")
    for fmt in ("csv", "jsonl", "parquet"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert main(["screen", "--detected-on", "2023-06-01", str(reg), "-o", str(a)]) == 1
        err_a = capsys.readouterr().err.replace(str(a), "OUT")
        assert main(["screen", "--detected-on", "2023-06-01", str(reg), "-o", str(b), "--max-memory", "2GiB"]) == 1
        err_b = capsys.readouterr().err.replace(str(b), "OUT")
        assert err_a == err_b
        assert a.read_bytes() == b.read_bytes() or pl.read_parquet(a).equals(pl.read_parquet(b))
        assert Path(f"{a}.errors.csv").read_text() == Path(f"{b}.errors.csv").read_text()
    # without -o the data errors go to stderr, as in memory
    assert main(["screen", "--detected-on", "2023-06-01", str(reg)]) == 1
    mem = capsys.readouterr()
    assert main(["screen", "--detected-on", "2023-06-01", str(reg), "--shards", "2"]) == 1
    assert capsys.readouterr() == mem
    assert main(["screen", "--detected-on", "2023-06-01", str(reg), "--shards", "0"]) == 2
    assert "shard count 0" in capsys.readouterr().err


def test_empty_register(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(BAD.splitlines()[0] + "\n", encoding="utf-8")
    got = screen_file(path, tmp_path / "o.parquet", shards=2, detected_on=D2022)
    _assert_same(got, screen(path, detected_on=D2022))
    assert got.n_records == 0 and got.n_defects == 0 and not got.errors_output.exists()


def test_register_whose_shard_once_panicked(tmp_path: Path) -> None:
    """A register found by the random test: its second shard's bad records came out of the
    streaming engine in two chunks, and describing them panicked in polars 2.1 (fixed in
    ``load_scanned`` by describing them in one chunk)."""
    path = REPO / "tests" / "fixtures" / "screening_two_chunk_errors.csv"
    for shards in (1, 2, 7):
        got = screen_file(path, tmp_path / f"o{shards}.parquet", shards=shards, detected_on=D2022)
        _assert_same(got, screen(path, detected_on=D2022))


def test_cli_progress_per_shard_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from .test_screening_extras import FakeTTY

    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["screen", "--detected-on", "2023-06-01", str(REGISTER), "-o", str(tmp_path / "o.csv"), "--shards", "3"]) == 0
    text = err.getvalue()
    # sharding + 3 shards + sort and write = 5 stages, then the summary
    assert "[ 1/5]" in text and "[ 5/5] [##########]" in text
    assert "shard 2/3: " in text and "sort and write: 7 potential defect(s)" in text
    assert "screened 21 of 21 record(s)" in text


def test_frame_source_with_shards_and_memory_needs_a_file(tmp_path: Path) -> None:
    """A polars frame is streamed like a file with ``shards=``; ``max_memory`` sizes the shards
    from a file's size, so it needs a file."""
    df = pl.read_csv(REGISTER, infer_schema=False)
    got = screen_file(df.lazy(), tmp_path / "o.parquet", shards=2, detected_on=D2022)
    _assert_same(got, screen(df, detected_on=D2022))
    with pytest.raises(ShardingError, match="needs a register file"):
        screen_file(df, tmp_path / "o.parquet", max_memory="2GiB", detected_on=D2022)
