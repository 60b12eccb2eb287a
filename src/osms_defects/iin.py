"""ИИН (индивидуальный идентификационный номер): validation and masking.

The forms of the Rules print the patient's ИИН in the conclusion (Прил. 2, раздел 9 и 12:
«ИИН»). An ИИН is personal data under the Law of the Republic of Kazakhstan «О персональных
данных и их защите» (21.05.2013 № 94-V): it is collected and shown only as far as the purpose
needs. The library therefore validates every ИИН it is given and masks it in its outputs
unless the caller asks for the full number (``--show-iin``); see ``docs/reports.md``.

The check digit (12th digit): weights 1..11 over the first 11 digits, sum mod 11; if that is
10, weights 3, 4, …, 11, 1, 2, sum mod 11; if that is 10 again, the number is not a valid ИИН.
"""

from __future__ import annotations

from typing import Literal

from .errors import InvalidIINError

__all__ = ["MaskStyle", "iin_check_digit", "is_valid_iin", "mask_iin", "validate_iin"]

_WEIGHTS_1 = tuple(range(1, 12))  # 1, 2, …, 11
_WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)

#: how a masked ИИН looks: "tail" keeps the last 4 digits (default), "birthdate" the first 6
#: (ГГММДД, the date of birth), "none" masks all 12.
MaskStyle = Literal["tail", "birthdate", "none"]


def iin_check_digit(first11: str) -> int | None:
    """The check digit of the first 11 digits, or None when no digit is valid (both sums 10)."""
    if len(first11) != 11 or not first11.isascii() or not first11.isdigit():
        raise InvalidIINError(f"expected 11 digits to compute an ИИН check digit, got {first11!r}")
    digits = [int(c) for c in first11]
    for weights in (_WEIGHTS_1, _WEIGHTS_2):
        rest = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if rest != 10:
            return rest
    return None


def _problem(iin: str) -> str | None:
    if len(iin) != 12 or not iin.isascii() or not iin.isdigit():
        return "an ИИН is exactly 12 digits"
    check = iin_check_digit(iin[:11])
    if check is None:
        return "its first 11 digits give no valid check digit (both weighted sums are 10 mod 11)"
    if check != int(iin[11]):
        return f"wrong check digit: the 12th digit is {iin[11]}, the first 11 give {check}"
    return None


def is_valid_iin(iin: str) -> bool:
    """True if ``iin`` is 12 digits with a correct check digit."""
    return _problem(iin) is None


def validate_iin(iin: str, *, where: str = "") -> str:
    """Return ``iin`` (stripped) if valid; raise InvalidIINError naming where and why."""
    value = iin.strip()
    problem = _problem(value)
    if problem is not None:
        prefix = f"{where}: " if where else ""
        raise InvalidIINError(f"{prefix}invalid ИИН {value!r}: {problem}")
    return value


def mask_iin(iin: str, style: MaskStyle = "tail") -> str:
    """Mask a (valid) ИИН for output: ``********1234`` by default.

    Why the last four digits: they let the provider match the line with its own records
    together with the medical record number, and they reveal neither the date of birth (digits
    1–6) nor the century and sex (digit 7) — personal data the reader of a report does not need
    (Закон РК «О персональных данных и их защите», принцип минимизации).
    """
    value = validate_iin(iin)
    if style == "tail":
        return "*" * 8 + value[8:]
    if style == "birthdate":
        return value[:6] + "*" * 6
    return "*" * 12
