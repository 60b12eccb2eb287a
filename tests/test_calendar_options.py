"""``--calendar-file`` and ``--strict-calendar`` on every command that takes a date, and the
provisional mark in their outputs (docs/calendar.md, "Coverage")."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from osms_defects.cli import main

from .conftest import REPO

FICTITIOUS = REPO / "examples" / "calendar_2027_fictitious.yaml"
MISSING = "no-such-calendar.yaml"
FIX = REPO / "tests" / "fixtures"

#: one valid call of every command; the calendar options are added to it
COMMANDS: dict[str, list[str]] = {
    "workdays": ["workdays", "add", "2026-06-01", "1"],
    "deadline": ["deadline", "potential_defect_objection", "2026-06-01"],
    "deduct": ["deduct", str(REPO / "examples" / "findings_clean.csv")],
    "screen": ["screen", str(REPO / "examples" / "register.csv"), "--detected-on", "2023-06-01"],
    "sample": ["sample", "--services", "{services}", "--visit-on", "2023-04-01", "--seed", "5"],
    "report": [
        "report", "annex3", "--period", "2023-H1", "--deductions",
        str(FIX / "reports_deductions.csv"), "--contracts", str(FIX / "reports_contracts.csv"),
    ],
    "conclusion": [
        "conclusion", "annex2", str(REPO / "examples" / "conclusion_annex2.yaml"), "-o", "{out}",
    ],
}  # fmt: skip


def _args(name: str, tmp_path: Path) -> list[str]:
    services = tmp_path / "services.csv"
    services.write_text(
        "record_id,record_type,patient_id,provider_id,care_type,service_code,service_date\n"
        "R1,service,X1,P1,inpatient,A01,2023-03-01\nR2,service,X2,P1,inpatient,A01,2023-03-01\n",
        encoding="utf-8",
    )
    out = str(tmp_path / "c.html")
    return [a.format(services=services, out=out) for a in COMMANDS[name]]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_takes_the_calendar_file(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = _args(name, tmp_path)
    # a missing file is unusable input (exit 2) naming the file: the option is read
    assert main([*args, "--calendar-file", str(tmp_path / MISSING)]) == 2
    assert MISSING in capsys.readouterr().err
    # the environment variable is read the same way
    monkeypatch.setenv("OSMS_DEFECTS_CALENDAR", str(tmp_path / MISSING))
    assert main(args) == 2
    assert MISSING in capsys.readouterr().err
    monkeypatch.delenv("OSMS_DEFECTS_CALENDAR")
    # a good file and the strict option are accepted
    assert main([*args, "--calendar-file", str(FICTITIOUS), "--strict-calendar"]) in (0, 1)


def test_deadline_cli_provisional_then_final(capsys: pytest.CaptureFixture[str]) -> None:
    # п. 26 (2026) from Monday 28.12.2026: 29, 30, 31 December (1–3); 1 January (Friday),
    # 2 January (Saturday) moved to Monday 4 January, 5 (4), 6 (5) → 2027-01-06
    args = ["deadline", "potential_defect_objection", "2026-12-28", "--json"]
    assert main(args) == 0
    captured = capsys.readouterr()
    got = json.loads(captured.out)
    assert got["due"] == "2027-01-06" and got["calendar_provisional"] is True
    assert "2027" in got["calendar_note"] and "provisional calendar" in captured.err
    assert [d["name"] for d in got["days_off"] if d["date"] == "2027-01-04"] == [
        "Новый год (перенесённый выходной день)"
    ]
    assert main([*args, "--calendar-file", str(FICTITIOUS)]) == 0
    captured = capsys.readouterr()
    final = json.loads(captured.out)
    assert final["due"] == "2027-01-06" and final["calendar_provisional"] is False
    assert "provisional" not in captured.err
    assert main([*args, "--strict-calendar"]) == 2
    assert "2026-12-31" in capsys.readouterr().err


def test_timeline_json_has_the_mark(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", "--timeline", "2027-03-12", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["calendar_provisional"] is True and got["steps"][0]["calendar_provisional"]
    assert got["steps"][0]["due"] == "2027-03-25"  # п. 26: see test_calendar_coverage


def test_deduct_remedy_date_in_2027(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # п. 58: signed 01.12.2026, 45 calendar days → Friday 15.01.2027 (a working day)
    src = tmp_path / "f.csv"
    src.write_text(
        "finding_id,code,care_type,base_amount,monitoring_kind,detected_on,conclusion_signed_on\n"
        "F1,6.1,inpatient,1000.00,proactive,2023-05-15,2026-12-01\n"
        "F2,6.1,inpatient,1000.00,proactive,2023-05-15,2023-05-20\n",
        encoding="utf-8",
    )
    out = tmp_path / "d.jsonl"
    assert main(["deduct", str(src), "-o", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["remedy_due"] for r in rows] == ["2027-01-15", "2023-07-04"]
    assert [r["calendar_provisional"] for r in rows] == [True, False]
    assert "1 result(s) use a provisional calendar" in capsys.readouterr().err
    assert main(["deduct", str(src), "-o", str(out), "--calendar-file", str(FICTITIOUS)]) == 0
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["calendar_provisional"] for r in rows] == [False, False]
    # strict: the 2027 date is refused in its row (exit 1: a row is an error), nothing lost
    assert main(["deduct", str(src), "-o", str(out), "--strict-calendar"]) == 1
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["status"] for r in rows] == ["error", "warning"]
    assert rows[0]["error"].startswith("calendar_range")


def test_screen_long_wait_into_2027(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Прил. 1 (2026), код 7.0: referral Tue 01.12.2026, service Wed 20.01.2027 — working days
    # after the referral: 2–4, 7–11, 14–15 Dec (10), 16 Dec off (Independence Day), 17–18
    # (12), 21–25 (17), 28–31 (21); 1, 2 (Sat) and 4 January off, 5–6 (23), 7 off (Orthodox
    # Christmas), 8 (24), 11–15 (29), 18–20 (32) > 15: a long wait, counted partly in 2027
    reg = tmp_path / "r.csv"
    cols = (
        "record_id,record_type,patient_id,provider_id,care_type,service_code,service_date,"
        "admitted_on,discharged_on,referred_on,call_at,died_on,registered_on"
    )
    reg.write_text(
        cols + "\nS1,service,P1,A,outpatient,K01,2027-01-20,,,2026-12-01,,,\n", encoding="utf-8"
    )
    out = tmp_path / "d.csv"
    args = ["screen", str(reg), "--detected-on", "2026-12-07", "-o", str(out)]
    assert main(args) == 0
    text = out.read_text(encoding="utf-8")
    assert "long_wait_kdu" in text and ",32," in text and ",true" in text and "2027" in text
    assert "provisional calendar" in capsys.readouterr().err
    assert main([*args, "--calendar-file", str(FICTITIOUS)]) == 0
    assert ",false" in out.read_text(encoding="utf-8")
