"""data/forms/<edition>/<form>.yaml: every printed text of every form, Russian and (2026)
Kazakh, is in the line of the source it names; every form of every edition has its file; every
2026 form renders in both languages from the same data (issue 20)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FORMS = ROOT / "data" / "forms"


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _lines(x: int | list[int]) -> list[int]:
    return x if isinstance(x, list) else [x]


def _texts(node: Any) -> list[tuple[list[int], str, list[int] | None, str | None]]:
    """(lines, ru, lines_kk, kk) for every printed text; lists of headers and options flattened."""
    out: list[tuple[list[int], str, list[int] | None, str | None]] = []
    if isinstance(node, dict) and "ru" in node and "line" in node:
        ru, kk = node["ru"], node.get("kk")
        lk = _lines(node["line_kk"]) if "line_kk" in node else None
        if isinstance(ru, list):
            kks = kk if kk is not None else [None] * len(ru)
            assert len(kks) == len(ru)
            out += [(_lines(node["line"]), r, lk, k) for r, k in zip(ru, kks, strict=True)]
        elif isinstance(ru, dict):
            assert kk is None or ru.keys() == kk.keys()
            out += [(_lines(node["line"]), ru[x], lk, None if kk is None else kk[x]) for x in ru]
        else:
            out.append((_lines(node["line"]), ru, lk, kk))
    elif isinstance(node, dict):
        for v in node.values():
            out += _texts(v)
    elif isinstance(node, list):
        for v in node:
            out += _texts(v)
    return out


def _form_files() -> list[Path]:
    return sorted(p for p in FORMS.glob("*/*.yaml"))


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _source(rel: str) -> list[str] | None:
    path = SHARED / rel.removeprefix("shared/")
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else None


def test_every_form_of_every_edition_has_its_file() -> None:
    from osms_defects.reports.editions import FORMS as ALL
    from osms_defects.reports.layout import form_file, form_spec

    assert len(ALL) == 8  # 2022: Прил. 2–5; 2025-08-01 and 2026: Прил. 2–5 of order No. 68
    for name, f in ALL.items():
        path = form_file(name)
        # the file sits in the directory of an edition that has the form
        assert path.parent.name in f.editions, (name, path)
        assert form_spec(name).form == name
    files = {(p.parent.name, p.stem) for p in _form_files()}
    assert files == {(form_file(n).parent.name, n) for n in ALL}  # no file without a form


def test_every_label_is_verbatim_in_its_line_ru_and_kk() -> None:
    checked = 0
    for path in _form_files():
        data = _load(path)
        ru = _source(data["sources"]["ru"])
        kk = _source(data["sources"]["kk"]) if "kk" in data["sources"] else None
        if ru is None:
            pytest.skip("sources not available")
        for lines, r, lines_kk, k in _texts(data.get("texts", {})):
            text = _norm(" ".join(ru[n - 1] for n in lines)).replace(" |", "")
            assert _norm(r) in text, (path.name, lines, r)
            assert not re.search("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]", r), r  # no Kazakh in a Russian label
            if "kk" in data["languages"]:
                assert k is not None and lines_kk is not None and kk is not None, (path.name, r)
                assert _norm(k) in _norm(" ".join(kk[n - 1] for n in lines_kk)), (path.name, k)
            else:
                assert k is None, (path.name, "a Kazakh text for a form without one", k)
            checked += 1
    assert checked >= 140


# --- every 2026 form renders in Kazakh and in Russian from the same data --------------------

EX = ROOT / "examples"


def _page_text(page: str) -> str:
    import html

    body = page[page.index("<body>"):] if "<body>" in page else page
    return html.unescape(re.sub("<[^>]+>", " ", body))


@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_every_2026_form_in_kazakh_and_russian(n: int, tmp_path: Path) -> None:
    import openpyxl

    from osms_defects.cli import main

    form = _load(FORMS / "2025-08-01" / f"2026-annex{n}.yaml")["texts"]
    texts = _texts(form)
    for lang in ("ru", "kk"):
        out = tmp_path / f"{lang}.html"
        assert main(["conclusion", f"2026-annex{n}", str(EX / f"conclusion_2026_annex{n}.yaml"),
                     "--lang", lang, "-o", str(out)]) == 0
        page = _page_text(out.read_text(encoding="utf-8"))
        assert _norm(form["title"][lang]) in _norm(page)
        labels = [t[1] if lang == "ru" else str(t[3]) for t in texts]
        others = [str(t[3]) if lang == "ru" else t[1] for t in texts]
        # the form's labels are all there, in its language, and none of the other language
        shown = [x for x in labels if _norm(x) in _norm(page)]
        assert len(shown) >= len(labels) * 0.8, (lang, set(labels) - set(shown))
        assert not [x for x in others if len(x) > 12 and _norm(x) in _norm(page)], lang
        assert "Findings" not in page and "due" not in page  # no English inside a form
        xlsx = tmp_path / f"{lang}.xlsx"
        assert main(["conclusion", f"2026-annex{n}", str(EX / f"conclusion_2026_annex{n}.yaml"),
                     "--lang", lang, "-o", str(xlsx)]) == 0
        ws = openpyxl.load_workbook(xlsx, rich_text=True).active
        cells = {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}
        assert form["title"][lang] in cells
        assert ws.page_setup.fitToWidth == 1


def test_register_csv_in_kazakh(tmp_path: Path) -> None:
    from osms_defects.cli import main

    out = tmp_path / "r.csv"
    assert main(["conclusion", "2026-annex2", str(EX / "conclusion_2026_annex2.yaml"),
                 "--lang", "kk", "-o", str(out)]) == 0
    head = out.read_text(encoding="utf-8").splitlines()[0]
    assert head.startswith("Р/с №,Өңір,Медициналық ұйымның БСН-і")


def test_2022_forms_have_no_kazakh(capsys: pytest.CaptureFixture[str]) -> None:
    from osms_defects.cli import main

    assert main(["conclusion", "annex2", str(EX / "conclusion_annex2.yaml"), "--lang", "kk"]) == 2
    assert "Kazakh text of the 2022 edition" in capsys.readouterr().err


def test_the_forms_of_order_68_are_its_text_and_print_for_its_edition(tmp_path: Path) -> None:
    """The 2025-08-01 files cite the lines of the 2026 consolidation (it has the Kazakh text);
    every Russian text is also in order No. 68 itself (order No. 19 replaced Annex 1 only), and a
    document signed under the edition of order No. 68 prints the form."""
    order = _source("shared/sources/order-68_2025-07-18.ru.txt")
    if order is None:
        pytest.skip("sources not available")
    whole = _norm(" ".join(order)).replace(" |", "")
    for path in sorted((FORMS / "2025-08-01").glob("*.yaml")):
        for _, r, _, _ in _texts(_load(path)["texts"]):
            assert _norm(r) in whole, (path.name, r)

    from osms_defects.cli import main

    text = (EX / "conclusion_2026_annex4.yaml").read_text(encoding="utf-8")
    # the same monitoring a year earlier: signed 24.11.2025, under order No. 68 (2025-08-01)
    for a, b in (("2026-11-23", "2025-11-24"), ("2026-11-16", "2025-11-17"),
                 ("2026-11-18", "2025-11-19")):
        text = text.replace(a, b)
    (tmp_path / "c.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "conclusion_2026_findings.csv").write_bytes(
        (EX / "conclusion_2026_findings.csv").read_bytes())
    out = tmp_path / "c.html"
    assert main(["conclusion", "2026-annex4", str(tmp_path / "c.yaml"), "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Заключение по мониторингу исполнения условий договора закупа" in page
    assert "№ 41/7 от 24.11.2025 года" in page
