"""The monitoring documents of the 2026 Rules (order No. 68 of 18.07.2025; Прил. 2–5,
shared/sources/monitoring-rules_2026-02-27.ru.txt, cited as ru.txt:<line>) and the choice of the
form by the edition in force on the signing date (reading P11).

Expected values are worked by hand from the printed forms and from the 2026 Annex 1 cells
(ru.txt:351–411): code 5.0 gives "100 КПН/ПН" in гр. 4 (phc_capitation) and "300%" in гр. 5
(specialised_outpatient); code 3.0 "10 КПН/ПН" in гр. 4; 2.0 "0".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from osms_defects.cli import main
from osms_defects.errors import DataFileError, FormEditionError, NoEditionError, ReportInputError
from osms_defects.reports import conclusion_2026 as c26
from osms_defects.reports.conclusion import ConclusionInput, build_conclusion, load_death_conclusion
from osms_defects.reports.conclusion_2026 import (
    ContractConclusionInput,
    build_contract_conclusion,
    load_2026,
)
from osms_defects.reports.editions import check_form_date
from osms_defects.reports.fill import to_html, to_xlsx

from .conftest import REPO, SHARED

RU = SHARED / "sources" / "monitoring-rules_2026-02-27.ru.txt"
EX = REPO / "examples"
EX2, EX3, EX4, EX5 = (EX / f"conclusion_2026_annex{n}.yaml" for n in (2, 3, 4, 5))
OLD2, OLD5 = EX / "conclusion_annex2.yaml", EX / "conclusion_annex5.yaml"


def _line(n: int) -> str:
    return RU.read_text(encoding="utf-8").splitlines()[n - 1]


needs_sources = pytest.mark.skipif(not RU.exists(), reason=f"sources not beside the checkout: {RU}")


# --- the printed texts, verbatim with their source lines -------------------------------------


@needs_sources
def test_item_labels_are_verbatim_in_their_source_lines() -> None:
    for spec in (c26.ANNEX3_ITEMS, c26.ANNEX4_ITEMS, c26.ANNEX5_ITEMS):
        for _, label, line in spec:
            assert label.rstrip(":.") in _line(line), (label, line)
    for text, line in (c26.ANNEX3_RESULTS, c26.ANNEX3_CONCLUSIONS, c26.ANNEX4_RESULTS,
                       c26.ANNEX4_CLAUSES, c26.ANNEX4_CONCLUSIONS, *c26.SIGN_FUND.values(),
                       *c26.SIGN_PROVIDER.values()):
        assert text.rstrip(":") in _line(line), (text, line)
    assert _line(482) == c26.ANNEX3_NOTE
    assert _line(440) == c26.TITLE_REGISTER
    assert _line(448).startswith(c26.TITLE_ANNEX3 + " №")
    assert _line(486).startswith(c26.TITLE_ANNEX4 + " №")
    assert _line(520).startswith(c26.TITLE_ANNEX5 + " №")


@needs_sources
def test_table_headers_are_verbatim() -> None:
    # ru.txt:474 «9. Результаты мониторинга (таблица-бланк): № | … | Сумма выявленного нарушения.»
    assert " | ".join(c26.ANNEX3_RESULT_HEADERS) + ". " + c26.ANNEX3_TOTAL in _line(474)
    # ru.txt:504, with the Latin "C" of «Cумма дефекта» as printed
    assert " | ".join(c26.ANNEX4_RESULT_HEADERS) + ". " + c26.ANNEX4_TOTAL in _line(504)
    assert c26.ANNEX4_RESULT_HEADERS[-1][0] == "C"  # Latin, not Cyrillic «С»
    # ru.txt:506, table 10 has no «№» column: it starts with «№ договора и дата»
    assert " | ".join(c26.ANNEX4_CLAUSE_HEADERS) + ". " + c26.ANNEX4_CLAUSE_TOTAL in _line(506)
    # ru.txt:442, the register's ten columns
    assert _line(442) == "Столбцы таблицы: " + " | ".join(h for _, h in c26.REGISTER_COLUMNS)


def test_headers_hand_typed() -> None:
    # typed from the printed form, not from the code
    assert c26.ANNEX4_CLAUSE_HEADERS == (
        "№ договора и дата", "Неисполненный пункт договора",
        "Описание неисполнения условий договора", "Сумма неустойки")
    assert [h for _, h in c26.REGISTER_COLUMNS][7] == "Стоимость медицинской услуги (помощи)"
    assert [label for _, label, _ in c26.ANNEX3_ITEMS][2:6] == [
        "2.1 ФИО (при его наличии) руководителя",
        "2.2 Бизнес-идентификационный номер (БИН)",
        "2.3 Почтовый адрес поставщика и его производственных баз",
        "2.4 Номер договора закупа услуг с Фондом (включая дополнительные соглашения к договору "
        "закупа услуг) с указанием суммы"]


# --- Прил. 4 --------------------------------------------------------------------------------


def test_annex4_section9_from_the_unplanned_rows_of_item_8() -> None:
    c = load_2026("2026-annex4", EX4)
    assert isinstance(c, c26.ContractConclusion)
    # examples/conclusion_2026_findings.csv, P-AST-007, unplanned, detected 16–18.11.2026
    # (rows 1, 2, 3, 4, 6); row 5 is current monitoring, row 7 detected 25.11 (P10)
    assert [r.record for r in c.results] == ["АК-50101", "АК-50102", "АК-50140", "B02.001.002"]
    assert [r.codes for r in c.results] == ["5.1", "5.2; 3.1", "2.0", "5.1"]
    # 5.1/5.2 in гр. 4: 100 КПН × 1820.50 = 182 050.00; 3.1: 10 КПН × 1820.50 = 18 205.00;
    # 2.0 prints "0"; 5.1 in гр. 5: 300 % × 12 400.00 = 37 200.00
    assert [r.amount for r in c.results] == [
        Decimal("182050.00"), Decimal("200255.00"), Decimal("0.00"), Decimal("37200.00")]
    assert c.total_defects == 5
    assert c.total_amount == Decimal("419505.00")
    assert c.rows_outside_dates == 1
    assert c.total_clauses == 1
    assert c.contract_violations[0].penalty == Decimal("45000.00")
    assert c.monitoring_kind_ru == "внеплановый"


def test_annex4_can_leave_unconfirmed_cases_to_annex3() -> None:
    inp = _annex4_input(section9_unconfirmed="exclude")
    c = build_contract_conclusion(inp, _deductions())
    # without group 5.0: 3.1 of PC-50102 and 2.0 of PC-50140; 5.1, 5.2, 5.1 left out (P12)
    assert [r.codes for r in c.results] == ["3.1", "2.0"]
    assert c.rows_left_out == 3


def test_annex4_html_labels_masking_and_underlined_kind() -> None:
    c = load_2026("2026-annex4", EX4)
    assert isinstance(c, c26.ContractConclusion)
    page = to_html(c)
    for text in ("9. Результаты мониторинга", "Cумма дефекта",
                 "10. Результаты мониторинга договорных обязательств",
                 "ИТОГО, количество неисполненных пунктов договора: 1",
                 "ИТОГО, количество дефектов: 5", "11. Выводы и рекомендации:",
                 "№ 41/7 от 23.11.2026 года", "<u><b>внеплановый</b></u>",
                 "<u>с возражениями</u>", "1. Случай АК-50101"):
        assert text in page, text
    assert "910402500177" not in page and "********0177" in page
    assert "910402500177" in to_html(c, show_iin=True)
    assert "<link" not in page and "src=" not in page


# --- Прил. 3 --------------------------------------------------------------------------------


def test_annex3_takes_only_group_5_rows() -> None:
    c = load_2026("2026-annex3", EX3)
    assert isinstance(c, c26.UnconfirmedConclusion)
    assert [(r.record, r.codes, r.amount) for r in c.results] == [
        ("АК-50101", "5.1", Decimal("182050.00")),
        ("АК-50102", "5.2", Decimal("182050.00")),
        ("B02.001.002", "5.1", Decimal("37200.00")),
    ]
    assert c.total_defects == 3
    assert c.rows_left_out == 2  # 3.1 (row 3) and 2.0 (row 4): Прил. 4's, reading P12
    assert c.contract_sum == Decimal("1250000000.00")
    page = to_html(c)
    for text in ("2.2 Бизнес-идентификационный номер (БИН) <b>990140001234</b>",
                 "ИТОГО, количество нарушений: 3", "Сумма выявленного нарушения",
                 "10. Выводы и рекомендации:", "Примечание: заключение направляется"):
        assert text in page, text


def test_bin_and_money_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    (tmp_path / "conclusion_2026_findings.csv").write_bytes(
        (EX / "conclusion_2026_findings.csv").read_bytes())
    bad.write_text(EX3.read_text(encoding="utf-8").replace('"990140001234"', '"99014000123"'),
                   encoding="utf-8")
    with pytest.raises(DataFileError, match=r"c\.yaml:\d+.*bin"):
        load_2026("2026-annex3", bad)
    bad.write_text(EX3.read_text(encoding="utf-8").replace('"1250000000.00"', "1250000000.5"),
                   encoding="utf-8")
    with pytest.raises(DataFileError, match=r"contract_sum.*written as text"):
        load_2026("2026-annex3", bad)


# --- kinds and editions ---------------------------------------------------------------------


def test_2026_forms_refuse_the_kinds_the_2026_rules_do_not_have() -> None:
    # п. 4 (ru.txt:85–89): текущий, внеплановый only
    with pytest.raises(ValueError, match=r"current.*unplanned"):
        _annex4_input(monitoring_kind="proactive")


def test_annex2_of_2022_for_a_2026_date_names_the_2026_forms() -> None:
    inp = ConclusionInput.model_validate({
        "number": "1", "signed_on": "2026-11-23", "branch": "b", "provider": "p",
        "provider_id": "P1", "care_type": "c", "grounds": "g", "monitoring_kind": "unplanned",
        "staff": [{"name": "n", "position": "p"}], "period": "q", "held_from": "2026-11-16",
        "held_to": "2026-11-18"})
    with pytest.raises(FormEditionError, match=r"'annex2'.*2026-11-23.*'2026'.*2026-annex4"):
        build_conclusion(inp)


def test_2026_form_for_a_2022_date_names_annex2() -> None:
    with pytest.raises(FormEditionError, match=r"2023-05-19.*'2022-10-16'.*annex2.*annex5"):
        build_contract_conclusion(_annex4_input(signed_on="2023-05-19"))


def test_gap_date_raises_no_edition() -> None:
    # 2024-01-14 .. 2025-07-31: orders No. 174 and No. 103, texts not in the sources
    with pytest.raises(NoEditionError):
        check_form_date("2026-annex4", dt.date(2025, 1, 1))
    with pytest.raises(NoEditionError):
        check_form_date("annex2", dt.date(2025, 1, 1))


def test_rows_of_another_edition_are_refused() -> None:
    frame = _deductions().with_columns(pl.lit("2022-10-16").alias("edition"))
    with pytest.raises(ReportInputError, match=r"row 1, edition: '2022-10-16'"):
        build_contract_conclusion(_annex4_input(), frame)


def test_error_rows_are_listed_in_the_annex_not_refused(tmp_path: Path) -> None:
    # issue 20: a deduct output with error rows gives its conclusion; the error rows of the
    # provider and kind in item 8's dates are listed in an annex and counted, never dropped
    good = _deductions()
    frame = good.with_columns(
        pl.when(pl.col("case_id") == "PC-50140").then(pl.lit("error"))
        .otherwise(pl.col("status")).alias("status"),
        pl.when(pl.col("case_id") == "PC-50140").then(pl.lit("base_missing: test"))
        .otherwise(pl.col("error")).alias("error"),
    )
    full = build_contract_conclusion(_annex4_input(), good)
    c = build_contract_conclusion(_annex4_input(), frame)
    n_err = good.filter((pl.col("case_id") == "PC-50140") & (pl.col("monitoring_kind") == "unplanned")
                        & (pl.col("provider_id") == "P-AST-007")).height
    assert len(c.error_rows) == n_err >= 1
    assert {e.case_id for e in c.error_rows} == {"PC-50140"}
    assert "PC-50140" not in {r.record for r in c.results}
    assert c.total_defects == full.total_defects - n_err
    page = to_html(c)
    assert "Приложение: строки с ошибками" in page and "base_missing: test" in page
    out = tmp_path / "c.xlsx"
    to_xlsx(c, out)
    import openpyxl

    wb = openpyxl.load_workbook(out)
    # the annex of error rows is a sheet of its own, after the form's
    assert wb.sheetnames == ["2026-annex4", "Ошибки"]
    texts = [str(x.value) for ws in wb.worksheets for row in ws.iter_rows() for x in row
             if x.value is not None]
    assert "Приложение: строки с ошибками, не включённые в документ" in texts
    assert "base_missing: test" in texts


def test_annex5_2022_needs_a_2022_date(tmp_path: Path) -> None:
    bad = tmp_path / "c5.yaml"
    bad.write_text(OLD5.read_text(encoding="utf-8").replace("2023-05-16", "2026-11-20"),
                   encoding="utf-8")
    with pytest.raises(FormEditionError, match="2026-annex5"):
        load_death_conclusion(bad)
    bad.write_text(OLD5.read_text(encoding="utf-8").replace("signed_on: 2023-05-16\n", ""),
                   encoding="utf-8")
    with pytest.raises(ReportInputError, match="signed_on is missing"):
        load_death_conclusion(bad)


# --- Прил. 5 --------------------------------------------------------------------------------


def test_annex5_2026_has_eight_items_and_patient_data() -> None:
    c = load_2026("2026-annex5", EX5)
    assert isinstance(c, c26.DeathConclusion2026)
    page = to_html(c)
    numbered = [label for _, label, _ in c26.ANNEX5_ITEMS if label[0].isdigit()]
    assert [n.split(".")[0] for n in numbered] == [str(i) for i in range(1, 9)]
    for text in ("5. Данные пациента:", "Дата/время смерти", "02.11.2026 04:35",
                 "Отделение", "8. Рекомендации:", "№ 12/3 от 20.11.2026 года"):
        assert text in page, text
    assert "260614500122" not in page and "********0122" in page


# --- Прил. 2: the register -----------------------------------------------------------------


def test_register_of_unconfirmed_cases() -> None:
    r = load_2026("2026-annex2", EX2)
    assert isinstance(r, c26.UnconfirmedRegister)
    # group 5.0 rows in November: rows 1 (PC-50101), 2 (PC-50102), 5 (PC-50177), 6 (SO-7301)
    assert [x.case_id for x in r.rows] == ["PC-50101", "PC-50102", "PC-50177", "SO-7301"]
    assert [x.detected_on for x in r.rows] == [
        dt.date(2026, 11, 16), dt.date(2026, 11, 16), dt.date(2026, 11, 5), dt.date(2026, 11, 18)]
    # SO-7301 has no cost in 'cases': its 5.1 deducts 300 % of the service's cost, so the
    # base 12 400.00 is that cost (P13)
    assert r.rows[3].cost == Decimal("12400.00")
    assert r.rows_other_codes == 3  # rows 3 (3.1), 4 (2.0), 7 (3.1)
    assert [(e.header, e.empty_rows) for e in r.empty_columns] == [("ID услуги", 1)]
    table = r.table()
    assert table[0][5] == "********0177" and table[2][8] == ""


def test_register_without_particulars_leaves_columns_empty_and_lists_them() -> None:
    inp = c26.RegisterInput.model_validate(
        {"detected_from": "2026-11-01", "detected_to": "2026-11-30"})
    r = c26.build_register(inp, _deductions())
    assert len(r.rows) == 4
    assert {e.header for e in r.empty_columns} == {
        "Регион", "БИН медицинской организации", "Наименование медицинской организации",
        "Номер карты", "Индивидуальный идентификационный номер (ИИН)",
        "Дата оказания услуги (дата выписки)", "Стоимость медицинской услуги (помощи)",
        "ID услуги"}
    cost = next(e for e in r.empty_columns if e.header.startswith("Стоимость"))
    assert cost.empty_rows == 3  # the phc rows deduct in КПН: their base is not a cost


# --- CLI ------------------------------------------------------------------------------------


def _cli(*args: str) -> int:
    return main(["conclusion", *args])


def test_cli_2026_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    x4 = tmp_path / "a4.xlsx"
    assert _cli("2026-annex4", str(EX4), "-o", str(x4)) == 0
    texts = [str(c.value) for row in openpyxl.load_workbook(x4).active.iter_rows()
             for c in row if c.value is not None]
    assert "Cумма дефекта" in texts and "********0177" in texts and "910402500177" not in texts
    assert "Сумма неустойки" in texts
    csv = tmp_path / "r.csv"
    assert _cli("2026-annex2", str(EX2), "-o", str(csv)) == 0
    head = csv.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("№ п/п,Регион,БИН медицинской организации")
    assert "«ID услуги» left empty in 1 row(s)" in capsys.readouterr().err
    assert _cli("2026-annex5", str(EX5), "-o", str(tmp_path / "d.html"), "--show-iin") == 0
    assert "260614500122" in (tmp_path / "d.html").read_text(encoding="utf-8")
    assert _cli("2026-annex3", str(EX3), "-o", str(tmp_path / "c.csv")) == 2  # csv: register only


def test_cli_wrong_edition_says_which_form(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a 2022 input (Прил. 2) signed on a 2026 day
    (tmp_path / "findings.csv").write_bytes((EX / "findings.csv").read_bytes())
    inp = tmp_path / "c.yaml"
    inp.write_text(OLD2.read_text(encoding="utf-8").replace("signed_on: 2023-05-19",
                                                            "signed_on: 2026-11-23"),
                   encoding="utf-8")
    assert _cli("annex2", str(inp)) == 2
    err = capsys.readouterr().err
    assert "2026-annex4" in err and "2026-annex3" in err and "P11" in err
    # a 2026 input given to the 2022 form
    assert _cli("annex2", str(EX4)) == 2
    assert "run 'osms-defects conclusion 2026-annex4" in capsys.readouterr().err


def test_old_forms_still_work(tmp_path: Path) -> None:
    assert _cli("annex2", str(OLD2), "-o", str(tmp_path / "a.html")) == 0
    assert _cli("annex5", str(OLD5), "-o", str(tmp_path / "b.html")) == 0


# --- helpers --------------------------------------------------------------------------------


def _deductions() -> pl.DataFrame:
    from osms_defects import load_classifier
    from osms_defects.deductions import deduct_frame
    from osms_defects.deductions.engine import Resolver

    frame = pl.read_csv(EX / "conclusion_2026_findings.csv", infer_schema=False)
    return deduct_frame(frame, Resolver(load_classifier(), accept_reading="KPN"))


def _annex4_input(**extra: str) -> ContractConclusionInput:
    data: dict[str, object] = {
        "number": "1", "signed_on": "2026-11-23", "branch": "b", "provider": "p",
        "provider_id": "P-AST-007", "care_type": "c", "grounds": "g",
        "monitoring_kind": "unplanned", "staff": [{"name": "n", "position": "p"}],
        "period": "q", "held_from": "2026-11-16", "held_to": "2026-11-18",
        "cases": {c: {"record": c, "iin": "910402500177"}
                  for c in ("PC-50101", "PC-50102", "PC-50140", "SO-7301")},
    }
    data.update(extra)
    return ContractConclusionInput.model_validate(data)


def test_an_error_row_of_the_provider_with_an_unreadable_kind_is_listed_not_dropped() -> None:
    # review: a finding of P-AST-007 detected 17.11.2026 (in item 8's dates 16–18.11) whose
    # monitoring_kind is mistyped («unplaned») or missing is an error row of `deduct`; its kind
    # cannot say that it is not of this unplanned monitoring, so — like an unresolved code
    # (section9.collect_rows) — it is listed in the annex, not dropped unseen (issue 20).
    # A readable other kind (current, 05.11) stays out, as before.
    from osms_defects import load_classifier
    from osms_defects.deductions import deduct_frame
    from osms_defects.deductions.engine import Resolver

    findings = pl.read_csv(EX / "conclusion_2026_findings.csv", infer_schema=False)
    row = findings.row(0, named=True)
    extra = pl.DataFrame([row | {"finding_id": "F-TYPO", "monitoring_kind": "unplaned",
                                 "detected_on": "2026-11-17"},
                          row | {"finding_id": "F-NOKIND", "monitoring_kind": None,
                                 "detected_on": "2026-11-17"},
                          row | {"finding_id": "F-CURRENT", "monitoring_kind": "current",
                                 "base_amount": "x", "detected_on": "2026-11-17"}],
                         schema=findings.schema)
    frame = deduct_frame(pl.concat([findings, extra]),
                         Resolver(load_classifier(), accept_reading="KPN"))
    assert frame.filter(pl.col("status") == "error").height == 3
    c = build_contract_conclusion(_annex4_input(), frame)
    assert [e.finding_id for e in c.error_rows] == ["F-TYPO", "F-NOKIND"]
    assert "F-TYPO" in to_html(c) and "F-NOKIND" in to_html(c)
