"""data/procedure.yaml against the law and the classifier: every quote is in the source line
it names, under the paragraph it cites; the editions are the classifier's; bad files are
reported with file:line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from osms_defects.classifier import load_classifier
from osms_defects.deadlines import load_procedure
from osms_defects.errors import DataFileError, UnknownLanguageError

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def _source(rel: str) -> list[str]:
    path = SHARED / rel.removeprefix("shared/")
    if not path.exists():
        pytest.skip(f"source text {path} is not available")
    return path.read_text(encoding="utf-8").splitlines()


def _paragraph_of(lines: list[str], line: int) -> str:
    """The number of the numbered paragraph that the 1-based ``line`` belongs to."""
    for i in range(line - 1, -1, -1):
        m = re.match(r"^(\d+(?:-\d+)?)\. ", lines[i])
        if m:
            return m.group(1)
    raise AssertionError(f"no numbered paragraph at or above line {line}")


def _numbers(reference: str) -> set[str]:
    return set(re.findall(r"\d+(?:-\d+)?", reference))


def test_every_quote_is_verbatim_under_its_paragraph() -> None:
    proc = load_procedure()
    checked = 0
    for ed in proc.editions:
        lines = _source(ed.source)
        items = [(t.name, t.reference, t.source_line, t.quote) for t in ed.terms]
        items.append(("kinds", ed.kinds.reference, ed.kinds.source_line, ed.kinds.quote))
        for name, ref, line, quote in items:
            text = _norm(lines[line - 1])
            for fragment in quote.split("…"):
                assert _norm(fragment) in text, f"{ed.id} {name}: {fragment!r} not in line {line}"
            para = _paragraph_of(lines, line)
            assert para in _numbers(ref), f"{ed.id} {name}: line {line} is п. {para}, not {ref}"
            checked += 1
    assert checked >= 30


def test_the_amount_is_the_one_quoted() -> None:
    # the number of the term appears in the quote (as a digit or a word), so a typo in
    # `amount` cannot pass silently
    words = {1: ("1", "один", "одного"), 2: ("2", "двух"), 3: ("3", "трех"), 5: ("пяти", "пять", "5"),
             6: ("6", "шести"), 10: ("10", "десяти"), 30: ("30",), 45: ("45",)}  # fmt: skip
    for ed in load_procedure().editions:
        for t in ed.terms:
            assert any(w in t.quote for w in words[t.amount]), (ed.id, t.name, t.amount)


def test_kinds_of_monitoring() -> None:
    proc = load_procedure()
    e22, e26 = proc.edition("2022-10-16"), proc.edition("2026")
    assert e22 is not None and e26 is not None
    # п. 18 (2022): текущий, внеплановый, проактивный, целевой, летальности и смертности
    assert e22.kinds.ids == ["current", "unplanned", "proactive", "targeted", "mortality"]
    # п. 4 (2026): «1) текущий; 2) внеплановый.»
    assert e26.kinds.ids == ["current", "unplanned"]
    assert e26.term("proactive_remedy") is None


def test_editions_are_the_classifier_s() -> None:
    # reading E6: the same ids; the periods are read from the classifier, not repeated
    clf_ids = {e.id for e in load_classifier().editions}
    assert {e.id for e in load_procedure().editions} == clf_ids


def test_bad_file_is_reported_with_line(tmp_path: Path) -> None:
    text = (ROOT / "data" / "procedure.yaml").read_text(encoding="utf-8")
    bad = text.replace("unit: calendar_days", "unit: fortnights", 1).replace(
        "        direction: before\n", "        direction: before\n        colour: red\n", 1
    )
    f = tmp_path / "procedure.yaml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError) as exc:
        load_procedure(f)
    msg = str(exc.value)
    assert "fortnights" in msg or "unit" in msg
    assert "colour" in msg
    assert re.search(r"procedure\.yaml:\d+", msg)


def test_inconsistent_term_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "data" / "procedure.yaml").read_text(encoding="utf-8")
    # a notice "before" in calendar days is not a counting rule the library knows (C4)
    bad = text.replace("        unit: working_days\n        direction: before\n",
                       "        unit: calendar_days\n        direction: before\n", 1)  # fmt: skip
    f = tmp_path / "procedure.yaml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError, match="before"):
        load_procedure(f)


# --------------------------------------------------------------------------- labels (issue 7)


def _kk_words(amount: int) -> tuple[str, ...]:
    return {1: ("1", "бір"), 2: ("2", "екі"), 3: ("3", "үш"), 5: ("бес",), 6: ("6", "алты"),
            10: ("10", "он")}[amount]  # fmt: skip


def test_every_kazakh_description_is_verbatim_under_its_paragraph() -> None:
    # the Kazakh descriptions of the 2026 terms are fragments of the Kazakh text, in the line
    # they name, under the paragraph of the term (the kk text keeps the Russian numbering:
    # п. 26 is «26. Ықтимал ақаумен …», kk.txt:179)
    proc = load_procedure()
    checked = 0
    for ed in proc.editions:
        if ed.source_kk is None:
            continue
        lines = _source(ed.source_kk)
        for t in ed.terms:
            assert t.description_kk is not None and t.source_line_kk is not None, t.name
            text = _norm(lines[t.source_line_kk - 1])
            for fragment in t.description_kk.split("…"):
                assert _norm(fragment) in text, f"{t.name}: {fragment!r} not in kk:{t.source_line_kk}"
            para = _paragraph_of(lines, t.source_line_kk)
            assert para in _numbers(t.reference), (t.name, para, t.reference)
            # the term's number is in the Kazakh fragment too (as a digit or a word)
            assert any(re.search(rf"(?<!\w){w}(?!\w)", t.description_kk)
                       for w in _kk_words(t.amount)), (t.name, t.amount)  # fmt: skip
            checked += 1
    assert checked == 19


def test_2022_says_it_has_no_kazakh_text() -> None:
    # reading E15: the absence is stated in the data, not an empty string
    e22 = load_procedure().edition("2022-10-16")
    assert e22 is not None and e22.source_kk is None
    assert e22.kk_missing is not None and "not in the sources" in e22.kk_missing
    assert all(t.description_kk is None for t in e22.terms)
    label = e22.label("provider_objection", "kk")
    # п. 36 (2022): shown in Russian, with a note
    assert label.lang == "ru" and label.text.startswith("возражения поставщика")
    assert label.note is not None and "E15" in label.note and "2022-10-16" in label.note


def test_labels_by_language() -> None:
    e26 = load_procedure().edition("2026")
    assert e26 is not None
    # п. 26 (2026): ru from the Russian text, kk from the Kazakh (kk.txt:179), en a gloss
    assert e26.label("potential_defect_objection").text.startswith("возражение на потенциальный")
    kk = e26.label("potential_defect_objection", "kk")
    assert kk.lang == "kk" and "бес жұмыс күні ішінде" in kk.text and kk.note is None
    en = e26.label("potential_defect_objection", "en")
    assert en.lang == "en" and "five working days" in en.text
    assert all(t.description_en for e in load_procedure().editions for t in e.terms)
    with pytest.raises(UnknownLanguageError, match="ru, kk, en"):
        e26.label("refund", "de")


def test_kazakh_text_required_when_declared(tmp_path: Path) -> None:
    text = (ROOT / "data" / "procedure.yaml").read_text(encoding="utf-8")
    # dropping the 2022 statement of absence: neither source_kk nor kk_missing
    bad = re.sub(r"\n    kk_missing: .*", "", text, count=1)
    f = tmp_path / "procedure.yaml"
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError, match="kk_missing"):
        load_procedure(f)
    # a 2026 term without its Kazakh description
    bad = re.sub(r"\n        description_kk: .*\n        source_line_kk: \d+", "", text, count=1)
    f.write_text(bad, encoding="utf-8")
    with pytest.raises(DataFileError, match="description_kk"):
        load_procedure(f)
