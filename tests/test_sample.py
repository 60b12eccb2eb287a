"""The proactive sample of п. 61 (and the refusal of п. 55)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osms_defects.cli import main
from osms_defects.errors import MonitoringNotAllowedError, SampleError
from osms_defects.reports.sample import draw_sample, sample_size


def services(counts: dict[str, int], provider: str = "P1") -> pl.DataFrame:
    rows = [
        {"record_id": f"{ct}-{i:05d}", "record_type": "service", "patient_id": f"X{i}",
         "provider_id": provider, "care_type": ct, "service_code": "A01", "service_date": "2023-03-01"}
        for ct, n in counts.items() for i in range(n)
    ]
    return pl.DataFrame(rows)


@pytest.mark.parametrize(
    ("n", "rate", "size"),
    [
        (95, 10, 10),  # 9.5 → at least 10 % means 10 (п. 61 «не менее»)
        (100, 10, 10),
        (101, 10, 11),  # 10.1 → 11
        (95, 5, 5),  # 4.75 → 5
        (20, 5, 1),
        (1, 5, 1),  # one service: it is monitored
        (0, 10, 0),
    ],
)
def test_sample_size_hand_worked(n: int, rate: int, size: int) -> None:
    assert sample_size(n, rate) == size


def test_first_and_second_half_year() -> None:
    df = services({"inpatient": 95, "ambulatory_service": 40})
    first = draw_sample(df, date(2023, 6, 30), seed=1)
    assert first.rate_percent == 10
    assert {p.stratum: p.size for p in first.strata} == {"ambulatory_service": 4, "inpatient": 10}
    second = draw_sample(df, date(2023, 7, 1), seed=1)
    assert second.rate_percent == 5
    assert {p.stratum: p.size for p in second.strata} == {"ambulatory_service": 2, "inpatient": 5}
    assert second.frame.height == 7


def test_reproducible_and_order_independent() -> None:
    df = services({"inpatient": 300, "emergency": 50})
    a = draw_sample(df, date(2023, 3, 1), seed=42).frame
    b = draw_sample(df.sample(fraction=1.0, shuffle=True, seed=7), date(2023, 3, 1), seed=42).frame
    assert a.equals(b)
    c = draw_sample(df, date(2023, 3, 1), seed=43).frame
    assert not a.equals(c)
    assert a.columns == ["record_id", "stratum"]


def test_death_rows_are_not_services() -> None:
    df = pl.concat([services({"inpatient": 10}), pl.DataFrame([{
        "record_id": "D1", "record_type": "death", "patient_id": "X", "provider_id": "P1",
        "care_type": "inpatient", "service_code": "", "service_date": ""}])])
    s = draw_sample(df, date(2023, 1, 10), seed=0)
    assert s.strata[0].population == 10 and "D1" not in s.frame["record_id"].to_list()


def test_exempt_provider_refused_unless_exception() -> None:
    df = services({"inpatient": 10})
    with pytest.raises(MonitoringNotAllowedError, match=r"п\. 55"):
        draw_sample(df, date(2023, 1, 10), seed=0, accreditations=["JCI"])
    ok = draw_sample(df, date(2023, 1, 10), seed=0, accreditations=["JCI"], exception="first_contract")
    assert ok.frame.height == 1


def test_errors_name_rows() -> None:
    df = services({"inpatient": 3}).with_columns(pl.lit("visit").alias("record_type"))
    with pytest.raises(SampleError, match=r"row 1, record_type: 'visit'"):
        draw_sample(df, date(2023, 1, 10), seed=0)
    two = pl.concat([services({"inpatient": 3}, "P1"), services({"emergency": 3}, "P2")])
    with pytest.raises(SampleError, match="2 providers"):
        draw_sample(two, date(2023, 1, 10), seed=0)
    assert draw_sample(two, date(2023, 1, 10), seed=0, provider_id="P2").frame.height == 1


@settings(max_examples=30, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["inpatient", "emergency", "rural", "hiv"]),
                    st.integers(min_value=1, max_value=250), min_size=1),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=2**32),
)
def test_property_size_is_ceil_rate_per_stratum(counts: dict[str, int], month: int, seed: int) -> None:
    s = draw_sample(services(counts), date(2023, month, 1), seed=seed)
    rate = 10 if month <= 6 else 5
    got = s.frame.group_by("stratum").len()
    sizes = dict(zip(got["stratum"].to_list(), got["len"].to_list(), strict=True))
    for ct, n in counts.items():
        expected = -(-n * rate // 100)
        assert sizes.get(ct, 0) == expected
        assert expected * 100 >= rate * n and (expected - 1) * 100 < rate * n
    assert s.frame["record_id"].is_unique().all()


def test_cli_sample(tmp_path: Path) -> None:
    src = tmp_path / "services.csv"
    services({"inpatient": 95}).write_csv(src)
    out = tmp_path / "s.jsonl"
    assert main(["sample", "--services", str(src), "--visit-on", "2023-04-01", "--seed", "5",
                 "-o", str(out), "--format", "jsonl"]) == 0
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(lines) == 10 and set(lines[0]) == {"record_id", "stratum"}
    assert main(["sample", "--services", str(src), "--visit-on", "2023-04-01", "--seed", "5",
                 "--accreditation", "JCI"]) == 2


# --- the sample follows the edition in force (issue 16) -------------------------------------


def test_sample_refuses_an_edition_without_proactive_monitoring() -> None:
    # the Rules as set out by order No. 68 (2025 and 2026 editions), п. 4: «1) текущий;
    # 2) внеплановый» — no proactive monitoring, so no п. 61 sample
    from osms_defects.errors import EditionGapError

    df = services({"inpatient": 20})
    for visit in (date(2026, 5, 15), date(2025, 9, 1)):
        with pytest.raises(SampleError, match=r"no proactive monitoring.*п\. 4.*2022-10-16"):
            draw_sample(df, visit, seed=1)
    # 2025-05-15 is in the gap of orders No. 174 and No. 103: refused like everywhere
    with pytest.raises(EditionGapError):
        draw_sample(df, date(2025, 5, 15), seed=1)
    # the caller may name the 2022 edition (its п. 61: 5 % in the second half-year)
    s = draw_sample(df, date(2025, 9, 1), seed=1, edition="2022")
    assert s.rate_percent == 5 and s.reference.startswith("п. 61")


def test_cli_sample_follows_the_edition(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "services.csv"
    services({"inpatient": 20}).write_csv(src)
    assert main(["sample", "--services", str(src), "--visit-on", "2026-05-15", "--seed", "5"]) == 2
    assert "no proactive monitoring" in capsys.readouterr().err
    assert main(["sample", "--services", str(src), "--visit-on", "2025-05-15", "--seed", "5"]) == 2
    assert "174" in capsys.readouterr().err
