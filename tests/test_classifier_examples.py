"""Hand-worked checks of the 2022 edition against the printed Annex 1 (Прил. 1 Правил,
shared/seeds/001_98e3829c3dd618e7.txt). Each case cites the printed row and column; the
expected basis and factor were read off the table by hand, not from the code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import osms_defects as od
from osms_defects import Basis, CareType

# (code, care type, basis, factor, the printed cell that carries the amount, why)
HAND_WORKED = [
    # Прил. 1, row 20 (5.2) prints "+" in column 6; its group 5.0 (row 18) prints "300%".
    ("5.2", CareType.INPATIENT, Basis.COST, Decimal("3"), "300%"),
    # Прил. 1, row 25 (6.1) "+" in column 10; group 6.0 (row 24) prints "0,3 КТ".
    ("6.1", CareType.TUBERCULOSIS, Basis.KT, Decimal("0.3"), "0,3 КТ"),
    # Прил. 1, row 7 (2.1) "+" in column 6; group 2.0 (row 6) prints "0": recorded, no money.
    ("2.1", CareType.INPATIENT, Basis.NONE, Decimal("0"), "0"),
    # Column 4 (ambulatory_capitation): row 2 (1.1) "+", group 1.0 "30 КПН".
    ("1.1", CareType.AMBULATORY_CAPITATION, Basis.KPN, Decimal("30"), "30 КПН"),
    # Column 5 (ambulatory_service): row 12 (3.1) "+", group 3.0 "100%".
    ("3.1", CareType.AMBULATORY_SERVICE, Basis.COST, Decimal("1"), "100%"),
    # Column 6 (inpatient): row 17 (4.0), a group without sub-codes, prints "100%" itself.
    ("4.0", CareType.INPATIENT, Basis.COST, Decimal("1"), "100%"),
    # Column 6: row 14 (3.3) "+", group 3.0 prints "50%" in column 6.
    ("3.3", CareType.INPATIENT, Basis.COST, Decimal("0.5"), "50%"),
    # Column 7 (emergency): row 45 (8.2) "+", group 8.0 (row 43) "25 ПН".
    ("8.2", CareType.EMERGENCY, Basis.PN, Decimal("25"), "25 ПН"),
    # Column 7: row 46 (9.0) prints "100 ПН".
    ("9.0", CareType.EMERGENCY, Basis.PN, Decimal("100"), "100 ПН"),
    # Column 8 (rural), second half: row 46 (9.0) prints "50 КПН".
    ("9.0", CareType.RURAL, Basis.KPN, Decimal("50"), "50 КПН"),
    # Column 8: row 50 (12.0) prints "20 КПН" (first half prints "-" there for column 4).
    ("12.0", CareType.RURAL, Basis.KPN, Decimal("20"), "20 КПН"),
    # Column 9 (mental_health): row 44 (8.1) "+", group 8.0 prints "10 КТ".
    ("8.1", CareType.MENTAL_HEALTH, Basis.KT, Decimal("10"), "10 КТ"),
    # Column 10 (tuberculosis): row 47 (10.0) prints "0,5 КТ".
    ("10.0", CareType.TUBERCULOSIS, Basis.KT, Decimal("0.5"), "0,5 КТ"),
    # Column 10: row 2 (1.1) "+", group 1.0 prints "1КТ" (printed without a space).
    ("1.1", CareType.TUBERCULOSIS, Basis.KT, Decimal("1"), "1КТ"),
    # Column 11 (hiv): row 20 (5.2) "+", group 5.0 prints "1 КТ".
    ("5.2", CareType.HIV, Basis.KT, Decimal("1"), "1 КТ"),
    # Column 12 (pathology): row 12 (3.1) "+", group 3.0 prints "100%".
    ("3.1", CareType.PATHOLOGY, Basis.COST, Decimal("1"), "100%"),
    # Column 12: row 47 (10.0) prints "50%".
    ("10.0", CareType.PATHOLOGY, Basis.COST, Decimal("0.5"), "50%"),
    # Column 13 (blood_services): row 20 (5.2) "+", group 5.0 prints "300%".
    ("5.2", CareType.BLOOD_SERVICES, Basis.COST, Decimal("3"), "300%"),
    # Column 7: row 36 (6.12), repeat ambulance call, "+"; group 6.0 prints "10 ПН".
    ("6.12", CareType.EMERGENCY, Basis.PN, Decimal("10"), "10 ПН"),
    # Column 5: row 41 (7.1), waiting for КДУ, "+"; group 7.0 prints "30%".
    ("7.1", CareType.AMBULATORY_SERVICE, Basis.COST, Decimal("0.3"), "30%"),
]


@pytest.mark.parametrize(("code", "care_type", "basis", "factor", "printed"), HAND_WORKED)
def test_hand_worked_penalties(
    ed2022: od.Edition, code: str, care_type: CareType, basis: Basis, factor: Decimal, printed: str
) -> None:
    p = ed2022.penalty(code, care_type)
    assert (p.basis, p.factor, p.printed) == (basis, factor, printed)
    assert p.edition == "2022-10-16"


def test_every_column_is_exercised() -> None:
    assert {ct for _, ct, *_ in HAND_WORKED} == set(CareType)


def test_code_11_patient_expenses(ed2022: od.Edition) -> None:
    # Прил. 1, row 49 (11.0): one merged cell across every column, "Снятие на сумму затрат,
    # подтвержденных документально ..." — the patient's documented expenses, in every column.
    for ct in CareType:
        assert ed2022.penalty("11.0", ct).basis is Basis.PATIENT_EXPENSES


def test_issue_api_examples(clf: od.Classifier) -> None:
    ed = clf.edition(on=dt.date(2023, 5, 1))
    assert ed.penalty("5.2", "inpatient").factor == Decimal("3")
    assert ed.penalty("5.2.", CareType.INPATIENT).basis is Basis.COST
    # Since the 2026 edition was added, the newest edition is 2026: 2022 is asked for by date.
    assert clf.edition(on=dt.date(2023, 5, 1)) is clf.edition(id="2022-10-16")
    assert [c.id for c in ed.care_types] == [c.value for c in CareType]
    assert CareType.INPATIENT.value == "inpatient"


def test_reference_names_the_group_and_column(ed2022: od.Edition) -> None:
    assert (
        ed2022.penalty("5.2", "inpatient").reference == "Прил. 1, код 5.2 (сумма группы 5.0), гр. 6"
    )
    assert ed2022.penalty("4.0", "inpatient").reference == "Прил. 1, код 4.0, гр. 6"


@pytest.mark.parametrize(
    ("code", "care_type"),
    [
        ("5.4", "inpatient"),  # row 22: "-" in column 6
        ("4.0", "ambulatory_capitation"),  # row 17: "-" in column 4
        ("6.12", "rural"),  # row 36, second half: "-" in column 8
        ("12.0", "emergency"),  # row 50: "-" in column 7
    ],
)
def test_not_applicable(ed2022: od.Edition, code: str, care_type: str) -> None:
    with pytest.raises(od.NotApplicableError, match=f"code {code} does not apply"):
        ed2022.penalty(code, care_type)


@pytest.mark.parametrize(
    ("code", "care_type", "group"),
    [
        ("1.2", "ambulatory_service", "1.0"),  # row 4..: "+" in col 5, group 1.0 prints "-"
        ("6.13", "pathology", "6.0"),  # row 37: "+" in col 12, group 6.0 prints "-"
        ("8.1", "pathology", "8.0"),  # row 44: "+" in col 12, group 8.0 prints "-"
    ],
)
def test_penalty_undefined_is_never_a_silent_zero(
    ed2022: od.Edition, code: str, care_type: str, group: str
) -> None:
    with pytest.raises(od.PenaltyUndefinedError, match=f"its group {group} prints '-'"):
        ed2022.penalty(code, care_type)


@pytest.mark.parametrize("code", ["1.0", "2.0", "3.0", "5.0", "6.0", "7.0", "8.0"])
def test_group_with_subcodes_is_not_assignable(ed2022: od.Edition, code: str) -> None:
    # Reading R1: the group row carries the amount, the sub-code is what is assigned.
    with pytest.raises(od.GroupCodeNotAssignableError):
        ed2022.penalty(code, "inpatient")


def test_unknown_code_and_care_type(ed2022: od.Edition) -> None:
    with pytest.raises(od.UnknownDefectCodeError, match=r"'13\.0'.*allowed codes: 1\.0, 1\.1"):
        ed2022.penalty("13.0", "inpatient")
    with pytest.raises(od.UnknownCareTypeError, match=r"'dental'.*allowed: ambulatory_capitation"):
        ed2022.penalty("5.2", "dental")


def test_period_in_force_boundaries(clf: od.Classifier) -> None:
    # In force 16.10.2022 (ten days after publication) to 13.01.2024 (order No. 174 from 14.01.2024).
    assert clf.edition(on=dt.date(2022, 10, 16)).id == "2022-10-16"
    assert clf.edition(on=dt.date(2024, 1, 13)).id == "2022-10-16"
    with pytest.raises(od.NoEditionError, match="2022-10-16 to 2024-01-13"):
        clf.edition(on=dt.date(2022, 10, 15))
    # From 14.01.2024 order No. 174 applied, whose text is missing: a gap, never 2022's table.
    with pytest.raises(od.NoEditionError, match="№ 174"):
        clf.edition(on=dt.date(2024, 1, 14))


def test_rows_as_printed(ed2022: od.Edition) -> None:
    # 43 printed rows numbered 1..50 with gaps; the "4.." typo kept as printed.
    assert len(ed2022.defects) == 43
    assert [d.row for d in ed2022.defects[:4]] == ["1", "2", "4..", "5."]
    assert ed2022.defects[-1].row == "50."
    assert ed2022.defects[0].code == "1.0." and ed2022.defects[0].id == "1.0"
    assert ed2022.defects[4].code == "2.0"
    assert ed2022.defects[0].name == "Необоснованное оказание медицинской помощи"
    assert ed2022.order.number == "ҚР ДСМ-105"
    assert ed2022.registration.number == "29920"
    assert ed2022.registration.date == dt.date(2022, 9, 30)


def test_lint_of_the_printed_table(ed2022: od.Edition) -> None:
    """Every inconsistency of the printed table, found by reading Annex 1 by hand."""
    found = {(f.kind, f.code, f.care_type) for f in ed2022.lint()}
    expected = {
        # "+" on a sub-code whose group prints "-" in that column:
        ("applicable_without_amount", "1.2", "ambulatory_service"),
        ("applicable_without_amount", "1.2", "hiv"),
        ("applicable_without_amount", "1.2", "pathology"),
        ("applicable_without_amount", "1.2", "blood_services"),
        ("applicable_without_amount", "1.3", "ambulatory_service"),
        ("applicable_without_amount", "1.3", "hiv"),
        ("applicable_without_amount", "6.13", "pathology"),
        ("applicable_without_amount", "8.1", "pathology"),
        # a group amount that none of its sub-codes can use:
        ("orphan_amount", "6.0", "blood_services"),  # 6.0 prints 50 % in column 13
        ("orphan_amount", "7.0", "emergency"),  # 7.0 prints 15 ПН in column 7; 7.1 is "-"
        # the printed row number "4..":
        ("row_number_format", "1.2", None),
    }
    assert found == expected
