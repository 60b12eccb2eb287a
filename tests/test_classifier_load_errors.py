"""Broken classifier files: one error that lists every problem with file, line and key path."""

from __future__ import annotations

from pathlib import Path

import pytest

import osms_defects as od
from osms_defects.classifier import lint_file
from osms_defects.cli import main

from .conftest import REPO

# The 2022 edition alone (the shipped file also holds 2026, its gaps and correspondences).
GOOD = (REPO / "data" / "classifier.yaml").read_text(encoding="utf-8").split('\n  - id: "2025-08-01"')[0]
GOOD += "\n"


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "broken.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def _line_of(text: str, needle: str, nth: int = 1) -> int:
    count = 0
    for i, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == nth:
                return i
    raise AssertionError(needle)


def _problems(path: Path) -> list[od.Problem]:
    with pytest.raises(od.ClassifierFileError) as info:
        od.load_classifier(path)
    return list(info.value.problems)


def test_unknown_key_is_an_error_with_its_line(tmp_path: Path) -> None:
    text = GOOD.replace('    source: "shared', '    sourse: "typo"\n    source: "shared', 1)
    path = _write(tmp_path, text)
    [problem] = _problems(path)
    assert problem.location == f"{path}:{_line_of(text, 'sourse:')}"
    assert "unknown key 'sourse'" in problem.message


def test_misspelled_care_type_in_cells(tmp_path: Path) -> None:
    text = GOOD.replace('          inpatient: "100%"', '          inpatinet: "100%"', 1)
    path = _write(tmp_path, text)
    problems = _problems(path)
    messages = " | ".join(p.message for p in problems)
    assert "care type 'inpatinet' is not a column" in messages
    assert "no cell for care type 'inpatient'" in messages
    assert any(p.location == f"{path}:{_line_of(text, 'inpatinet')}" for p in problems)


def test_latin_units_negative_amounts_and_all_problems_at_once(tmp_path: Path) -> None:
    text = GOOD.replace('ambulatory_capitation: "30 КПН"', 'ambulatory_capitation: "30 KPN"', 1)
    text = text.replace('inpatient: "300%"', 'inpatient: "-300%"', 1)
    path = _write(tmp_path, text)
    problems = _problems(path)
    assert len(problems) == 2
    latin, negative = problems
    assert "'30 KPN'" in latin.message and "Cyrillic" in latin.message
    assert latin.path == "editions[0].defects[0].cells.ambulatory_capitation"
    assert latin.location == f"{path}:{_line_of(text, '30 KPN')}"
    assert "negative amount" in negative.message
    assert negative.location == f"{path}:{_line_of(text, '-300%')}"


def test_overlapping_editions(tmp_path: Path) -> None:
    head, editions = GOOD.split("editions:\n", 1)
    second = (
        editions.replace('  - id: "2022-10-16"', '  - id: "copy"', 1)
        .replace('from: "2022-10-16"', 'from: "2023-06-01"', 1)
        .replace('to: "2024-01-13"', 'to: "2024-06-01"', 1)
    )
    path = _write(tmp_path, head + "editions:\n" + editions + second)
    [problem] = _problems(path)
    assert "overlaps edition '2022-10-16'" in problem.message
    assert problem.path == "editions[1].in_force"


def test_duplicate_code_and_subcode_without_group(tmp_path: Path) -> None:
    text = GOOD.replace('code: "1.1."', 'code: "1.3."', 1).replace(
        'code: "12.0"', 'code: "12.5"', 1
    )
    path = _write(tmp_path, text)
    messages = [p.message for p in _problems(path)]
    assert any("duplicate_code" in m and "code 1.3" in m for m in messages)
    assert any("subcode_without_group" in m and "12.5" in m for m in messages)


def test_not_yaml_and_wrong_types(tmp_path: Path) -> None:
    [problem] = _problems(_write(tmp_path, "schema_version: 1\neditions: [\n"))
    assert "not valid YAML" in problem.message
    problems = _problems(
        _write(tmp_path, GOOD.replace('date: "2022-09-30"', 'date: "30.09.2022"', 1))
    )
    assert any("registration.date" in p.path and "30.09.2022" in p.message for p in problems)


def test_lint_cli_on_broken_and_shipped_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, GOOD.replace('"30 КПН"', '"30 KPN"'))
    problems, findings = lint_file(path)
    # Every "30 КПН" of the file (several rows and columns), all reported, not only the first.
    assert len(problems) == GOOD.count('"30 КПН"') > 3 and findings == []
    assert main(["lint", str(path)]) == 2  # cannot be loaded: exit 2 (issue 18)
    assert main(["lint"]) == 0  # the shipped table: findings printed, exit 0
    out = capsys.readouterr().out
    assert "orphan_amount" in out and "applicable_without_amount" in out
    assert main(["lint", "--strict"]) == 1


def test_several_editions_with_their_own_columns(tmp_path: Path) -> None:
    """The file holds several editions; each has its own care types; dates pick the edition."""
    import datetime as dt

    later = """
  - id: "later"
    title_ru: "Тестовая редакция"
    order: {number: "№ 1", date: "2024-01-01", title_ru: "т"}
    registration: {number: "1", date: "2024-01-02", reference: "т"}
    in_force: {from: "2024-01-14", reference: "т"}
    source: "test"
    care_types:
      - {id: pmsp, column: 4, name_ru: "ПМСП", name_en: "primary care", unit: KPN}
    defects:
      - {row: "1", code: "1.0", name_ru: "д", cells: {pmsp: "20 КПН"}}
      - {row: "2", code: "1.1", name_ru: "д", cells: {pmsp: "+"}}
"""
    path = _write(tmp_path, GOOD + later)
    clf = od.load_classifier(path)
    assert clf.edition().id == "later"  # the newest edition, open-ended
    assert clf.edition(on=dt.date(2030, 1, 1)).penalty("1.1", "pmsp").factor == 20
    assert clf.edition(on=dt.date(2024, 1, 13)).id == "2022-10-16"
    with pytest.raises(od.UnknownCareTypeError, match="allowed: pmsp"):
        clf.edition(on=dt.date(2024, 1, 14)).penalty("1.1", "inpatient")


def test_edition_shows_as_html_table() -> None:
    html = od.load_classifier().edition(id="2022-10-16")._repr_html_()
    assert "<table>" in html and "300%" in html and "4.." in html
