"""The classes of defects of the 2026 Rules (п. 11–14 of the Rules as rewritten by order
No. 68): общие / потенциальные / дополнительные; п. 12: «Применение общих дефектов и нарушений
не влияет на уменьшение суммы, подлежащей оплате» (reading D10). Amounts worked by hand from
the printed 2026 Annex 1 (shared/sources/monitoring-rules_2026-02-27.ru.txt)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from osms_defects.deductions import ErrorKind, Finding, Status, deduct, deduct_row
from osms_defects.deductions.model import DefectClass

D2026 = dt.date(2026, 5, 4)  # edition "2026"
D2022 = dt.date(2023, 5, 15)  # edition "2022-10-16"


def f(cls: str | None, on: dt.date = D2026, code: str = "5.1", care: str = "inpatient_bed_day",
      base: str | None = "12000.00") -> Finding:  # fmt: skip
    return Finding(code=code, care_type=care, detected_on=on, base_amount=base,  # type: ignore[arg-type]
                   defect_class=cls)  # type: ignore[arg-type]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "cls"),
    [("general", DefectClass.GENERAL), ("Общие", DefectClass.GENERAL),
     ("общий", DefectClass.GENERAL), (" потенциальные ", DefectClass.POTENTIAL),
     ("additional", DefectClass.ADDITIONAL), ("дополнительный", DefectClass.ADDITIONAL)],
)  # fmt: skip
def test_parse_ids_and_russian_names(text: str, cls: DefectClass) -> None:
    assert DefectClass.parse(text) is cls
    assert f(text).defect_class is cls


def test_unknown_class_names_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"general \(общие\).*additional"):
        DefectClass.parse("automatic")
    d = deduct_row({"code": "5.1", "care_type": "inpatient_bed_day", "base_amount": "1.00",
                    "monitoring_kind": "current", "detected_on": "2026-05-04",
                    "defect_class": "automatic"})  # fmt: skip
    assert d.status is Status.ERROR and d.error_kind is ErrorKind.INVALID_FIELD
    assert "defect_class 'automatic'" in d.error


def test_general_is_recorded_with_zero_and_paragraph_12() -> None:
    # ru.txt:362 / 394: 5.1 «+» under 5.0 «300%» in гр. 9 (койко-день) — but п. 12: general → 0
    d = deduct(f("general"))
    assert d.status is Status.RECORDED and d.amount == Decimal("0.00")
    assert d.factor == Decimal("3")  # the cell is still named
    assert "п. 12 Правил в ред. приказа № 68" in d.reference
    assert "не влияет на уменьшение суммы" in d.reference


def test_general_needs_no_base() -> None:
    d = deduct(f("general", base=None))
    assert d.status is Status.RECORDED and d.amount == Decimal("0.00")


@pytest.mark.parametrize(("cls", "para"), [("potential", "п. 13"), ("additional", "п. 14")])
def test_potential_and_additional_deduct(cls: str, para: str) -> None:
    # ru.txt:361: 5.0 «300%» in гр. 9; 3 × 12 000.00 = 36 000.00
    d = deduct(f(cls))
    assert d.status is Status.DEDUCTED and d.amount == Decimal("36000.00")
    assert f"{para} Правил в ред. приказа № 68" in d.reference


def test_absent_class_deducts_and_says_so() -> None:
    """D10: not stated → the table's amount, with the reading named in the reference."""
    d = deduct(f(None))
    assert d.status is Status.DEDUCTED and d.amount == Decimal("36000.00")
    assert "тип выявления не указан" in d.reference and "D10" in d.reference


@pytest.mark.parametrize("cls", ["general", "potential", "additional"])
def test_class_under_2022_is_an_error(cls: str) -> None:
    d = deduct(f(cls, on=D2022, code="5.2", care="inpatient"))
    assert d.status is Status.ERROR and d.error_kind is ErrorKind.CLASS_NOT_IN_EDITION
    assert "2022-10-16" in d.error and "п. 11" in d.error


def test_no_class_under_2022_is_unchanged() -> None:
    # seed 001, Прил. 1: 5.2 under 5.0 «300%» in гр. 6: 3 × 12 000.00 = 36 000.00
    d = deduct(f(None, on=D2022, code="5.2", care="inpatient"))
    assert d.status is Status.DEDUCTED and d.amount == Decimal("36000.00")
    assert "п. 11" not in d.reference and "D10" not in d.reference


def test_explain_names_paragraph_12_for_a_general_defect() -> None:
    text = deduct(f("general")).explain()
    assert "Общий дефект" in text and "п. 12" in text and "Annex 1 prints '0'" not in text
