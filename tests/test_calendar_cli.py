"""``osms-defects workdays`` and ``osms-defects deadline`` (issue 4, command line)."""

from __future__ import annotations

import json

import pytest

from osms_defects.cli import main


def test_workdays_add_and_count(capsys: pytest.CaptureFixture[str]) -> None:
    # Sat 1 July 2023 is a working day (2023 transfer decree)
    assert main(["workdays", "add", "2023-06-30", "1"]) == 0
    assert capsys.readouterr().out.strip() == "2023-07-01"
    assert main(["workdays", "add", "2026-01-05", "-1"]) == 0
    assert capsys.readouterr().out.strip() == "2025-12-31"
    # June 2024: 20 weekdays, Mon 17 June worked (Kurban Ait on Sunday 16 June)
    assert main(["workdays", "count", "2024-06-01", "2024-06-30"]) == 0
    assert capsys.readouterr().out.strip() == "20"


def test_workdays_list_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workdays", "list", "2024"]) == 0
    out = capsys.readouterr().out
    assert "2024-05-04\tSat\tworking" in out  # the working Saturday of 2024
    assert "2024-03-25\tMon\tday off" in out  # Nauryz 23 March (Sat) moved to Monday
    assert "2024-06-16" not in out  # Kurban Ait on a Sunday changes no working day
    assert "# 249 working days in 2024" in out
    assert main(["workdays", "list", "2024", "--all"]) == 0
    assert "2024-06-16\tSun\tweekend" in capsys.readouterr().out


def test_workdays_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workdays", "add", "2040-01-01", "1"]) == 2
    err = capsys.readouterr().err
    assert "2040-01-01" in err and "outside the covered range" in err
    assert main(["workdays", "--strict-calendar", "add", "2027-01-04", "1"]) == 2
    err = capsys.readouterr().err
    assert "2027-01-04" in err and "2020-01-01 .. 2026-12-31" in err
    with pytest.raises(SystemExit) as exc:
        main(["workdays", "add", "2024-13-01", "1"])
    assert exc.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["workdays", "list", "2019"]) == 2


def test_deadline_command(capsys: pytest.CaptureFixture[str]) -> None:
    # п. 36: received Fri 14 June 2024 → 17, 18, 19 June
    assert main(["deadline", "provider_objection", "2024-06-14", "--edition", "2022"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2024-06-19\tп. 36 Правил")
    assert main(["deadline", "monitoring_report", "2023-Q2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due"] == "2023-07-31" and data["rolled"] is True
    assert data["reference"] == "п. 32, 39 Правил"


def test_deadline_unknown_name_lists_allowed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "objection", "2024-06-14"]) == 2
    err = capsys.readouterr().err
    assert "unknown deadline 'objection'" in err
    for name in ("provider_objection", "proactive_remedy", "monitoring_report"):
        assert name in err
    assert main(["deadline", "provider_objection", "14.06.2024"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main(["deadline", "monitoring_report", "2023-Q7"]) == 2
    assert "YYYY-Q1" in capsys.readouterr().err
