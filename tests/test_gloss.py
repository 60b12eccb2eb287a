"""The English gloss of the printed forms (``en`` of data/forms/<edition>/<form>.yaml): every
printed text has one, it is English, it is shown beside the printed text with ``--gloss en``
(HTML: ``<span class="gloss" lang="en">``; XLSX: in cells) and never without it — the Russian
or Kazakh form stays free of English."""

from __future__ import annotations

import html
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "data" / "forms"
EX = ROOT / "examples"

CYRILLIC = re.compile("[\u0400-\u04ff\u0500-\u052f]")  # Russian and Kazakh letters
SPAN = re.compile(r'<span class="gloss" lang="en">(.*?)</span>', re.S)

#: the forms with printed texts and the example input each renders from
EXAMPLES = {
    "annex2": "conclusion_annex2.yaml",
    "annex5": "conclusion_annex5.yaml",
    "2026-annex2": "conclusion_2026_annex2.yaml",
    "2026-annex3": "conclusion_2026_annex3.yaml",
    "2026-annex4": "conclusion_2026_annex4.yaml",
    "2026-annex5": "conclusion_2026_annex5.yaml",
}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _form_files() -> list[Path]:
    return sorted(FORMS.glob("*/*.yaml"))


def _nodes(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(name, node) for every printed text node of a form file (an item of a list is a node)."""
    out: list[tuple[str, dict[str, Any]]] = []
    for key, node in (_load(path).get("texts") or {}).items():
        if isinstance(node, list):
            out += [(f"{key}.{item['key']}", item) for item in node]
        else:
            out.append((key, node))
    return out


def _glosses(path: Path) -> list[str]:
    """Every English string of a form file (lists and options flattened)."""
    out: list[str] = []
    for _, node in _nodes(path):
        en = node.get("en")
        if isinstance(en, list):
            out += en
        elif isinstance(en, dict):
            out += list(en.values())
            # the options are glossed together, as printed: «current, unplanned»
            out.append(node.get("separator", ", ").join(en[k] for k in node["ru"]))
        elif isinstance(en, str):
            out.append(en)
    return out


def _form_path(form: str) -> Path:
    from osms_defects.reports.layout import form_file

    return form_file(form)


def _render(tmp_path: Path, form: str, suffix: str, *extra: str) -> Path:
    from osms_defects.cli import main

    out = tmp_path / ("_".join([form, *(e.strip("-") for e in extra)]) + suffix)
    assert main(["conclusion", form, str(EX / EXAMPLES[form]), "-o", str(out), *extra]) == 0
    return out


def _spans(page: str) -> list[str]:
    return [html.unescape(s) for s in SPAN.findall(page)]


def _body(page: str) -> str:
    return html.unescape(page[page.index("<body>"):] if "<body>" in page else page)


# --- (1) every printed text has its gloss, of the same shape as the Russian ------------------


def test_every_text_node_has_an_english_gloss() -> None:
    nodes = strings = 0
    for path in _form_files():
        for name, node in _nodes(path):
            where = (path.name, name)
            assert "en" in node, where
            ru, en = node["ru"], node["en"]
            if isinstance(ru, list):
                assert isinstance(en, list) and len(en) == len(ru), where
            elif isinstance(ru, dict):
                assert isinstance(en, dict) and list(en) == list(ru), where
            else:
                assert isinstance(en, str), where
            values = en if isinstance(en, list) else list(en.values()) if isinstance(en, dict) else [en]
            assert all(isinstance(v, str) and v.strip() == v and v for v in values), where
            nodes += 1
            strings += len(values)
    # 2022 Прил. 2 (25), Прил. 5 (9); 2026 Прил. 2 (12), 3 (25), 4 (23), 5 (24); Прил. 3/4 of
    # 2022 have no printed texts of their own (data/reports/annex3.yaml, annex4.yaml)
    assert (nodes, strings) == (118, 143)


def test_the_models_load_the_glosses() -> None:
    from osms_defects.reports.layout import Choices, Text, Texts, form_spec

    for form in EXAMPLES:
        spec = form_spec(form)
        for key, node in spec.texts.items():
            for t in node if isinstance(node, tuple) else (node,):
                assert isinstance(t, Text | Texts | Choices)
                assert t.en is not None, (form, key)


def test_numbering_is_kept_as_printed() -> None:
    """«1. Наименование филиала Фонда:» → «1. Name of the Fund's branch:»: the gloss begins with
    the printed number and ends with the printed colon."""
    for path in _form_files():
        for name, node in _nodes(path):
            ru, en = node["ru"], node["en"]
            if not isinstance(ru, str):
                continue
            number = re.match(r"\d+(\.\d+)*\.?\s", ru)
            if number:
                assert en.startswith(number.group(0)), (path.name, name, en)
            assert ru.endswith(":") == en.endswith(":"), (path.name, name, en)


def test_ui_phrases_have_english() -> None:
    from osms_defects.reports.layout import ui_texts

    u = ui_texts()  # the model takes en: a dict of the same phrases
    assert set(u.en) == set(u.ru) == set(u.kk)

    def fields(s: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(s) if f is not None}

    for key, ru in u.ru.items():
        assert fields(u.en[key]) == fields(ru), key
        assert not CYRILLIC.search(u.en[key]), (key, u.en[key])


# --- (2) English only ----------------------------------------------------------------------------


def test_no_cyrillic_in_a_gloss() -> None:
    found = [(p.name, g) for p in _form_files() for g in _glosses(p) if CYRILLIC.search(g)]
    assert not found


# --- (3) HTML: beside the printed text with --gloss en, nowhere without it ------------------------

#: glosses of Прил. 4 of 2026, typed here (not read from the file)
ANNEX4_2026 = [
    "Annex 4 to the Rules for monitoring the performance of the terms of purchase contracts for "
    "medical services from healthcare entities within the guaranteed volume of free medical care "
    "and (or) in the system of compulsory social health insurance",
    "Conclusion on the monitoring of the performance of the purchase contract terms",
    "1. Name of the Fund's branch:",
    "2. Name of the provider:",
    "5. Type of monitoring:",
    "Detected defect / violation codes",
    "Penalty amount",
    "11. Conclusions and recommendations:",
    "Expert(s) / employee(s) of the Fund:",
    "Acknowledged without objections / with objections (underline as appropriate)",
]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_html_gloss_beside_the_printed_text(lang: str, tmp_path: Path) -> None:
    form = _load(_form_path("2026-annex4"))["texts"]
    page = _render(tmp_path, "2026-annex4", ".html", "--lang", lang, "--gloss", "en").read_text(
        encoding="utf-8")
    spans = _spans(page)
    for g in ANNEX4_2026:
        assert g in spans, g
    # the printed text stays as printed, the gloss right after it
    body = _body(page)
    title = re.sub(r"\s+", " ", form["title"][lang])
    assert f"{title} Conclusion on the monitoring of the performance" in re.sub(r"<[^>]+>", "", body)
    assert f"{form['items'][1][lang]} <span" in body  # «2. Наименование поставщика:» then gloss
    # nothing English outside a gloss span
    outside = SPAN.sub("", page)
    assert not [g for g in ANNEX4_2026 if g in html.unescape(outside)]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_html_without_gloss_has_no_english(lang: str, tmp_path: Path) -> None:
    page = _render(tmp_path, "2026-annex4", ".html", "--lang", lang).read_text(encoding="utf-8")
    body = _body(page)
    assert 'class="gloss"' not in page and 'lang="en"' not in page
    assert not [g for g in ANNEX4_2026 if g in body]
    assert not [g for g in _glosses(_form_path("2026-annex4")) if len(g) > 8 and g in body]


@pytest.mark.parametrize("form", sorted(EXAMPLES))
def test_every_form_glossed_only_when_asked(form: str, tmp_path: Path) -> None:
    en = [g for g in _glosses(_form_path(form)) if len(g) > 8]
    spec = _load(_form_path(form))["texts"]
    plain = _body(_render(tmp_path, form, ".html").read_text(encoding="utf-8"))
    assert not [g for g in en if g in plain], form
    glossed = _render(tmp_path, form, ".html", "--gloss", "en").read_text(encoding="utf-8")
    spans = _spans(glossed)
    assert spec["title"]["en"] in spans
    # every gloss shown is one of the form's, or a phrase of the library (data/forms/ui.yaml en)
    # filled with the document's values (the renderer invents none)
    ui_en = _load(FORMS / "ui.yaml")["en"].values()
    phrases = [re.compile("^" + re.sub(r"\\\{\w+\\\}", ".+", re.escape(p)) + "$") for p in ui_en]
    invented = [x for x in set(spans) - set(_glosses(_form_path(form)))
                if not any(p.match(x) for p in phrases)]
    assert not invented, invented
    assert len(spans) >= 9


def test_html_gloss_of_a_total(tmp_path: Path) -> None:
    page = _render(tmp_path, "2026-annex4", ".html", "--gloss", "en").read_text(encoding="utf-8")
    assert "TOTAL, number of defects:" in _spans(page)


def test_html_gloss_of_the_options(tmp_path: Path) -> None:
    page = _render(tmp_path, "2026-annex4", ".html", "--gloss", "en").read_text(encoding="utf-8")
    shown = " ".join(_spans(page))
    assert re.search(r"\bcurrent\b", shown) and re.search(r"\bunplanned\b", shown)


# --- (4) XLSX ------------------------------------------------------------------------------------


def _cells(path: Path) -> list[str]:
    import openpyxl

    ws = openpyxl.load_workbook(path, rich_text=True).active
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_xlsx_gloss_in_cells(lang: str, tmp_path: Path) -> None:
    cells = _cells(_render(tmp_path, "2026-annex4", ".xlsx", "--lang", lang, "--gloss", "en"))
    form = _load(_form_path("2026-annex4"))["texts"]
    assert form["title"][lang] in cells  # the printed title stays in its cell
    for g in ("Conclusion on the monitoring of the performance of the purchase contract terms",
              "1. Name of the Fund's branch:", "2. Name of the provider:",
              "11. Conclusions and recommendations:"):
        assert g in cells, g  # a cell of its own
    for g in ("Penalty amount", "Detected defect / violation codes"):  # table headers
        assert any(g in c for c in cells), g


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_xlsx_without_gloss_has_no_english(lang: str, tmp_path: Path) -> None:
    cells = _cells(_render(tmp_path, "2026-annex4", ".xlsx", "--lang", lang))
    en = [g for g in _glosses(_form_path("2026-annex4")) if len(g) > 8]
    assert not [g for g in en if any(g in c for c in cells)]
    assert not [g for g in ANNEX4_2026 if any(g in c for c in cells)]


def test_xlsx_gloss_of_the_signatures(tmp_path: Path) -> None:
    cells = _cells(_render(tmp_path, "2026-annex4", ".xlsx", "--gloss", "en"))
    assert "Expert(s) / employee(s) of the Fund:" in cells
