"""``osms-defects deduct``: one output row per input row, exit codes 0/1/2, formats."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from osms_defects.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
RESULT = [
    "row",
    "status",
    "amount",
    "basis",
    "factor",
    "edition",
    "reference",
    "remedy_due",
    "error",
    "calendar_provisional",
    "edition_note",
]


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_example_month(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code = main(["deduct", str(EXAMPLES / "findings.csv")])
    out, err = capsysbinary.readouterr()
    rows = _rows(out.decode())
    header = next(csv.reader(io.StringIO(out.decode())))
    src_header = next(csv.reader((EXAMPLES / "findings.csv").open(encoding="utf-8")))
    assert header == [*src_header, *RESULT]
    n_in = sum(1 for _ in csv.DictReader((EXAMPLES / "findings.csv").open(encoding="utf-8")))
    assert len(rows) == n_in and [r["row"] for r in rows] == [str(i) for i in range(1, n_in + 1)]
    assert code == 1  # the example has error rows on purpose
    assert {r["status"] for r in rows} == {"deducted", "recorded", "warning", "error"}
    assert {r["basis"] for r in rows} >= {"KPN", "PN", "KT", "COST", "NONE", "PATIENT_EXPENSES"}
    by_id = {r["finding_id"]: r for r in rows}
    # Прил. 1 код 5.2, гр. 6: 300% × 287 450.00 = 862 350.00 (п. 12, 30)
    assert by_id["F-2023-05-001"]["amount"] == "862350.00"
    # 11.0: the documented expenses in full
    assert by_id["F-2023-05-006"]["amount"] == "23415.70"
    # proactive 6.4 signed 2023-05-19: +45 days = Monday 2023-07-03 (п. 58)
    assert by_id["F-2023-05-016"]["status"] == "warning"
    assert by_id["F-2023-05-016"]["remedy_due"] == "2023-07-03"
    assert by_id["F-2023-05-033"]["error"].startswith("group_not_assignable")
    assert by_id["F-2023-05-033"]["amount"] == ""
    total = sum(Decimal(r["amount"]) for r in rows if r["status"] == "deducted")
    assert "errors 4" in err.decode() and f"total {total} tenge" in err.decode()
    assert by_id["F-2023-05-001"]["expert_note"] == "Выписка без подтверждения в МИС"


def test_clean_example_exits_0(tmp_path: Path) -> None:
    assert (
        main(["deduct", str(EXAMPLES / "findings_clean.csv"), "-o", str(tmp_path / "o.csv")]) == 0
    )


def test_jsonl_and_xlsx_round_trip(tmp_path: Path) -> None:
    src = EXAMPLES / "findings_clean.csv"
    jl = tmp_path / "d.jsonl"
    assert main(["deduct", str(src), "-o", str(jl)]) == 0
    recs = [json.loads(line) for line in jl.read_text(encoding="utf-8").splitlines()]
    assert isinstance(recs[0]["amount"], str) and recs[0]["row"] == 1
    # JSONL findings in, same amounts out
    fin = tmp_path / "f.jsonl"
    df = pl.read_csv(src, infer_schema=False)
    fin.write_text(
        "\n".join(json.dumps({k: v for k, v in r.items() if v is not None}, ensure_ascii=False)
                  for r in df.iter_rows(named=True)),
        encoding="utf-8",
    )  # fmt: skip
    out2 = tmp_path / "d2.csv"
    assert main(["deduct", str(fin), "-o", str(out2)]) == 0
    assert pl.read_csv(out2, infer_schema=False).get_column("amount").to_list() == [
        r["amount"] for r in recs
    ]
    xl = tmp_path / "d.xlsx"
    assert main(["deduct", str(src), "-o", str(xl)]) == 0
    out3 = tmp_path / "d3.csv"
    # the XLSX output read back as findings: result columns clash, so drop them first
    from openpyxl import Workbook, load_workbook

    ws = load_workbook(xl, read_only=True).worksheets[0]
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0][-len(RESULT) :]) == RESULT
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    for v in values:
        sheet.append(list(v[: -len(RESULT)]))
    wb.save(tmp_path / "f.xlsx")
    assert main(["deduct", str(tmp_path / "f.xlsx"), "-o", str(out3)]) == 0
    assert pl.read_csv(out3, infer_schema=False).get_column("amount").to_list() == [
        r["amount"] for r in recs
    ]


def test_case_policy_and_unremedied(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    main(["deduct", str(EXAMPLES / "findings_clean.csv"), "--case-policy", "max_per_case",
          "--unremedied"])  # fmt: skip
    rows = {r["finding_id"]: r for r in _rows(capsysbinary.readouterr().out.decode())}
    # case KS-104512: 5.2 (862 350.00) kept, 6.1 (30% × 287 450.00 = 86 235.00) zeroed
    assert rows["F-2023-05-001"]["amount"] == "862350.00"
    assert (rows["F-2023-05-002"]["status"], rows["F-2023-05-002"]["amount"]) == (
        "recorded",
        "0.00",
    )
    # п. 59: proactive 6.4 unremedied: 15 КПН × 1 487.35 = 22 310.25
    assert (rows["F-2023-05-016"]["status"], rows["F-2023-05-016"]["amount"]) == (
        "deducted",
        "22310.25",
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("code,care_type\n5.2,inpatient\n", "f.csv", "required column"),
        ("", "f.csv", "empty"),
        ("{not json}\n", "f.jsonl", "not a JSON line"),
        ("a,b\n", "f.txt", "cannot tell the format"),
    ],
)
def test_unusable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, name: str, message: str
) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    assert main(["deduct", str(p)]) == 2
    assert message in capsys.readouterr().err


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deduct", "/nonexistent/findings.csv"]) == 2
    assert "no such file" in capsys.readouterr().err


def test_jsonl_numbers_are_read_as_their_text(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    p = tmp_path / "f.jsonl"
    p.write_text(
        '{"code": "6.1", "care_type": "inpatient", "base_amount": 1000.05, '
        '"monitoring_kind": "current", "detected_on": "2023-05-15"}\n',
        encoding="utf-8",
    )
    assert main(["deduct", str(p), "--format", "jsonl"]) == 0
    rec = json.loads(capsysbinary.readouterr().out.decode())
    # 30% × 1000.05 = 300.015 → 300.02 (п. 30, Прил. 1 6.1 гр. 6; D2)
    assert rec["amount"] == "300.02" and rec["base_amount"] == "1000.05"


def test_progress_bar_on_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    from osms_defects.cli import deduct_cmd

    monkeypatch.setattr(deduct_cmd, "CHUNK", 10)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    out = tmp_path / "o.csv"
    assert main(["deduct", str(EXAMPLES / "findings.csv"), "-o", str(out)]) == 1
    import re

    err = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", capsys.readouterr().err)
    assert "36/36 rows" in err  # a rich progress bar (issue 19)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["row"] for r in rows] == [str(i) for i in range(1, 37)]


def test_xlsx_numeric_code_cells_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["code", "care_type", "base_amount", "monitoring_kind", "detected_on"])
    ws.append([6.10, "inpatient", "1000.00", "current", "2023-05-15"])  # Excel keeps 6.1
    wb.save(tmp_path / "f.xlsx")
    assert main(["deduct", str(tmp_path / "f.xlsx")]) == 2
    assert "format the column as text" in capsys.readouterr().err


def test_classifier_option(tmp_path: Path) -> None:
    from osms_defects.resources import data_path

    out = tmp_path / "o.csv"
    args = ["deduct", str(EXAMPLES / "findings_clean.csv"), "-o", str(out)]
    assert main([*args, "--classifier", str(data_path("classifier.yaml"))]) == 0
    assert main([*args, "--classifier", str(tmp_path / "missing.yaml")]) == 2
