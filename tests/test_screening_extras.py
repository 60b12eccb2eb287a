"""Extra columns of a register are carried through (issue 5), and the terminal progress of
``osms-defects screen``: stage by stage with counts on a TTY, nothing at all otherwise."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import polars as pl
import pytest

from osms_defects.cli import main
from osms_defects.errors import RegisterError
from osms_defects.screening import DEFECT_COLUMNS, screen

from .conftest import REPO
from .screening_reference import D2022

REGISTER = REPO / "examples" / "register.csv"
# the flagged records of examples/register.csv, worked out from its rows by hand (one per rule,
# two for the duplicate pair): H-002 readmitted 30 days after H-001's discharge (код 4.0), …
FLAGGED = {"H-002", "C-002", "D-002", "S-002", "S-003", "S-004", "P-003"}


def _with_extras(tmp_path: Path) -> Path:
    """examples/register.csv plus two extra columns whose values name the record."""
    df = pl.read_csv(REGISTER, infer_schema=False).with_columns(
        region=pl.format("region-of-{}", pl.col("record_id")),
        claim_ref=pl.format("claim/{}", pl.col("record_id")),
    )
    path = tmp_path / "reg.csv"
    df.write_csv(path)
    return path


def test_extra_columns_follow_the_output_columns_with_the_flagged_records_values(
    tmp_path: Path,
) -> None:
    d = screen(_with_extras(tmp_path), detected_on=D2022).defects
    assert tuple(d.columns) == (*DEFECT_COLUMNS, "region", "claim_ref")
    assert set(d["record_id"]) == FLAGGED
    for r in d.iter_rows(named=True):
        assert r["region"] == f"region-of-{r['record_id']}"
        assert r["claim_ref"] == f"claim/{r['record_id']}"


def test_parquet_extra_columns_keep_their_types(tmp_path: Path) -> None:
    df = pl.read_csv(REGISTER, infer_schema=False).with_columns(
        amount_tiyn=pl.int_range(pl.len(), dtype=pl.Int64) * 100
    )
    pq = tmp_path / "r.parquet"
    df.write_parquet(pq)
    d = screen(pq, detected_on=D2022).defects
    assert d.schema["amount_tiyn"] == pl.Int64
    expected = {rid: i * 100 for i, rid in enumerate(df["record_id"])}
    assert dict(zip(d["record_id"], d["amount_tiyn"], strict=True)) == {
        rid: expected[rid] for rid in d["record_id"]
    }


def test_no_defects_still_has_the_extra_columns() -> None:
    df = pl.read_csv(REGISTER, infer_schema=False).head(1).with_columns(region=pl.lit("x"))
    d = screen(df, detected_on=D2022).defects
    assert d.height == 0 and d.columns[-1] == "region"


@pytest.mark.parametrize("name", ["days", "note", "rule", "evidence_ids", "call_at__raw", "_bad"])
def test_extra_column_clashing_with_an_output_column_is_an_error(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    df = pl.read_csv(REGISTER, infer_schema=False).with_columns(pl.lit("x").alias(name))
    with pytest.raises(RegisterError, match=f"extra column\\(s\\) {name} clash"):
        screen(df, detected_on=D2022)
    path = tmp_path / "r.csv"
    df.write_csv(path)
    assert main(["screen", "--detected-on", "2023-06-01", str(path)]) == 2
    assert f"{name} clash" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_cli_writes_extra_columns_in_every_format(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"hits.{fmt}"
    assert main(["screen", "--detected-on", "2023-06-01", str(_with_extras(tmp_path)), "-o", str(out)]) == 0
    if fmt == "csv":
        got = pl.read_csv(out, infer_schema=False)
    elif fmt == "jsonl":
        got = pl.DataFrame([json.loads(line) for line in out.read_text().splitlines()])
    else:
        got = pl.read_parquet(out)
    assert got.columns[-2:] == ["region", "claim_ref"]
    assert set(got["record_id"]) == FLAGGED
    assert all(
        r == f"region-of-{i}" for r, i in zip(got["region"], got["record_id"], strict=True)
    )


def test_cli_csv_refuses_a_nested_extra_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    df = pl.read_csv(REGISTER, infer_schema=False).with_columns(tags=pl.concat_list(pl.lit("a")))
    pq = tmp_path / "r.parquet"
    df.write_parquet(pq)
    assert main(["screen", "--detected-on", "2023-06-01", str(pq), "--format", "csv"]) == 2
    assert "tags hold nested values" in capsys.readouterr().err
    assert main(["screen", "--detected-on", "2023-06-01", str(pq), "-o", str(tmp_path / "o.jsonl")]) == 0


# ---------------------------------------------------------------- progress on a terminal
class FakeTTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_shows_each_stage_with_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    out = tmp_path / "hits.csv"
    assert main(["screen", "--detected-on", "2023-06-01", str(REGISTER), "-o", str(out)]) == 0
    text = err.getvalue()
    lines = [ln.split("\r")[-1] for ln in text.split("\n")]
    # 1 read + 6 rules + 1 write = 8 stages, numbered, with the counts of examples/register.csv
    assert "[ 1/8]" in text and "[ 8/8] [##########]" in text
    assert any("read and validate: 21 record(s), 0 with data errors" in ln for ln in lines)
    assert any("repeat_hospitalization: 1 potential defect(s)" in ln for ln in lines)
    assert any("duplicate_service: 2 potential defect(s)" in ln for ln in lines)
    assert any(f"write {out}: 7 row(s)" in ln for ln in lines)
    assert "screened 21 of 21 record(s)" in text  # the summary follows


def test_progress_line_is_ended_before_an_error_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    err = FakeTTY()
    monkeypatch.setattr(sys, "stderr", err)
    path = tmp_path / "r.csv"
    pl.read_csv(REGISTER, infer_schema=False).with_columns(days=pl.lit("1")).write_csv(path)
    assert main(["screen", "--detected-on", "2023-06-01", str(path)]) == 2
    text = err.getvalue()
    assert "read and validate …" in text
    last = text.splitlines()[-1]  # the running stage's line was ended first
    assert last.startswith("osms-defects screen: error:") and "days clash" in last


def test_no_progress_when_stderr_is_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["screen", "--detected-on", "2023-06-01", str(REGISTER), "-o", str(tmp_path / "hits.csv")]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "[ 1/" not in err and "read and validate" not in err
    assert err.startswith("detection date 2023-06-01 (given): classifier edition 2022-10-16")
    assert "\nscreened 21 of 21 record(s)" in err


def test_progress_does_not_change_the_result() -> None:
    class Record:
        def __init__(self) -> None:
            self.events: list[tuple[str, str]] = []

        def start(self, stage: str) -> None:
            self.events.append(("start", stage))

        def done(self, stage: str, detail: str) -> None:
            self.events.append(("done", stage))

    rec = Record()
    with_progress = screen(REGISTER, progress=rec, detected_on=D2022)
    assert with_progress.defects.equals(screen(REGISTER, detected_on=D2022).defects)
    assert with_progress.errors.equals(screen(REGISTER, detected_on=D2022).errors)
    extras = pl.read_csv(REGISTER, infer_schema=False).with_columns(region=pl.col("record_id"))
    assert screen(extras, progress=Record(), detected_on=D2022).defects.equals(screen(extras, detected_on=D2022).defects)
    assert rec.events[:2] == [("start", "read and validate"), ("done", "read and validate")]
    assert [s for k, s in rec.events if k == "done"][1:] == list(with_progress.rules.enabled())
