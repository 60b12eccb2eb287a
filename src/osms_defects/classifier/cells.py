"""The cells of Annex 1 and what each printed cell means.

The note under the table (Прил. 1, Примечание): «знак "+" - данные коды и подкоды дефектов
применяются для данной формы/вида медицинской помощи; знак "-" - ... не применяются». A group
row (x.0) carries the amount, in the unit of its column; group 2.0 carries "0" (recorded,
nothing deducted); code 11.0 carries, across every column, «Снятие на сумму затрат,
подтвержденных документально с уведомлением от поставщика о возврате сумм пациенту».
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class Basis(StrEnum):
    """What a penalty's factor multiplies (the unit printed in the cell)."""

    KPN = "KPN"  # кратность (Б)КПН: multiples of the (base) complex per-capita norm
    PN = "PN"  # кратность ПН: multiples of the base emergency per-capita norm
    KT = "KT"  # кратность КТ: multiples of the complex tariff (medico-social care)
    COST = "COST"  # % от стоимости пролеченного случая / услуги: share of the case's cost
    NONE = "NONE"  # "0": the defect is recorded, nothing is deducted (group 2.0)
    PATIENT_EXPENSES = "PATIENT_EXPENSES"  # code 11.0: the patient's documented expenses


class CellKind(StrEnum):
    AMOUNT = "amount"  # "30 КПН", "300%", "0,5 КТ"
    APPLIES = "applies"  # "+"
    NOT_APPLICABLE = "not_applicable"  # "-"
    ZERO = "zero"  # "0"
    PATIENT_EXPENSES = "patient_expenses"  # the text of code 11.0
    # Edition 2026: a cell printed with two readings, "20 КПН/ПН" (column 4 is paid in
    # multiples of БКПН or ПН) or "1 КТ / 100%" (column 16: КТ or share of the service's cost).
    # The caller chooses a reading by its basis (reading E4 in docs/readings.md).
    TWO_READINGS = "two_readings"


PATIENT_EXPENSES_TEXT = (
    "Снятие на сумму затрат, подтвержденных документально с уведомлением от поставщика "
    "о возврате сумм пациенту"
)

_UNIT_BASIS = {"КПН": Basis.KPN, "ПН": Basis.PN, "КТ": Basis.KT}
# A multiple: digits with an optional decimal comma, an optional space, a Cyrillic unit.
_MULTIPLE = re.compile(r"^(\d+(?:,\d+)?) ?(КПН|ПН|КТ)$")
_PERCENT = re.compile(r"^(\d+(?:,\d+)?)%$")
# Edition 2026, column 4: one number, two units ("20 КПН/ПН").
_UNIT_PAIR = re.compile(r"^(\d+(?:,\d+)?) ?(КПН|ПН|КТ)/(КПН|ПН|КТ)$")
ALLOWED_CELLS = (
    '"<n> КПН", "<n> ПН", "<n> КТ" (Cyrillic units, decimal comma), "<n>%", "+", "-", "0", '
    'the text of code 11.0, or two readings "<n> КПН/ПН", "<n> КТ / <n>%"'
)


@dataclass(frozen=True, slots=True)
class Cell:
    """One printed cell, parsed. ``printed`` keeps the text exactly as in the source."""

    printed: str
    kind: CellKind
    basis: Basis | None = None
    factor: Decimal | None = None
    readings: tuple[Cell, ...] = field(default=())  # TWO_READINGS: one AMOUNT cell per reading

    def reading(self, basis: Basis | str) -> Cell | None:
        """The reading of a two-reading cell whose basis is ``basis`` (None if none)."""
        return next((r for r in self.readings if r.basis == str(basis)), None)


class CellError(ValueError):
    """A cell that is not one of the printed forms."""


def _number(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def parse_cell(printed: str) -> Cell:
    """Parse a printed cell; raise CellError naming the cell and the allowed forms."""
    text = printed.strip()
    if text == "+":
        return Cell(printed, CellKind.APPLIES)
    if text == "-":
        return Cell(printed, CellKind.NOT_APPLICABLE)
    if text == "0":
        return Cell(printed, CellKind.ZERO, Basis.NONE, Decimal("0"))
    if text == PATIENT_EXPENSES_TEXT:
        # Code 11.0: the documented expenses are deducted in full (factor 1).
        return Cell(printed, CellKind.PATIENT_EXPENSES, Basis.PATIENT_EXPENSES, Decimal("1"))
    if m := _UNIT_PAIR.match(text):
        value = _number(m.group(1))
        units = (m.group(2), m.group(3))
        if units[0] == units[1] or value == 0:
            raise CellError(f"cell {printed!r}: two readings need two units and a non-zero amount")
        readings = tuple(
            Cell(f"{m.group(1)} {u}", CellKind.AMOUNT, _UNIT_BASIS[u], value) for u in units
        )
        return Cell(printed, CellKind.TWO_READINGS, readings=readings)
    if " / " in text:
        parts = [parse_cell(p) for p in text.split(" / ")]
        if len(parts) != 2 or any(p.kind is not CellKind.AMOUNT for p in parts):
            raise CellError(f"cell {printed!r}: two readings must both be amounts")
        if parts[0].basis == parts[1].basis:
            raise CellError(f"cell {printed!r}: two readings in the same unit")
        return Cell(printed, CellKind.TWO_READINGS, readings=tuple(parts))
    if m := _MULTIPLE.match(text):
        value = _number(m.group(1))
        if value == 0:
            raise CellError(f"cell {printed!r}: a zero amount is printed as '0'")
        return Cell(printed, CellKind.AMOUNT, _UNIT_BASIS[m.group(2)], value)
    if m := _PERCENT.match(text):
        value = _number(m.group(1))
        if value == 0:
            raise CellError(f"cell {printed!r}: a zero amount is printed as '0'")
        return Cell(printed, CellKind.AMOUNT, Basis.COST, value / 100)
    hint = ""
    if text.startswith("-") and len(text) > 1:
        hint = " (a negative amount is not allowed)"
    elif re.search(r"[A-Za-z]", text):
        hint = " (the units are written in Cyrillic: КПН, ПН, КТ)"
    elif "." in text and re.match(r"^\d+\.\d+", text):
        hint = " (the decimal separator is a comma, as printed: '0,5 КТ')"
    raise CellError(f"cell {printed!r} is not a printed form{hint}; allowed: {ALLOWED_CELLS}")
