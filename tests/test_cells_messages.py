"""The printed-cell parser's messages and ids, word for word (issue 18: a mutation sample of
``classifier/cells.py`` changed them unnoticed; docs/testing.md). The kinds are stable ids of
the JSON export (docs/classifier.md); the messages are what a transcriber reads."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from osms_defects.classifier.cells import ALLOWED_CELLS, Cell, CellError, CellKind, parse_cell

ALLOWED = (
    '"<n> КПН", "<n> ПН", "<n> КТ" (Cyrillic units, decimal comma), "<n>%", "+", "-", "0", '
    'the text of code 11.0, or two readings "<n> КПН/ПН", "<n> КТ / <n>%"'
)


def test_stable_ids_and_the_allowed_forms() -> None:
    assert [k.value for k in CellKind] == [
        "amount", "applies", "not_applicable", "zero", "patient_expenses", "two_readings"
    ]  # fmt: skip
    assert ALLOWED_CELLS == ALLOWED


@pytest.mark.parametrize(
    ("printed", "message"),
    [
        ("30 KPN", f"cell '30 KPN' is not a printed form (the units are written in Cyrillic: КПН, ПН, КТ); allowed: {ALLOWED}"),
        ("1.5 КТ", f"cell '1.5 КТ' is not a printed form (the decimal separator is a comma, as printed: '0,5 КТ'); allowed: {ALLOWED}"),
        ("-5 КПН", f"cell '-5 КПН' is not a printed form (a negative amount is not allowed); allowed: {ALLOWED}"),
        ("0,5.КТ", f"cell '0,5.КТ' is not a printed form; allowed: {ALLOWED}"),
        ("0 КПН", "cell '0 КПН': a zero amount is printed as '0'"),
        ("0%", "cell '0%': a zero amount is printed as '0'"),
        ("0 КПН/ПН", "cell '0 КПН/ПН': two readings need two units and a non-zero amount"),
        ("20 КПН/КПН", "cell '20 КПН/КПН': two readings need two units and a non-zero amount"),
        ("1 КТ / 2 КТ", "cell '1 КТ / 2 КТ': two readings in the same unit"),
        ("1 КТ / +", "cell '1 КТ / +': two readings must both be amounts"),
    ],
)  # fmt: skip
def test_refused_cells(printed: str, message: str) -> None:
    with pytest.raises(CellError) as info:
        parse_cell(printed)
    assert str(info.value) == message


def test_accepted_cells_and_immutability() -> None:
    one = parse_cell("1 КПН/ПН")  # the smallest non-zero pair (2026, column 4; reading E4)
    assert one.kind is CellKind.TWO_READINGS and [r.factor for r in one.readings] == [1, 1]
    half = parse_cell("0,5 КТ")
    assert half.kind is CellKind.AMOUNT and half.factor == Decimal("0.5")
    assert parse_cell("300%").factor == Decimal("3")
    with pytest.raises(dataclasses.FrozenInstanceError):
        half.printed = "x"  # type: ignore[misc]
    assert isinstance(half, Cell)
