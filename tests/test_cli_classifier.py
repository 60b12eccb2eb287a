"""The command line for the classifier: table, stable JSON, YAML, JSON Schema, help."""

from __future__ import annotations

import json

import pytest

from osms_defects.cli import build_parser, main


def test_json_format_is_stable_and_resolved(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classifier", "--on", "2023-05-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "osms-defects/classifier-edition" and data["version"] == 1
    assert data["edition"]["in_force"] == {
        "from": "2022-10-16",
        "to": "2024-01-13",
        "reference": data["edition"]["in_force"]["reference"],
    }
    row = next(d for d in data["defects"] if d["code"] == "5.2")
    # Прил. 1: 5.2 "+" in column 6 under group 5.0 "300%" → basis COST, factor "3" as a string.
    assert row["penalties"]["inpatient"] == {
        "status": "penalty",
        "basis": "COST",
        "factor": "3",
        "printed": "300%",
        "amount_code": "5.0",
        "reference": "Прил. 1, код 5.2 (сумма группы 5.0), гр. 6",
    }
    assert row["penalties"]["ambulatory_capitation"]["status"] == "not_applicable"


def test_table_and_yaml(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classifier", "--on", "2023-05-01"]) == 0
    out = capsys.readouterr().out
    assert "4.." in out and "300%" in out
    assert main(["classifier", "--on", "2023-05-01", "--format", "yaml"]) == 0
    assert "row: 4.." in capsys.readouterr().out


def test_date_outside_coverage_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classifier", "--on", "2021-01-01"]) == 2
    assert "no classifier edition is in force on 2021-01-01" in capsys.readouterr().err


def test_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["classifier", "--on", "01.05.2023"])
    assert info.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classifier", "--json-schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["editions"]["type"] == "array"
    assert schema["$defs"]["DefectRow"]["additionalProperties"] is False


def test_help_is_complete() -> None:
    parser = build_parser()
    text = parser.format_help()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        assert name in text
        assert p.description, f"subcommand {name} has no description"
        for action in p._actions:
            assert action.help, f"{name}: option {action.dest} has no help"
