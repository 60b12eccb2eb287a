"""Conclusions of Прил. 2 (п. 13, 31) and Прил. 5 (п. 74)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import polars as pl
import pytest

from osms_defects.cli import main
from osms_defects.errors import DataFileError, ReportInputError
from osms_defects.reports.conclusion import (
    ConclusionInput,
    build_conclusion,
    load_conclusion,
    load_death_conclusion,
)
from osms_defects.reports.fill import to_html

REPO = Path(__file__).resolve().parents[1]
EX2 = REPO / "examples" / "conclusion_annex2.yaml"
EX5 = REPO / "examples" / "conclusion_annex5.yaml"


def test_annex2_sections_from_deductions() -> None:
    c = load_conclusion(EX2)
    # P-ALM-001, proactive, 17.05.2023: six findings in examples/findings.csv (rows 16–21), one
    # case each; п. 54: only 3.1, 5.2 and 8.1 deduct money, 6.4, 6.7 and 2.3 are recorded (0.00)
    assert [r.record for r in c.results] == [
        "АК-88150", "АК-88151", "B02.001.002", "B03.014.001", "АК-88152", "АК-88153"]
    assert [d.code for r in c.results for d in r.defects] == ["6.4", "6.7", "5.2", "3.1", "8.1", "2.3"]
    amounts = {d.code: d.amount for r in c.results for d in r.defects}
    assert amounts["6.4"] == amounts["6.7"] == amounts["2.3"] == 0
    assert amounts["3.1"] == 7800  # 100 % of the service's cost 7 800.00 (гр. 5)
    assert c.total_defects == 6
    assert c.total_clauses == 1
    assert c.monitoring_kind_ru == "проактивный"
    assert c.follow_up is not None and c.follow_up.total_defects == 1
    assert c.follow_up.total_clauses == 0  # the clause was remedied


def test_html_masks_iin_unless_asked() -> None:
    c = load_conclusion(EX2)
    masked = to_html(c)
    assert "910402500177" not in masked and "********0177" in masked
    assert "910402500177" in to_html(c, show_iin=True)
    assert "<link" not in masked and "src=" not in masked  # no external assets
    for label in ("1. Наименование филиала фонда", "9. Результаты мониторинга:",
                  "10. Результаты мониторинга договорных обязательств:",
                  "12. Результат мониторинга после 45 дней", "ИТОГО, количество дефектов: 6"):
        assert label in masked


def test_bad_iin_in_input_names_line(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    text = EX2.read_text(encoding="utf-8").replace("910402500177", "910402500178")
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"c\.yaml:\d+.*cases\.AP-88150\.iin.*wrong check digit"):
        load_conclusion(bad)


def test_unknown_key_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text(EX5.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="unknown key 'colour'"):
        load_death_conclusion(bad)


def test_follow_up_only_for_proactive() -> None:
    inp = ConclusionInput.model_validate({
        "number": "1", "signed_on": "2023-05-01", "branch": "b", "provider": "p",
        "provider_id": "P1", "care_type": "c", "grounds": "g", "monitoring_kind": "unplanned",
        "staff": [{"name": "n", "position": "p"}], "period": "q", "held_from": "2023-04-01",
        "held_to": "2023-04-05", "follow_up": {"clauses": [{"clause": "x", "remedied": False}]},
    })
    with pytest.raises(ReportInputError, match="only for proactive"):
        build_conclusion(inp)


def test_annex5_seven_items() -> None:
    c = load_death_conclusion(EX5)
    page = to_html(c)
    for n in range(1, 8):
        assert f'<p class="field">{n}. ' in page
    assert "560718300396" not in page and "********0396" in page


def test_cli_conclusion(tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    assert main(["conclusion", "annex2", str(EX2), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out).active
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert "9. Результаты мониторинга:" in texts and "********0177" in texts
    html_out = tmp_path / "c5.html"
    assert main(["conclusion", "annex5", str(EX5), "-o", str(html_out), "--show-iin"]) == 0
    assert "560718300396" in html_out.read_text(encoding="utf-8")
    assert main(["conclusion", "annex5", str(EX5), "-o", str(tmp_path / "c.pdf")]) == 2


def test_repr_html() -> None:
    assert "9. Результаты мониторинга" in load_conclusion(EX2)._repr_html_()
    assert "7. Рекомендации" in load_death_conclusion(EX5)._repr_html_()


def _annex2_input(held_from: str, held_to: str, **extra: str) -> ConclusionInput:
    return ConclusionInput.model_validate({
        "number": "7", "signed_on": "2023-05-12", "branch": "b", "provider": "p",
        "provider_id": "P-ALM-014", "care_type": "c", "grounds": "g",
        "monitoring_kind": "unplanned", "staff": [{"name": "n", "position": "p"}],
        "period": "II квартал 2023", "held_from": held_from, "held_to": held_to,
        "cases": {c: {"record": c, "iin": "910402500177"} for c in ("KS-105020", "KS-105388")},
        **extra,
    })


def _deductions_of_findings() -> pl.DataFrame:
    from osms_defects.deductions import deduct_frame

    return deduct_frame(pl.read_csv(REPO / "examples" / "findings.csv", infer_schema=False))


def test_section9_takes_the_rows_detected_during_the_monitoring() -> None:
    # Прил. 2, item 8 «Сроки проведения мониторинга» and section 9 (reading P10): P-ALM-014 has
    # two unplanned findings in findings.csv, detected 10.05 (KS-105020, code 4.0) and 11.05
    # (KS-105388, code 11.0); an unplanned monitoring held on 10.05.2023 alone found the first.
    c = build_conclusion(_annex2_input("2023-05-10", "2023-05-10"), _deductions_of_findings())
    assert [r.record for r in c.results] == ["KS-105020"]
    assert c.rows_outside_dates == 1
    both = build_conclusion(_annex2_input("2023-05-10", "2023-05-11"), _deductions_of_findings())
    assert [r.record for r in both.results] == ["KS-105020", "KS-105388"]
    assert both.rows_outside_dates == 0


def test_section9_rows_all_is_the_documented_option() -> None:
    c = build_conclusion(
        _annex2_input("2023-05-10", "2023-05-10", section9_rows="all"), _deductions_of_findings()
    )
    assert [r.record for r in c.results] == ["KS-105020", "KS-105388"]
    assert c.rows_outside_dates == 0


def test_section9_bad_detected_on_names_the_row() -> None:
    frame = _deductions_of_findings().with_columns(
        pl.when(pl.col("finding_id") == "F-2023-05-006").then(pl.lit("11.05.2023"))
        .otherwise(pl.col("detected_on")).alias("detected_on")
    )
    with pytest.raises(ReportInputError, match=r"row 6, detected_on: '11\.05\.2023' is not a date"):
        build_conclusion(_annex2_input("2023-05-10", "2023-05-11"), frame)


def test_cli_says_how_many_rows_were_outside_the_dates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = EX2.read_text(encoding="utf-8").replace("held_to: 2023-05-19", "held_to: 2023-05-17")
    (tmp_path / "findings.csv").write_bytes((REPO / "examples" / "findings.csv").read_bytes())
    inp = tmp_path / "c.yaml"
    inp.write_text(text.replace("held_from: 2023-05-17", "held_from: 2023-05-18"), encoding="utf-8")
    # held 18.05–17.05 is refused outright (item 8: from ≤ to)
    assert main(["conclusion", "annex2", str(inp), "-o", str(tmp_path / "x.html")]) == 2
    inp.write_text(text.replace("held_from: 2023-05-17", "held_from: 2023-05-16")
                   .replace("held_to: 2023-05-17", "held_to: 2023-05-16"), encoding="utf-8")
    assert main(["conclusion", "annex2", str(inp), "-o", str(tmp_path / "x.html")]) == 0
    # the six proactive findings of P-ALM-001 were detected on 17.05, after a visit of 16.05
    assert "6 row(s)" in capsys.readouterr().err
