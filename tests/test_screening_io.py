"""Register validation (data errors with their rows), the rules file, the CLI, findings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from osms_defects.cli import main
from osms_defects.errors import DataFileError, RegisterError
from osms_defects.screening import FINDINGS_COLUMNS, load_register, load_rules, screen, to_findings

from .conftest import REPO
from .screening_reference import D2022, D2026

HEADER = (
    "record_id,record_type,patient_id,provider_id,care_type,service_code,service_date,"
    "admitted_on,discharged_on,referred_on,call_at,died_on,death_registered_on\n"
)
BAD = HEADER + (
    "1,service,P1,A,,A01,2023-01-05,,,,,,\n"
    "2,service,P1,A,,A01,2023-1-5,,,,,,\n"
    "3,hospitalization,P1,A,,,,2023-01-10,2023-01-05,,,,\n"
    "4,emergency_call,P1,E,,,,,,,2023-01-05 25:00,,\n"
    "5,death,P1,A,,,,,,,,2023-01-01,\n"
    "6,visit,P1,A,,,,,,,,,\n"
    "7,service,P1,A,,A01,2023-01-05,,,2023-01-06,,,\n"
    "7,service,,A,,,2023-01-05,,,,,,\n"
)


def test_every_bad_record_is_a_data_error_with_its_row(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(BAD, encoding="utf-8")
    reg = load_register(path)
    assert reg.n_records == 8 and reg.records.height == 1 and reg.n_bad_records == 7
    got = {(r["row"], r["field"]) for r in reg.errors.iter_rows(named=True)}
    assert got == {
        (2, "service_date"),  # not ISO
        (3, "discharged_on"),  # discharged before admitted
        (4, "call_at"),  # 25:00
        (5, "death_registered_on"),  # missing for a death
        (6, "record_type"),  # unknown type
        (7, "record_id"),  # id used twice
        (7, "service_date"),  # service before the referral
        (8, "record_id"),
        (8, "patient_id"),  # missing
        (8, "service_code"),  # missing for a service
    }
    msg = reg.errors.filter(pl.col("row") == 6)["message"][0]
    assert "allowed: service, hospitalization, emergency_call, death" in msg


def test_missing_key_column_and_unknown_format_are_register_errors(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("record_id,record_type\n1,service\n", encoding="utf-8")
    with pytest.raises(RegisterError, match="patient_id, provider_id"):
        load_register(path)
    other = tmp_path / "r.xlsx"
    other.write_bytes(b"")
    with pytest.raises(RegisterError, match="unknown register format"):
        load_register(other)


def test_parquet_and_csv_give_the_same_result(tmp_path: Path) -> None:
    src = REPO / "examples" / "register.csv"
    pq = tmp_path / "r.parquet"
    pl.read_csv(src, infer_schema=False).write_parquet(pq)
    assert screen(src, detected_on=D2022).defects.equals(screen(pq, detected_on=D2022).defects)


def test_rules_file_unknown_key_is_reported_with_line(tmp_path: Path) -> None:
    text = (REPO / "data" / "screening.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "s.yaml"
    bad.write_text(text.replace("    window_hours: 24\n", "    window_hours: 24\n    window_hourz: 1\n"))
    with pytest.raises(DataFileError) as exc:
        load_rules(bad)
    assert "window_hourz" in str(exc.value) and "s.yaml:" in str(exc.value)


@pytest.mark.parametrize(("on", "cite"), [(D2022, "п. 11, 45"), (D2026, "п. 13")])
def test_every_rule_cites_its_source(on: dt.date, cite: str) -> None:
    rules = load_rules().in_force(on)
    for rid in rules.enabled():
        rule = rules.get(rid)
        assert f"код {rule.code}" in rule.reference
    for na in rules.not_applicable:
        assert na.reason
    assert cite in rules.note


def test_cli_writes_defects_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = tmp_path / "r.csv"
    reg.write_text(BAD, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["screen", "--detected-on", "2023-06-01", str(reg), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "data error(s) in 7 record(s)" in err
    errors = pl.read_csv(f"{out}.errors.csv")
    assert errors.height == 10
    assert main(["screen", "--detected-on", "2023-06-01", str(REPO / "examples" / "register.csv"), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "potential defect(s)" in captured.err and "код 4.0" in captured.err
    assert captured.out.startswith("rule,code,record_id,evidence_ids")
    pq = tmp_path / "o.parquet"
    assert main(["screen", "--detected-on", "2023-06-01", str(REPO / "examples" / "register.csv"), "-o", str(pq)]) == 0
    assert pl.read_parquet(pq).height == 7


def test_confirmed_defects_become_deduct_findings() -> None:
    res = screen(REPO / "examples" / "register.csv", detected_on=D2022)
    confirmed = res.defects.filter(pl.col("rule") == "repeat_hospitalization")
    f = to_findings(confirmed, detected_on=dt.date(2023, 4, 1))
    assert tuple(f.columns) == FINDINGS_COLUMNS
    row = f.row(0, named=True)
    assert row["finding_id"] == "repeat_hospitalization:H-002"
    assert row["case_id"] == "H-002" and row["code"] == "4.0" and row["care_type"] == "inpatient"
    assert row["base_amount"] is None  # a person fills it in
    assert row["monitoring_kind"] == "current" and row["detected_on"] == "2023-04-01"


def test_id_hash_collisions_are_settled_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shared-id check first counts records per 64-bit hash of the id; a distinct id that
    merely shares a hash must not become a data error. With a hash that collides for every
    record (a constant), every record is pre-marked, and the result must still be exactly the
    one of the real check: same records, same errors, same potential defects."""
    from osms_defects.screening import register as reg_module

    path = tmp_path / "r.csv"
    path.write_text(BAD, encoding="utf-8")
    sources = [path, REPO / "examples" / "register.csv"]
    expected = [(load_register(s), screen(s, detected_on=D2022)) for s in sources]
    monkeypatch.setattr(reg_module, "id_hash", lambda: pl.lit(0, dtype=pl.UInt64))
    for src, (reg, res) in zip(sources, expected, strict=True):
        got = load_register(src)
        assert got.records.equals(reg.records) and got.errors.equals(reg.errors)
        assert got.n_records == reg.n_records and got.n_bad_records == reg.n_bad_records
        assert screen(src, detected_on=D2022).defects.equals(res.defects)


def test_screen_lazy_gives_the_rows_of_screen() -> None:
    """The public lazy plan (one plan of every rule, for a caller's own engine) and ``screen()``
    (rules collected one at a time) give the same potential defects, row for row."""
    from osms_defects.screening import rules_in_force, screen_lazy

    path = REPO / "examples" / "register.csv"
    rules = rules_in_force(None, D2022)
    lazy_defects, lazy_errors = screen_lazy(load_register(path).records.lazy(), rules)
    res = screen(path, rules)
    defects = lazy_defects.collect(engine="streaming")
    assert defects.height > 0
    # screen() gives the output columns their declared types; the rows must be the same
    assert defects.cast(dict(res.defects.schema)).equals(res.defects)
    assert lazy_errors.collect().height == 0 and res.errors.height == 0
