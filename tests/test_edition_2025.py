"""Edition 2025-08-01 (order No. 68 of 18.07.2025) and the edition boundaries (issue 17).

Expected values are read from the source copy shared/sources/order-68_2025-07-18.ru.txt
(Приложение 1, lines 331–359 for columns 4–11), not from the code's output."""

from __future__ import annotations

import datetime as dt

import pytest

import osms_defects as od
from osms_defects.deductions.engine import deduct
from osms_defects.errors import DoubtfulCellError, EditionGapError

D = dt.date


@pytest.fixture(scope="module")
def clf() -> od.Classifier:
    return od.load_classifier()


def test_edition_on_2025_09_01_has_29_codes_with_1_3(clf: od.Classifier) -> None:
    ed = clf.edition(on=D(2025, 9, 1))
    assert ed.id == "2025-08-01" and len(ed.codes) == 29 and "1.3" in ed.codes
    assert ed.row("1.3").name_ru == (
        "Отсутствие документов разрешительного порядка при оказании медицинской помощи"
    )
    assert clf.edition(on=D(2025, 8, 1)).id == "2025-08-01"  # п. 4: published 21.07.2025


@pytest.mark.parametrize("day", [D(2024, 6, 1), D(2025, 7, 31)])
def test_gap_names_174_103_and_the_way_out(clf: od.Classifier, day: dt.date) -> None:
    with pytest.raises(EditionGapError) as exc:
        clf.edition(on=day)
    assert any("174" in o for o in exc.value.orders) and any("103" in o for o in exc.value.orders)
    assert "--edition ID" in str(exc.value)


def test_1_3_takes_group_1_0_amount(clf: od.Classifier) -> None:
    # row 4: 1.3 «+» in column 5; row 1: 1.0 «100%» in column 5 → 100 % of 1000.00
    r = deduct(od.Finding(code="1.3", care_type="specialised_outpatient",
                          detected_on=D(2025, 9, 1), base_amount="1000.00"))  # fmt: skip
    assert r.status.value == "deducted" and str(r.amount) == "1000.00" and r.edition_note is None


def test_columns_12_19_out_of_step_are_doubtful(clf: od.Classifier) -> None:
    ed = clf.edition(id="2025-08-01")
    # 4.0 in column 13: the data takes printed row 10 («15 КПН»), refused without acceptance
    with pytest.raises(DoubtfulCellError, match="E17"):
        ed.penalty("4.0", "rural")
    assert ed.penalty("4.0", "rural", accept_doubtful=True).factor == 15
    # rows 1–9 agree by number and with the 2026 table: 3.0 in column 13 is «10 КПН», certain
    assert ed.penalty("3.1", "rural").factor == 10
    # 3.4 has no row in the second half: refused always
    with pytest.raises(DoubtfulCellError, match="prints no cell"):
        ed.penalty("3.4", "rural", accept_doubtful=True)


def test_window_of_order_19_is_marked_with_the_other_amount() -> None:
    # 1.3 exists only in order No. 68's table; 15.03.2026 is computed under it by default
    r = deduct(od.Finding(code="1.3", care_type="inpatient_case_group",
                          detected_on=D(2026, 3, 15), base_amount="1000.00"))  # fmt: skip
    assert r.edition == "2025-08-01" and r.edition_note is not None
    assert "14.03.2026–17.03.2026" in r.edition_note and "edition 2026" in r.edition_note
    assert "under edition 2026" in r.edition_note
    r2 = deduct(od.Finding(code="5.1", care_type="inpatient_case_group",
                           detected_on=D(2026, 3, 17), base_amount="1000.00"))  # fmt: skip
    assert r2.edition == "2026" and r2.edition_note is not None and "2025-08-01" in r2.edition_note
    r3 = deduct(od.Finding(code="5.1", care_type="inpatient_case_group",
                           detected_on=D(2026, 3, 18), base_amount="1000.00"))  # fmt: skip
    assert r3.edition_note is None


def test_order_118_is_named_and_caller_edition_is_marked() -> None:
    r = deduct(od.Finding(code="5.1", care_type="inpatient", detected_on=D(2023, 6, 30),
                          base_amount="1000.00"))  # fmt: skip
    assert r.status.value == "deducted" and r.edition_note is not None and "№ 118" in r.edition_note
    assert deduct(od.Finding(code="5.1", care_type="inpatient", detected_on=D(2023, 6, 29),
                             base_amount="1000.00")).edition_note is None  # fmt: skip
    r2 = deduct(od.Finding(code="5.1", care_type="inpatient_case_group",
                           detected_on=D(2024, 6, 1), base_amount="1000.00"),
                edition="2025-08-01")  # fmt: skip
    assert str(r2.amount) == "3000.00"  # 5.0 «300%» in column 7 (row 12)
    assert r2.edition_note is not None and "chosen by the caller for a date it does not govern" in r2.edition_note
