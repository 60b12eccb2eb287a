"""The 2026 edition (Annex 1 in the edition of order No. 19 of 27.02.2026), checked by hand.

Expected values are read from shared/sources/monitoring-rules_2026-02-27.ru.txt (line numbers in
the comments), never from the library's output.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import osms_defects as od
from osms_defects.classifier.diff import diff_editions, format_diff
from osms_defects.cli import main
from osms_defects.errors import DoubtfulCellError, EditionGapError, ReadingRequiredError

from .conftest import REPO, SHARED

RU = SHARED / "sources" / "monitoring-rules_2026-02-27.ru.txt"
KK = SHARED / "sources" / "monitoring-rules_2026-02-27.kk.txt"


@pytest.fixture(scope="module")
def ed(clf: od.Classifier) -> od.Edition:
    return clf.edition(on=dt.date(2026, 6, 1))


def test_edition_record(ed: od.Edition) -> None:
    # ru.txt:345 «в редакции приказа ... от 27.02.2026 № 19»; 28 rows (ru.txt:351–378), 15 columns.
    assert ed.id == "2026" and ed.order.date == dt.date(2026, 2, 27)
    assert ed.registration.date == dt.date(2026, 3, 3)
    assert len(ed.codes) == 28 and len(ed.care_types) == 15
    assert [c.column for c in ed.care_types] == list(range(4, 19))
    assert ed.transcription_confidence == "medium"
    assert not ed.in_force.effective_from_verified


@pytest.mark.parametrize(
    ("code", "care_type", "basis", "factor", "amount_code"),
    [
        # ru.txt:361 row 11 «5.0 ... — 100 КПН/ПН, 300%, ...»; 5.1 "+" (ru.txt:362) → group's.
        ("5.1", "inpatient_bed_day", od.Basis.COST, Decimal("3"), "5.0"),
        # ru.txt:359 row 9, code 3.4: its own "60%" in column 7 (group 3.0 prints 50%).
        ("3.4", "inpatient_case_group", od.Basis.COST, Decimal("0.6"), "3.4"),
        # ru.txt:377 row 27, code 12.3: own "100%" in column 8; ru.txt:410: own "100%" in column 17.
        ("12.3", "inpatient_actual_costs", od.Basis.COST, Decimal("1"), "12.3"),
        ("12.3", "pathology", od.Basis.COST, Decimal("1"), "12.3"),
        # ru.txt:397 row 14 (6.0) second half «15 ПН, 5 КПН, 3 КТ, 0,3 КТ, 1 КТ, 30%, 50%».
        ("6.1", "tuberculosis", od.Basis.KT, Decimal("0.3"), "6.0"),
        ("6.2", "blood_services", od.Basis.COST, Decimal("0.5"), "6.0"),
        ("6.1", "emergency_1_4", od.Basis.PN, Decimal("15"), "6.0"),
        # ru.txt:404 row 21 (9.0) «100 ПН, 50 КПН, 6 КТ, 1 КТ, -, -, -».
        ("9.0", "mental_health", od.Basis.KT, Decimal("6"), "9.0"),
        # ru.txt:371 row 21 (9.0) first half «50 КПН/ПН, -, -, 100%, ...» → column 8.
        ("9.0", "inpatient_actual_costs", od.Basis.COST, Decimal("1"), "9.0"),
    ],
)
def test_hand_checked_cells(
    ed: od.Edition, code: str, care_type: str, basis: od.Basis, factor: Decimal, amount_code: str
) -> None:
    p = ed.penalty(code, care_type)
    assert (p.basis, p.factor, p.amount_code) == (basis, factor, amount_code)


def test_not_applicable_and_grades(ed: od.Edition) -> None:
    # ru.txt:363 row 13 (5.2) «+, -, -, -, ...»: not for specialised outpatient care.
    with pytest.raises(od.NotApplicableError, match="column 5"):
        ed.penalty("5.2", "specialised_outpatient")
    # Column 19: 2.0 (ru.txt:387) and 7.0 (ru.txt:402) «не значительные нарушения».
    assert {c for c, g in ed.grades.items() if g == "minor"} == {"2.0", "7.0"}
    assert ed.row("7.0").grade_ru == "не значительные нарушения"


def test_two_readings_need_a_choice(ed: od.Edition) -> None:
    # ru.txt:351 «1.0. ... — 20 КПН/ПН»: column 4 pays in БКПН or ПН (header ru.txt:347).
    with pytest.raises(ReadingRequiredError, match="KPN"):
        ed.penalty("1.2", "phc_capitation")
    p = ed.penalty("1.2", "phc_capitation", accept_reading="PN")
    assert (p.basis, p.factor, p.reading) == (od.Basis.PN, Decimal("20"), "PN")
    with pytest.raises(ReadingRequiredError, match="got 'KT'"):
        ed.penalty("1.2", "phc_capitation", accept_reading="KT")


def test_doubtful_two_reading_cell(ed: od.Edition) -> None:
    # ru.txt:394 row 11 «100 ПН, 100 КПН, 3 КТ, 3 КТ, 3 КТ / 300%, ...»: column 16.
    with pytest.raises(DoubtfulCellError, match="E4"):
        ed.penalty("5.1", "hiv")
    with pytest.raises(DoubtfulCellError):
        ed.penalty("5.1", "hiv", accept_doubtful=True)  # a reading must be named
    p = ed.penalty("5.1", "hiv", accept_reading="COST")
    assert (p.basis, p.factor) == (od.Basis.COST, Decimal("3"))
    assert ed.penalty("5.1", "hiv", accept_reading="KT").factor == Decimal("3")
    assert p.accepted_doubt == ("E4: 5.0/hiv",)


def test_short_rows_are_refused_unless_accepted(ed: od.Edition) -> None:
    # ru.txt:367 row 17 (6.3) prints 7 cells for 8 columns; ru.txt:378 row 28 (14.0) prints 4.
    with pytest.raises(DoubtfulCellError, match="accept_doubtful"):
        ed.penalty("6.3", "inpatient_case_group")
    p = ed.penalty("6.3", "inpatient_case_group", accept_doubtful=True)
    assert p.factor == Decimal("0.3") and p.accepted_doubt == ("E3: 6.3/inpatient_case_group",)
    for care_type in ("inpatient_met_tariff",):
        with pytest.raises(DoubtfulCellError, match="no reading"):
            ed.penalty("6.3", care_type, accept_doubtful=True)
    assert ed.penalty("14.0", "inpatient_case_group", accept_doubtful=True).factor == 1
    with pytest.raises(DoubtfulCellError, match="prints no cell"):
        ed.penalty("14.0", "inpatient_bed_day", accept_doubtful=True)
    # The second half of row 28 (ru.txt:411) is complete and certain.
    with pytest.raises(od.NotApplicableError):
        ed.penalty("14.0", "rural")


def test_unknown_care_type_lists_the_editions_ids(ed: od.Edition) -> None:
    with pytest.raises(od.UnknownCareTypeError, match="allowed: phc_capitation, specialised"):
        ed.penalty("5.1", "inpatient")  # a 2022 column


def test_kazakh_names(ed: od.Edition, ed2022: od.Edition) -> None:
    # kk.txt:361 «5.0 Медициналық көмек (қызмет) көрсетудің расталмаған жағдайы».
    assert ed.row("5.0").name_kk == "Медициналық көмек (қызмет) көрсетудің расталмаған жағдайы"
    assert ed.care_type("pathology").label("kk").startswith("Патологиялық-анатомиялық")
    assert ed2022.row("5.0").name_kk is None  # the 2022 Kazakh text is not in the sources


def test_footnote_codes(ed: od.Edition) -> None:
    # ru.txt:415 «* Применяется к кодам 3.0, 3.1, 3.2, 5.0, 5.1, 5.2».
    [note] = ed.footnotes
    assert note.applies_to_codes == ["3.0", "3.1", "3.2", "5.0", "5.1", "5.2"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2024, 1, 13), "2022-10-16"),
        # order No. 19 in force on a day in 14–17.03.2026; default boundary 16.03 (reading E18)
        (dt.date(2026, 3, 15), "2025-08-01"),
        (dt.date(2026, 3, 16), "2026"),
        (dt.date(2030, 1, 1), "2026"),
    ],
)
def test_edition_by_date(clf: od.Classifier, day: dt.date, expected: str) -> None:
    assert clf.edition(on=day).id == expected


@pytest.mark.parametrize(
    ("day", "orders"),
    [
        (dt.date(2024, 1, 14), ("№ 174", "№ 103")),
        (dt.date(2024, 6, 1), ("№ 174", "№ 103")),
        (dt.date(2025, 7, 31), ("№ 174", "№ 103")),
    ],
)
def test_gaps_name_the_missing_orders(
    clf: od.Classifier, day: dt.date, orders: tuple[str, ...]
) -> None:
    with pytest.raises(EditionGapError) as info:
        clf.edition(on=day)
    assert all(any(o in x for x in info.value.orders) for o in orders)
    assert isinstance(info.value, od.NoEditionError)
    assert "--edition ID" in str(info.value) and "edition=" in str(info.value)


def test_override_moves_the_start_and_the_gap(tmp_path: Path) -> None:
    path = tmp_path / "fund.yaml"
    path.write_text(
        "schema_version: 1\nin_force:\n  - edition: '2026'\n    from: '2026-03-20'\n"
        "    effective_from_verified: true\n    reference: 'Adilet, published 09.03.2026'\n",
        encoding="utf-8",
    )
    clf = od.load_classifier(overrides=path)
    assert clf.edition(on=dt.date(2026, 3, 20)).in_force.effective_from_verified
    # the edition of order No. 68 ends the day before: its end moves with the override
    assert clf.edition(on=dt.date(2026, 3, 19)).id == "2025-08-01"
    assert clf.choose(dt.date(2026, 3, 16))[1] == ()  # verified: no window mark
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "schema_version: 1\nin_force:\n  - edition: '2027'\n    effective_from_verified: true\n"
        "    reference: x\n",
        encoding="utf-8",
    )
    with pytest.raises(od.DataFileError, match="2027"):
        od.load_classifier(overrides=bad)


def test_lint_reports_doubts_and_inconsistencies(ed: od.Edition) -> None:
    kinds = [f.kind for f in ed.lint()]
    assert kinds.count("doubtful_cell") == 3 + 7 + 4  # three E4 cells, 6.3 and 14.0 rows
    assert kinds.count("not_printed") == 1 + 4
    assert "code_gap" in kinds and "unverified_start" in kinds
    assert "orphan_amount" in kinds  # 5.0 prints "100 КПН" in column 13, 5.1/5.2 print "-"


def test_diff_2022_2026(clf: od.Classifier, capsys: pytest.CaptureFixture[str]) -> None:
    d = diff_editions(clf, "2022", "2026")
    assert ("3.4" in [c for c, _ in d.added]) and ("14.0" in [c for c, _ in d.added])
    assert "1.3" in [c for c, _ in d.removed]
    assert ("12.0", "14.0") in [(o, n) for o, n, _ in d.moved_names]
    # 2022 (seed, Прил. 1): 1.1 rural "+" under 1.0 "30 КПН" → 2026 "+" under "20 КПН".
    assert any(
        (c.code_from, c.care_type_to, c.before, c.after) == ("1.1", "rural", "30 КПН", "20 КПН")
        for c in d.amounts
    )
    assert "Care-type correspondence" in format_diff(d)
    assert main(["classifier", "--diff", "2022", "2026"]) == 0
    assert "inpatient → inpatient_case_group" in capsys.readouterr().out


def test_cli_on_date_and_lang(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["classifier", "--on", "2026-06-01", "--lang", "kk"]) == 0
    out = capsys.readouterr().out
    assert "Медициналық көмекті негізсіз көрсету" in out and "start date unverified" in out
    assert main(["classifier", "--on", "2025-01-01"]) == 2
    assert "№ 103" in capsys.readouterr().err


@pytest.mark.skipif(not RU.exists(), reason=f"sources not beside the checkout: {RU}")
def test_transcription_matches_the_source(ed: od.Edition) -> None:
    """Re-run tools/transcribe_2026.py and compare with data/classifier.yaml, cell by cell."""
    spec = importlib.util.spec_from_file_location(
        "transcribe_2026", REPO / "tools" / "transcribe_2026.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["transcribe_2026"] = module
    spec.loader.exec_module(module)
    data = module.extract(RU, KK)
    assert len(data["rows"]) == 28
    for row, d in zip(data["rows"], ed.defects, strict=True):
        assert (d.row, d.code, d.name_ru, d.name_kk) == (
            row["row"],
            row["code"],
            row["name_ru"],
            row["name_kk"],
        )
        assert d.cells == row["cells"], d.code
        assert d.grade_ru == row["grade_ru"] and d.grade_kk == row["grade_kk"]
        assert {ct: n.kind for ct, n in d.doubtful.items()} == {
            ct: n["kind"] for ct, n in module.doubts(row).items()
        }
    for ct, src in zip(ed.care_types, data["care_types"], strict=True):
        assert (ct.id, ct.name_ru, ct.name_kk, ct.group_ru) == (
            src["id"],
            src["name_ru"],
            src["name_kk"],
            src["group_ru"],
        )
