"""The amount checks' messages, word for word (issue 18: a mutation sample of
``deductions/amounts.py`` changed every one of them unnoticed; docs/testing.md). They are the
texts a fund analyst reads in the ``error`` column, so they are part of the contract."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import osms_defects as od
from osms_defects.deductions.amounts import ALLOWED, check_amount, parse_amount
from osms_defects.errors import AmountSyntaxError

GRAMMAR = "a decimal number of tenge with a decimal point and at most two decimals, e.g. 12345.67"
#: what a text written with a decimal comma is told (issue 19: read only in a ; or tab file)
COMMA_HINT = (
    "; a decimal comma is read only in a file separated by ';' or tabs (as Excel saves it in a "
    "Russian or Kazakh locale), and never with three decimals (1,487 could be 1487 or 1.487)"
)


def test_the_grammar_text() -> None:
    assert ALLOWED == GRAMMAR


@pytest.mark.parametrize(
    ("value", "required", "kind", "message"),
    [
        (None, True, "base_missing", f"base_amount is missing; {GRAMMAR}"),
        (Decimal("NaN"), True, "base_not_a_number", f"base_amount NaN is not a number; {GRAMMAR}"),
        (Decimal("-1.00"), True, "base_negative", f"base_amount -1.00 is negative; {GRAMMAR}"),
        (Decimal(10) ** 18, True, "base_out_of_range",
         "base_amount 1000000000000000000 has more than 18 integer digits"),
        (Decimal("1.005"), True, "base_too_precise",
         f"base_amount 1.005 has more than two decimals (not a whole number of tiyn); {GRAMMAR}"),
        (Decimal("0.00"), True, "base_zero",
         f"base_amount is zero where a positive amount is needed; {GRAMMAR}"),
    ],
)  # fmt: skip
def test_check_amount_messages(
    value: Decimal | None, required: bool, kind: str, message: str
) -> None:
    assert check_amount(value, required=required, what="base_amount") == (kind, message)


def test_not_required_amounts() -> None:
    assert check_amount(None, required=False, what="x") is None
    assert check_amount(Decimal("0.00"), required=False, what="x") is None
    assert check_amount(Decimal("999999999999999999.99"), required=True, what="x") is None


def test_parse_amount() -> None:
    assert parse_amount("") is None and parse_amount("   ") is None
    assert parse_amount(" 12.50 ") == Decimal("12.50")
    with pytest.raises(AmountSyntaxError) as info:
        parse_amount("1 487,35")
    assert str(info.value) == f"'1 487,35' is not a number; allowed: {GRAMMAR}{COMMA_HINT}"
    # an empty amount in a Finding is "not given", not a syntax error
    f = od.Finding(code="2.1", care_type="inpatient", detected_on=dt.date(2023, 5, 3), base_amount="")
    assert f.base_amount is None


def test_the_messages_reach_the_error_column() -> None:
    row = {"code": "5.2", "care_type": "inpatient", "monitoring_kind": "current",
           "detected_on": "2023-05-03"}  # fmt: skip
    d = next(iter(od.deduct_many([{**row, "base_amount": "1 487,35"}])))
    assert d.error == (
        f"base_not_a_number: base_amount '1 487,35' is not a number; {GRAMMAR}{COMMA_HINT}"
    )
