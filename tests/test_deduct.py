"""Hand-worked deductions (п. 12, 30, 54, 58, 59 Правил; Прил. 1). Each expected amount is
factor × base worked by hand from the printed Annex 1 (shared/seeds/001_98e3829c3dd618e7.txt),
not from the code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import osms_defects as od
from osms_defects.deductions import (
    ErrorKind,
    Finding,
    MonitoringKind,
    Status,
    deduct,
    deduct_many,
    remedy_due,
)

D = dt.date(2023, 5, 15)  # in force: edition 2022-10-16


def f(code: str, care: str, base: str | None = "100000.00", **kw: object) -> Finding:
    return Finding(code=code, care_type=care, detected_on=D, base_amount=base, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "care", "base", "amount"),
    [
        # Прил. 1 row 20 (5.2), гр. 6: group 5.0 prints 300%: 3 × 250 000.00 = 750 000.00
        ("5.2", "inpatient", "250000.00", "750000.00"),
        # row 25 (6.1), гр. 4: group 6.0 prints 15 КПН: 15 × 1 234.56 = 18 518.40
        ("6.1", "ambulatory_capitation", "1234.56", "18518.40"),
        # row 45 (8.2), гр. 7: group 8.0 prints 25 ПН: 25 × 512.37 = 12 809.25
        ("8.2", "emergency", "512.37", "12809.25"),
        # row 47 (10.0), гр. 10: 0,5 КТ: 0.5 × 100 000.01 = 50 000.005 → 50 000.01 (half up)
        ("10.0", "tuberculosis", "100000.01", "50000.01"),
        # row 25 (6.1), гр. 6: 30%: 0.3 × 0.05 = 0.015 → 0.02 (half up)
        ("6.1", "inpatient", "0.05", "0.02"),
        # row 25 (6.1), гр. 6: 30%: 0.3 × 0.01 = 0.003 → 0.00
        ("6.1", "inpatient", "0.01", "0.00"),
        # row 46 (9.0), гр. 7: 100 ПН: 100 × 3 000.00 = 300 000.00
        ("9.0", "emergency", "3000.00", "300000.00"),
    ],
)
def test_factor_times_base(code: str, care: str, base: str, amount: str) -> None:
    d = deduct(f(code, care, base))
    assert d.status is Status.DEDUCTED
    assert d.amount == Decimal(amount)
    assert str(d.amount) == amount  # two decimals always
    assert "п. 12, 30" in d.reference and f"код {code}" in d.reference


def test_code_11_deducts_documented_expenses_in_full() -> None:
    # Прил. 1, код 11.0: «Снятие на сумму затрат, подтвержденных документально» (reading R3)
    d = deduct(f("11.0", "inpatient", None, documented_amount="45678.90"))
    assert (d.status, d.amount, d.base) == (
        Status.DEDUCTED,
        Decimal("45678.90"),
        Decimal("45678.90"),
    )


def test_basis_none_records_zero() -> None:
    # Прил. 1, группа 2.0 prints "0": recorded, nothing deducted; a base is not needed
    d = deduct(f("2.1", "inpatient", None))
    assert (d.status, str(d.amount)) == (Status.RECORDED, "0.00")


def test_proactive_warning_and_remedy_date() -> None:
    # п. 54: no deduction; п. 58: 45 calendar days after signing (2023-05-20 + 45 = 2023-07-04)
    d = deduct(
        f(
            "6.1",
            "inpatient",
            monitoring_kind="proactive",
            conclusion_signed_on=dt.date(2023, 5, 20),
        )
    )
    assert d.status is Status.WARNING and str(d.amount) == "0.00"
    assert d.remedy_due == remedy_due(dt.date(2023, 5, 20))
    assert d.remedy_due >= dt.date(2023, 7, 4)
    assert "п. 54" in d.reference and "п. 58" in d.reference


@pytest.mark.parametrize("code", ["3.1", "5.2", "8.1"])
def test_proactive_exempt_groups_deduct(code: str) -> None:
    # п. 54: «за исключением ... 3.0 с поддефектами, 5.0 с поддефектами, 8.0 с поддефектами»
    d = deduct(f(code, "inpatient", "1000.00", monitoring_kind=MonitoringKind.PROACTIVE))
    assert d.status is Status.DEDUCTED and d.amount is not None and d.amount > 0


def test_unremedied_applies_p59() -> None:
    # п. 59: not remedied → deducts as under current monitoring: 30% × 1 000.00 = 300.00
    fi = f(
        "6.1",
        "inpatient",
        "1000.00",
        monitoring_kind="proactive",
        conclusion_signed_on=dt.date(2023, 5, 20),
    )
    d = deduct(fi, unremedied=True)
    assert (d.status, d.amount) == (Status.DEDUCTED, Decimal("300.00"))
    assert "п. 59" in d.reference


def test_proactive_warning_needs_signed_on() -> None:
    d = deduct(f("6.1", "inpatient", monitoring_kind="proactive"))
    assert d.error_kind is ErrorKind.SIGNED_ON_MISSING


@pytest.mark.parametrize(
    ("base", "kind"),
    [
        (None, ErrorKind.BASE_MISSING),
        ("0", ErrorKind.BASE_ZERO),
        ("-5.00", ErrorKind.BASE_NEGATIVE),
        (Decimal("NaN"), ErrorKind.BASE_NOT_A_NUMBER),
        ("1.005", ErrorKind.BASE_TOO_PRECISE),
        ("1" + "0" * 18, ErrorKind.BASE_OUT_OF_RANGE),
    ],
)
def test_base_errors(base: object, kind: ErrorKind) -> None:
    d = deduct(f("5.2", "inpatient", base))  # type: ignore[arg-type]
    assert d.status is Status.ERROR and d.amount is None and d.error_kind is kind


@pytest.mark.parametrize(
    ("code", "care", "kind"),
    [
        ("99.9", "inpatient", ErrorKind.UNKNOWN_CODE),
        ("5.2", "dentistry", ErrorKind.UNKNOWN_CARE_TYPE),
        ("5.4", "inpatient", ErrorKind.NOT_APPLICABLE),  # row 22, гр. 6 prints "-"
        ("1.2", "ambulatory_service", ErrorKind.PENALTY_UNDEFINED),  # reading R2
        ("5.0", "inpatient", ErrorKind.GROUP_NOT_ASSIGNABLE),  # reading R1
    ],
)
def test_classifier_errors(code: str, care: str, kind: ErrorKind) -> None:
    assert deduct(f(code, care)).error_kind is kind


def test_no_edition() -> None:
    fi = Finding(
        code="5.2", care_type="inpatient", detected_on=dt.date(2020, 1, 1), base_amount="1"
    )
    assert deduct(fi).error_kind is ErrorKind.NO_EDITION


def test_float_money_is_refused() -> None:
    with pytest.raises(ValueError, match="never a float"):
        f("5.2", "inpatient", 1.5)  # type: ignore[arg-type]


def test_rows_of_text_and_case_policy() -> None:
    rows = [
        {
            "case_id": "A",
            "provider_id": "P",
            "code": "6.1",
            "care_type": "inpatient",
            "base_amount": "1000.00",
            "monitoring_kind": "current",
            "detected_on": "2023-05-15",
        },
        {
            "case_id": "A",
            "provider_id": "P",
            "code": "5.2",
            "care_type": "inpatient",
            "base_amount": "1000.00",
            "monitoring_kind": "current",
            "detected_on": "2023-05-15",
        },
        {
            "case_id": "A",
            "provider_id": "P",
            "code": "5.2",
            "care_type": "inpatient",
            "base_amount": "abc",
            "monitoring_kind": "current",
            "detected_on": "2023-05-15",
        },
        {
            "code": "5.2",
            "care_type": "inpatient",
            "base_amount": "1",
            "monitoring_kind": "sometimes",
            "detected_on": "2023-05-15",
        },
    ]
    each = list(deduct_many(rows))
    assert [d.row for d in each] == [1, 2, 3, 4]
    assert [d.amount for d in each[:2]] == [Decimal("300.00"), Decimal("3000.00")]
    assert each[2].error_kind is ErrorKind.BASE_NOT_A_NUMBER and "'abc'" in (
        each[2].error_message or ""
    )
    assert each[3].error_kind is ErrorKind.INVALID_FIELD
    mx = list(deduct_many(rows, case_policy="max_per_case"))
    assert [d.status for d in mx] == [Status.RECORDED, Status.DEDUCTED, Status.ERROR, Status.ERROR]
    assert mx[0].amount == Decimal("0.00") and mx[1].amount == Decimal("3000.00")


def test_explain_and_html() -> None:
    d = deduct(f("5.2", "inpatient", "10.00"))
    text = d.explain()
    assert "Снятие 30.00 тенге" in text and "Deducted 30.00 tenge" in text
    assert "<table>" in d._repr_html_()


def test_top_level_exports() -> None:
    assert od.deduct is deduct and od.Finding is Finding


def test_remedy_date_rolls_to_next_working_day() -> None:
    # п. 58: 2023-11-01 + 45 calendar days = Saturday 2023-12-16 (Independence Day); 17 Dec is a
    # Sunday and 18 Dec the day off moved from the holiday: the term ends Tuesday 2023-12-19
    # (readings C1, C3 of the calendar; D4)
    assert remedy_due(dt.date(2023, 11, 1)) == dt.date(2023, 12, 19)
    assert remedy_due(dt.date(2023, 5, 20)) == dt.date(2023, 7, 4)  # a Tuesday: no move


def test_remedy_date_in_a_provisional_year_is_marked_or_refused() -> None:
    # п. 58: 45 calendar days from the day after signing on 01.12.2026: 2–31 December are 30
    # days, 1–15 January 15 more → Fri 15.01.2027, a working day. 2027 has no transfer act in
    # the data: the date is computed and marked; the strict calendar refuses it.
    from osms_defects.calendar import kazakhstan

    fi = f(
        "6.1", "inpatient", monitoring_kind="proactive", conclusion_signed_on=dt.date(2026, 12, 1)
    )
    cal = kazakhstan(today=dt.date(2026, 12, 7))
    d = deduct(fi, calendar=cal)
    assert d.status is Status.WARNING and d.remedy_due == dt.date(2027, 1, 15)
    assert d.calendar_provisional and d.calendar_note and "2027" in d.calendar_note
    strict = deduct(fi, calendar=cal.strict())
    assert strict.error_kind is ErrorKind.CALENDAR_RANGE
    # after the provisional horizon (end of 2028 counted from 2026) the term is an error
    from osms_defects.calendar import CalendarRangeError
    from osms_defects.deadlines import proactive_remedy

    with pytest.raises(CalendarRangeError):
        proactive_remedy(dt.date(2028, 12, 1), edition="2022", cal=cal)
    # a final year is not marked
    assert not deduct(f("6.1", "inpatient", monitoring_kind="proactive",
                        conclusion_signed_on=dt.date(2023, 5, 20))).calendar_provisional


def test_deduct_many_streams() -> None:
    import itertools

    def endless() -> object:
        for i in itertools.count():
            yield f("6.1", "inpatient", f"{i + 1}.00")

    first = list(itertools.islice(deduct_many(endless()), 3))  # type: ignore[arg-type]
    # п. 30, Прил. 1 6.1 гр. 6 «30%»: 0.30, 0.60, 0.90
    assert [d.amount for d in first] == [Decimal("0.30"), Decimal("0.60"), Decimal("0.90")]
    assert [d.row for d in first] == [1, 2, 3]


@pytest.mark.parametrize(
    ("finding", "ru", "en"),
    [
        (f("2.1", "inpatient", None), "Дефект учтен", "Defect recorded"),
        (
            f(
                "6.1",
                "inpatient",
                monitoring_kind="proactive",
                conclusion_signed_on=dt.date(2023, 5, 19),
            ),
            "устранению до 2023-07-03",
            "by 2023-07-03",
        ),
        (f("5.0", "inpatient"), "Ошибка (group_not_assignable)", "Error (group_not_assignable)"),
        (
            f("11.0", "inpatient", None, documented_amount="10.00"),
            "подтвержденных документально",
            "documented expenses",
        ),
    ],
)
def test_explain_every_status(finding: Finding, ru: str, en: str) -> None:
    d = deduct(finding)
    assert ru in d.explain("ru") and en in d.explain("en")
    assert d.explain() == d.explain("ru") + "\n" + d.explain("en")


def test_max_per_case_explains_the_zeroed_finding() -> None:
    rows = [
        f("6.1", "inpatient", "1000.00", case_id="K", provider_id="P"),
        f("5.2", "inpatient", "1000.00", case_id="K", provider_id="P"),
    ]
    a, b = deduct_many(rows, case_policy="max_per_case")
    assert (a.status, str(a.amount), b.amount) == (Status.RECORDED, "0.00", Decimal("3000.00"))
    assert "row 2" in (a.note or "") and "case_policy=max_per_case" in a.reference
    assert "наибольшее" in a.explain("ru")


@given(st.dates(dt.date(2020, 1, 1), dt.date(2026, 11, 1)))
@settings(max_examples=60, deadline=None)
def test_remedy_due_properties(signed: dt.date) -> None:
    # п. 58: at least 45 calendar days after signing, on a working day, at most a short holiday
    # run later (reading D4)
    from osms_defects.calendar import kazakhstan

    due = remedy_due(signed)
    assert signed + dt.timedelta(days=45) <= due <= signed + dt.timedelta(days=45 + 10)
    assert kazakhstan().is_workday(due)


def test_2026_edition_errors_and_kinds(clf: od.Classifier) -> None:
    """The 2026 edition (order No. 19): doubtful cells and two-reading cells are errors of the
    finding, never a guessed amount (readings E3, E4); only current and unplanned monitoring
    exist under the Rules of order No. 68 (п. 4; reading D9)."""
    ed = clf.edition(id="2026")
    day = max(ed.in_force.from_, dt.date(2026, 5, 4))
    seen: dict[str, ErrorKind | None] = {}
    for code, care, pen in ed.penalties():
        name = type(pen).__name__
        if name in seen:
            continue
        fi = Finding(code=code, care_type=care, detected_on=day, base_amount="1000.00")
        seen[name] = deduct(fi).error_kind
    assert seen.get("DoubtfulCellError") is ErrorKind.DOUBTFUL_CELL
    assert seen.get("ReadingRequiredError") is ErrorKind.READING_REQUIRED
    assert seen.get("Penalty") is None
    fi = Finding(code="1.1", care_type="inpatient_case_group", detected_on=day,
                 base_amount="1000.00", monitoring_kind="targeted")  # fmt: skip
    d = deduct(fi)
    assert d.error_kind is ErrorKind.KIND_NOT_IN_FORCE and "внеплановый" in (d.error_message or "")
