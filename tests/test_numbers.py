"""Money and dates in the local format of a Russian or Kazakh reader (issue 20, item 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from osms_defects.reports.numbers import format_date, format_money

NB = "\u00a0"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("345120.50"), f"345{NB}120,50"),
        (Decimal("345120.5"), f"345{NB}120,50"),
        (Decimal("1820.50"), f"1{NB}820,50"),
        (Decimal("999.99"), "999,99"),
        (Decimal("0"), "0,00"),
        (Decimal("1234567.891"), f"1{NB}234{NB}567,89"),
        (Decimal("-865000"), f"-865{NB}000,00"),
        (3460000, f"3{NB}460{NB}000,00"),
    ],
)
def test_money_ru_kk(value: Decimal | int, text: str) -> None:
    assert format_money(value, "ru") == text == format_money(value, "kk")


def test_money_matches_babel_when_installed() -> None:
    numbers = pytest.importorskip("babel.numbers")
    for v in (Decimal("345120.50"), Decimal("1820.5"), Decimal("0.01")):
        for loc in ("ru", "kk"):
            got = numbers.format_decimal(v, format="#,##0.00", locale=loc)
            assert got.replace("\u202f", NB) == format_money(v, loc), (v, loc, got)


def test_empty_and_dates() -> None:
    assert format_money(None) == "" and format_date(None) == ""
    assert format_date(dt.date(2023, 7, 31)) == "31.07.2023"
    with pytest.raises(ValueError):
        format_money(Decimal(1), "en")
