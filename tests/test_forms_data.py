"""data/forms/2026.yaml: every printed text of the 2026 forms, Russian and Kazakh, is in the
line of the source it names (issue 20: labels in one place, in both languages, from the text)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _texts(node: Any) -> list[tuple[int, str, int, str]]:
    """(line, ru, line_kk, kk) for every text node; lists of headers flattened."""
    out: list[tuple[int, str, int, str]] = []
    if isinstance(node, dict):
        if "ru" in node and "kk" in node:
            ru, kk = node["ru"], node["kk"]
            if isinstance(ru, list):
                assert len(ru) == len(kk)
                out += [(node["line"], r, node["line_kk"], k) for r, k in zip(ru, kk, strict=True)]
            elif isinstance(ru, dict):
                assert ru.keys() == kk.keys()
                out += [(node["line"], ru[x], node["line_kk"], kk[x]) for x in ru]
            else:
                out.append((node["line"], ru, node["line_kk"], kk))
        else:
            for v in node.values():
                out += _texts(v)
    elif isinstance(node, list):
        for v in node:
            out += _texts(v)
    return out


def test_every_label_is_verbatim_in_its_line_ru_and_kk() -> None:
    data = yaml.safe_load((ROOT / "data" / "forms" / "2026.yaml").read_text(encoding="utf-8"))
    paths = [SHARED / data[k].removeprefix("shared/") for k in ("source", "source_kk")]
    if not all(p.exists() for p in paths):
        pytest.skip("sources not available")
    ru, kk = (p.read_text(encoding="utf-8").splitlines() for p in paths)
    texts = _texts(data["forms"])
    assert len(texts) >= 95
    for line, r, line_kk, k in texts:
        assert _norm(r) in _norm(ru[line - 1]), (line, r)
        assert _norm(k) in _norm(kk[line_kk - 1]), (line_kk, k)
        assert not re.search("[ӘәҒғҚқҢңӨөҰұҮүҺһІі]", r), r  # no Kazakh in a Russian label


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

    data = yaml.safe_load((ROOT / "data" / "forms" / "2026.yaml").read_text(encoding="utf-8"))
    form = data["forms"][f"2026-annex{n}"]
    texts = _texts(form)
    for lang in ("ru", "kk"):
        out = tmp_path / f"{lang}.html"
        assert main(["conclusion", f"2026-annex{n}", str(EX / f"conclusion_2026_annex{n}.yaml"),
                     "--lang", lang, "-o", str(out)]) == 0
        page = _page_text(out.read_text(encoding="utf-8"))
        assert _norm(form["title"][lang]) in _norm(page)
        labels = [t[1] if lang == "ru" else t[3] for t in texts]
        others = [t[3] if lang == "ru" else t[1] for t in texts]
        # the form's labels are all there, in its language, and none of the other language
        shown = [x for x in labels if _norm(x) in _norm(page)]
        assert len(shown) >= len(labels) * 0.8, (lang, set(labels) - set(shown))
        assert not [x for x in others if len(x) > 12 and _norm(x) in _norm(page)], lang
        assert "Findings" not in page and "due" not in page  # no English inside a form
        xlsx = tmp_path / f"{lang}.xlsx"
        assert main(["conclusion", f"2026-annex{n}", str(EX / f"conclusion_2026_annex{n}.yaml"),
                     "--lang", lang, "-o", str(xlsx)]) == 0
        ws = openpyxl.load_workbook(xlsx).active
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
    assert "Kazakh text is not in the sources" in capsys.readouterr().err


def test_every_2022_label_is_verbatim_in_its_lines() -> None:
    data = yaml.safe_load((ROOT / "data" / "forms" / "2022-10-16.yaml").read_text(encoding="utf-8"))
    path = SHARED / data["source"].removeprefix("shared/")
    if not path.exists():
        pytest.skip("seed not available")
    lines = path.read_text(encoding="utf-8").splitlines()
    checked = 0

    def walk(node: Any) -> None:
        nonlocal checked
        if isinstance(node, dict) and "lines" in node:
            text = _norm(" ".join(lines[n - 1] for n in node["lines"])).replace(" |", "")
            ru = node["ru"]
            values = ru if isinstance(ru, list) else list(ru.values()) if isinstance(ru, dict) else [ru]
            for v in values:
                assert _norm(v) in text, (node["lines"], v)
                checked += 1
        elif isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data["forms"])
    assert checked >= 40
