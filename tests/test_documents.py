"""The document model and its two renderers (issue 20): every form is composed from its data
file into one model; one HTML renderer (Jinja2, autoescaped) and one XLSX renderer walk it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from osms_defects.cli import main
from osms_defects.errors import UnknownLanguageError
from osms_defects.reports.conclusion import load_conclusion
from osms_defects.reports.conclusion_2026 import ContractConclusion, load_2026
from osms_defects.reports.document import Field, Para, Section, Table
from osms_defects.reports.fill import document, to_html, to_xlsx
from osms_defects.reports.layout import FormFile, form_spec

EX = Path(__file__).resolve().parents[1] / "examples"
NBSP = "\u00a0"


def _annex4() -> ContractConclusion:
    c = load_2026("2026-annex4", EX / "conclusion_2026_annex4.yaml")
    assert isinstance(c, ContractConclusion)
    return c


def test_the_document_of_annex4_in_kazakh_follows_the_printed_order() -> None:
    doc = document(_annex4(), lang="kk")
    paras = [b for b in doc.blocks if isinstance(b, Para)]
    # Прил. 4 (kk.txt:482, 484): the annex line, then the title
    assert paras[0].style == "caption" and paras[0].text.endswith("4-қосымша")
    assert paras[1].style == "title"
    assert paras[1].text == "Сатып алу шарты талаптарының орындалу мониторингі бойынша қорытынды"
    fields = [b for b in doc.blocks if isinstance(b, Field)]
    assert [f.label.split(".")[0] for f in fields] == [str(i) for i in range(1, 9)]
    # item 5 «текущий, внеплановый (нужное подчеркнуть)»: the chosen kind underlined
    (kind,) = [f for f in fields if f.label.startswith("5.")]
    underlined = [r.text for r in kind.values[0] if r.underline]
    assert underlined == ["жоспардан тыс"]  # внеплановый, kk.txt:494
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 2  # section 9 and section 10
    # kk.txt:502 «БАРЛЫҒЫ, ақаулардың саны: _____» (lower case, as printed)
    assert tables[0].total_line == "БАРЛЫҒЫ, ақаулардың саны: 5"


def test_html_autoescapes_every_text_of_the_input(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    text = (EX / "conclusion_2026_annex4.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace(
        "conclusions:\n", "conclusions:\n  - \"<script>alert('x')</script> & <b>bold</b>\"\n", 1),
        encoding="utf-8")
    for c in (tmp_path / "conclusion_2026_findings.csv",):
        c.write_bytes((EX / c.name).read_bytes())
    page = to_html(load_2026("2026-annex4", bad))
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_money_and_dates_as_a_russian_or_kazakh_reader_expects() -> None:
    # examples/conclusion_2026_annex4.yaml, section 9 row 1: 5.1, 100 КПН × 1820.50 = 182 050.00
    # (Прил. 1 of 2026, код 5.1); discharge 06.10.2026
    for lang in ("ru", "kk"):
        page = to_html(_annex4(), lang=lang)
        assert f"182{NBSP}050,00" in page and "06.10.2026" in page
        assert "182050.00" not in page and "182,050.00" not in page


def test_workbook_keeps_amounts_and_dates_typed_and_prints_on_a4(tmp_path: Path) -> None:
    out = tmp_path / "a4.xlsx"
    to_xlsx(_annex4(), out)
    ws = openpyxl.load_workbook(out).active
    amounts = {c.value: c.number_format for row in ws.iter_rows() for c in row
               if isinstance(c.value, float | int) and not isinstance(c.value, bool)}
    # the same amount, a number in the cell (a spreadsheet sums it), shown with two decimals
    assert amounts[182050] == "#,##0.00" and amounts[37200] == "#,##0.00"
    dates = [c for row in ws.iter_rows() for c in row if isinstance(c.value, dt.datetime)]
    assert dt.datetime(2026, 10, 6) in [c.value for c in dates]
    assert {c.number_format for c in dates} == {"DD.MM.YYYY"}
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # 9 = A4
    assert ws.print_title_rows is not None  # the header of section 9 repeated on every page


def test_workbook_underlines_the_chosen_option(tmp_path: Path) -> None:
    out = tmp_path / "a4.xlsx"
    to_xlsx(_annex4(), out)
    ws = openpyxl.load_workbook(out, rich_text=True).active
    rich = [c.value for row in ws.iter_rows() for c in row
            if type(c.value).__name__ == "CellRichText"]
    underlined = [str(block.text) for value in rich for block in value
                  if not isinstance(block, str) and block.font.u == "single"]
    assert "внеплановый" in underlined and "с возражениями" in underlined


def test_the_2022_form_exists_in_russian_only() -> None:
    c = load_conclusion(EX / "conclusion_annex2.yaml")
    with pytest.raises(UnknownLanguageError, match="Kazakh text of the 2022 edition"):
        document(c, lang="kk")


def test_the_error_rows_annex_is_part_of_the_document(tmp_path: Path) -> None:
    deductions = tmp_path / "d.csv"
    assert main(["deduct", str(EX / "findings.csv"), "-o", str(deductions)]) == 1
    out = tmp_path / "r.xlsx"
    assert main(["report", "annex4", "--period", "2023-Q2", "--deductions", str(deductions),
                 "--contracts", str(EX / "contracts.csv"), "-o", str(out)]) == 1  # done, 4 error rows set aside (README «Exit codes»)
    wb = openpyxl.load_workbook(out)
    # the README's main job has four error rows on purpose: listed, counted, not dropped
    errors = wb["Ошибки"]
    rows = [[c.value for c in r] for r in errors.iter_rows(min_row=4)]
    assert [r[0] for r in rows[:4]] == ["33", "34", "35", "36"]
    assert "Всего строк с ошибками: 4" in [r[0] for r in rows]


def test_report_html_has_the_grouped_headers_of_the_printed_form(tmp_path: Path) -> None:
    deductions = tmp_path / "d.csv"
    main(["deduct", str(EX / "findings.csv"), "-o", str(deductions)])
    out = tmp_path / "r.html"
    assert main(["report", "annex4", "--period", "2023-Q2", "--deductions", str(deductions),
                 "--contracts", str(EX / "contracts.csv"), "-o", str(out)]) == 1  # done, 4 error rows set aside (README «Exit codes»)
    page = out.read_text(encoding="utf-8")
    # data/reports/annex4.yaml: гр. 6–9 under «Показатели прямых результатов по договорам ОСМС»
    assert '<th colspan="4">Показатели прямых результатов по договорам ОСМС</th>' in page
    assert "ИИН скрыты" not in page  # the report prints no personal data
    assert "size: A4 landscape" in page


def test_every_form_file_is_valid_and_names_only_its_texts() -> None:
    from osms_defects.reports.editions import FORMS

    for name in FORMS:
        spec = form_spec(name)
        assert isinstance(spec, FormFile) and spec.layout
    with pytest.raises(ValueError, match="names texts that are not in texts: nowhere"):
        FormFile.model_validate({
            "schema_version": 1, "form": "x", "sources": {"ru": "s"}, "languages": ["ru"],
            "sheet": "x", "layout": [{"heading": {"text": "nowhere"}}]})
    with pytest.raises(ValueError, match="exactly one of"):
        FormFile.model_validate({
            "schema_version": 1, "form": "x", "sources": {"ru": "s"}, "languages": ["ru"],
            "sheet": "x", "layout": [{"heading": {"text": "t"}, "note": {"text": "t"}}],
            "texts": {"t": {"line": 1, "ru": "t"}}})


def test_sections_of_a_document_and_its_text() -> None:
    c = _annex4()
    doc = document(c)
    assert not [b for b in doc.blocks if isinstance(b, Section)]  # no error rows: no annex
    text = doc.text()
    assert "ИТОГО, количество дефектов: 5" in text
    assert "ИТОГО, количество неисполненных пунктов договора: 1" in text
    assert Decimal("45000.00") in [cell for b in doc.blocks if isinstance(b, Table)
                                   for row in b.rows for cell in row]


def test_an_iin_in_an_error_row_is_masked_in_the_annex(tmp_path: Path) -> None:
    """The annex of error rows is part of the document: an ИИН typed as a case id (or quoted in
    the engine's message) is masked like every other text of it (issue 18, reading P8)."""
    import polars as pl

    from osms_defects.reports import build_report_files

    deductions = tmp_path / "d.csv"
    assert main(["deduct", str(EX / "findings.csv"), "-o", str(deductions)]) == 1
    df = pl.read_csv(deductions, infer_schema_length=0)
    iin = "910402500177"  # a valid ИИН (its check digit holds; tests/test_iin.py)
    df = df.with_columns(
        pl.when(pl.col("status") == "error").then(pl.lit(iin)).otherwise(pl.col("case_id"))
        .alias("case_id"))
    df.write_csv(deductions)
    rep = build_report_files("annex4", "2023-Q2", deductions, EX / "contracts.csv")
    assert {e.case_id for e in rep.error_rows} == {iin}
    page = to_html(rep)
    assert iin not in page and "********0177" in page
    out = tmp_path / "r.xlsx"
    to_xlsx(rep, out)
    cells = [str(c.value) for ws in openpyxl.load_workbook(out).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None]
    assert iin not in " ".join(cells) and "********0177" in cells


def test_an_iin_in_an_error_row_is_masked_on_stderr_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """stderr goes to logs: the error rows a report lists there are masked like its annex."""
    import polars as pl

    deductions = tmp_path / "d.csv"
    assert main(["deduct", str(EX / "findings.csv"), "-o", str(deductions)]) == 1
    iin = "910402500177"
    df = pl.read_csv(deductions, infer_schema_length=0).with_columns(
        pl.when(pl.col("status") == "error").then(pl.lit(iin)).otherwise(pl.col("finding_id"))
        .alias("finding_id"))
    df.write_csv(deductions)
    capsys.readouterr()
    assert main(["report", "annex4", "--period", "2023-Q2", "--deductions", str(deductions),
                 "--contracts", str(EX / "contracts.csv"), "-o", str(tmp_path / "r.xlsx")]) == 1
    err = capsys.readouterr().err
    assert iin not in err and "error row 33 (********0177)" in err


def test_an_iin_in_any_cell_of_an_error_row_is_masked_in_every_output(tmp_path: Path) -> None:
    # review: an error row is an input the engine could not read, so any of its cells may hold
    # what a person mistyped there — here the patient's ИИН 910402500177 (valid: examples) in
    # the code, the date and the row columns. docs/reports.md «ИИН masking»: shown
    # ********0177 in the HTML and XLSX unless show_iin.
    import zipfile

    from osms_defects.reports.inputs import ErrorRow

    iin = "910402500177"
    bad = ErrorRow(row=iin, finding_id="F-1", provider_id="P-AST-007", case_id="PC-1",
                   code=iin, detected_on=iin, error="invalid_field: code")
    c = _annex4().model_copy(update={"error_rows": (bad,)})
    page = to_html(c)
    out = tmp_path / "c.xlsx"
    to_xlsx(c, out)
    with zipfile.ZipFile(out) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml"))
    for text in (page, xml, document(c).text()):
        assert iin not in text
        assert text.count("********0177") >= 3
    assert document(c, show_iin=True).text().count(iin) >= 3


def test_a_layout_naming_a_value_the_document_lacks_is_a_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # review: docs/reports.md «Forms as data» — adding a form is a data change; a block naming a
    # value no document has (a typo) must be a library error naming it, never a bare KeyError,
    # and a `when:` with such a typo must not silently leave its block out of every document.
    from osms_defects.errors import DataFileError
    from osms_defects.reports import layout
    from osms_defects.reports.fill import _conclusion_2026
    from osms_defects.reports.layout import BlockSpec, compose

    c = _annex4()
    values = _conclusion_2026(c, "ru")
    spec = form_spec("2026-annex4", c.edition)
    for extra in ({"line": {"value": "no_such_value"}},
                  {"line": {"text": "title"}, "when": "no_such_value"}):
        broken = spec.model_copy(update={"layout": (*spec.layout, BlockSpec.model_validate(extra))})
        monkeypatch.setattr(layout, "form_spec", lambda *a, b=broken, **k: b)
        with pytest.raises(DataFileError, match="no_such_value"):
            compose("2026-annex4", values, edition=c.edition)
