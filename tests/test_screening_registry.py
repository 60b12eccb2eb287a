"""A screening rule is a function, its parameter model and a YAML entry (issue 16, part 5).

The rule registered here (``long_stay``) is a test's own, not shipped: it is registered for the
test and removed after it, and runs end to end through ``screen()`` on a tiny register.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from pydantic import Field

from osms_defects.errors import DataFileError
from osms_defects.resources import data_path
from osms_defects.screening import REGISTER_COLUMNS, load_rules, screen
from osms_defects.screening.registry import RULES, Rule, RuleRegistryError, remove, rule, rule_ids
from osms_defects.screening.rules import RULE_IDS

from .screening_reference import D2022, D2026


class LongStay(Rule):
    """A stay of more than ``max_days`` calendar days (a test rule)."""

    max_days: int = Field(ge=1)


def long_stay(records: pl.LazyFrame, p: LongStay) -> pl.LazyFrame:
    days = (pl.col("discharged_on") - pl.col("admitted_on")).dt.total_days()
    return (
        records.filter(pl.col("record_type") == "hospitalization")
        .with_columns(days=days, event_date=pl.col("admitted_on"))
        .filter(pl.col("days") > p.max_days)
    )


ENTRY = """
  long_stay:
    enabled: true
    max_days: 20
    editions:
      "2022-10-16":
        code: "3.1"
        reference: "test: a stay longer than max_days"
      "2025-08-01":
        code: null
        reason: "test: not in this edition"
      "2026":
        code: "3.1"
        reference: "test: a stay longer than max_days (2026)"
        max_days: 25
"""


@pytest.fixture
def registered() -> Iterator[None]:
    rule("long_stay", params=LongStay)(long_stay)
    try:
        yield
    finally:
        remove("long_stay")


def rules_file(tmp_path: Path, entry: str = ENTRY) -> Path:
    # rules: is the last key of the shipped file: an entry appended to it is one more rule
    text = data_path("screening.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n" + entry
    path = tmp_path / "screening.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def hosp(rid: str, adm: str, dis: str, patient: str) -> dict[str, Any]:
    r: dict[str, Any] = dict.fromkeys(REGISTER_COLUMNS)
    r.update(
        record_id=rid,
        record_type="hospitalization",
        patient_id=patient,
        provider_id="A",
        care_type="inpatient",
        admitted_on=adm,
        discharged_on=dis,
    )
    return r


REGISTER = pl.DataFrame(
    [
        hosp("h1", "2023-01-01", "2023-01-11", "P1"),  # 10 days
        hosp("h2", "2023-01-05", "2023-01-30", "P2"),  # 25 days
        hosp("h3", "2023-02-05", "2023-02-07", "P2"),  # readmission of P2: 6 days after h2
    ],
    schema=dict.fromkeys(REGISTER_COLUMNS, pl.String),
)


def test_a_registered_rule_runs_end_to_end_after_the_shipped_ones(
    registered: None, tmp_path: Path
) -> None:
    assert rule_ids() == (*RULE_IDS, "long_stay")
    res = screen(REGISTER, rules_file(tmp_path), detected_on=D2022)
    assert res.errors.height == 0
    assert res.defects.select("rule", "record_id").rows() == [
        ("repeat_hospitalization", "h3"),
        ("long_stay", "h2"),
    ]
    hit = res.defects.filter(pl.col("rule") == "long_stay").row(0, named=True)
    assert hit["code"] == "3.1" and hit["days"] == 25 and hit["edition"] == "2022-10-16"
    assert hit["reference"] == "test: a stay longer than max_days"
    by_rule = res.by_rule()
    assert by_rule["rule"].to_list()[-1] == "long_stay"
    assert by_rule.row(by_rule.height - 1, named=True)["potential_defects"] == 1


def test_the_editions_own_parameter_overrides_the_rules(registered: None, tmp_path: Path) -> None:
    """2026 sets max_days 25: a 25-day stay is not more than it."""
    res = screen(REGISTER, rules_file(tmp_path), detected_on=D2026)
    assert res.defects.filter(pl.col("rule") == "long_stay").height == 0
    assert res.rules.get("long_stay").model_dump()["max_days"] == 25


def test_a_registered_rule_needs_its_yaml_entry(registered: None) -> None:
    with pytest.raises(DataFileError, match=r"\(rules\.long_stay\): Field required"):
        load_rules(data_path("screening.yaml"))


def test_its_parameters_are_validated_by_its_model(registered: None, tmp_path: Path) -> None:
    bad = ENTRY.replace("max_days: 20", "max_days: 0")
    with pytest.raises(DataFileError, match=r"\(rules\.long_stay\.max_days\): Input should be greater"):
        load_rules(rules_file(tmp_path, bad))
    extra = ENTRY.replace("max_days: 20", "max_days: 20\n    min_days: 1")
    with pytest.raises(DataFileError, match=r"unknown key 'min_days'"):
        load_rules(rules_file(tmp_path, extra))
    missing = ENTRY.replace("    max_days: 20\n", "")
    with pytest.raises(DataFileError, match=r"2022-10-16\.max_days\): rule long_stay, edition 2022-10-16: Field required"):
        load_rules(rules_file(tmp_path, missing))


def test_an_unknown_rule_id_names_the_known_ones_and_its_line(tmp_path: Path) -> None:
    path = rules_file(tmp_path)  # long_stay is not registered here
    line = path.read_text(encoding="utf-8").splitlines().index("  long_stay:") + 1
    with pytest.raises(DataFileError) as err:
        load_rules(path)
    (problem,) = err.value.problems
    # the library locates a key by the start of its value (the entry's first line)
    assert problem.location == f"{path}:{line + 1}"
    assert "unknown rule 'long_stay'" in problem.message
    assert ", ".join(RULE_IDS) in problem.message


def test_a_rule_is_registered_once_with_a_rule_model() -> None:
    with pytest.raises(RuleRegistryError, match="registered already"):
        rule("long_wait_kdu", params=LongStay)(long_stay)

    class Clash(Rule):
        reason: str = "x"

    with pytest.raises(RuleRegistryError, match="reason"):
        rule("clash", params=Clash)(long_stay)
    with pytest.raises(RuleRegistryError, match="subclass"):
        rule("plain", params=int)(long_stay)  # type: ignore[arg-type]
    assert "clash" not in RULES and "plain" not in RULES
