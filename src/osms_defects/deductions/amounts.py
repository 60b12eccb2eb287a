"""Money in tenge: the grammar of amounts in files, the checks on a base amount, rounding.

Money is ``Decimal`` from parsing to output (developers' guide); an amount is rounded to two
decimals ROUND_HALF_UP on each finding (reading D2 in docs/readings.md).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from ..errors import AmountSyntaxError

TIYN = Decimal("0.01")
#: an amount in a file: digits, an optional decimal point and decimals; a leading minus is read
#: (so that a negative base is reported as negative, not as "not a number")
#: ASCII digits only: Arabic-Indic or full-width digits are not read as a number (issue 19)
AMOUNT_RE = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
#: an amount in the Russian convention (``1 487,35``): read only from a ``;`` or tab file
_RU_AMOUNT_RE = re.compile(r"^-?[0-9][0-9 \u00a0\u202f]*,[0-9]+$")
#: amounts up to 10**18 tenge: the columnar path's Int128 arithmetic is exact below this
MAX_INTEGER_DIGITS = 18
LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS
ALLOWED = "a decimal number of tenge with a decimal point and at most two decimals, e.g. 12345.67"


def parse_amount(text: str) -> Decimal | None:
    """'12345.67' → Decimal; '' → None (missing); anything else → AmountSyntaxError."""
    t = text.strip()
    if t == "":
        return None
    if not AMOUNT_RE.match(t):
        raise AmountSyntaxError(f"{text!r} is not a number; allowed: {ALLOWED}{syntax_hint(t)}")
    return Decimal(t)


def syntax_hint(text: str) -> str:
    """Why a text that looks like an amount is not read (issue 19), or ""."""
    t = text.strip()
    if _RU_AMOUNT_RE.match(t):
        return (
            "; a decimal comma is read only in a file separated by ';' or tabs (as Excel "
            "saves it in a Russian or Kazakh locale), and never with three decimals "
            "(1,487 could be 1487 or 1.487)"
        )
    if any(c.isdigit() and not c.isascii() for c in t):
        return "; only the digits 0-9 are read"
    return ""


def check_amount(value: Decimal | None, *, required: bool, what: str) -> tuple[str, str] | None:
    """The problem with an amount as (error kind id, message), or None when it is usable.

    ``required``: a positive amount is needed (the factor multiplies it). When not required,
    a missing or zero amount is fine, but a present amount must still be well formed.
    """
    if value is None:
        if required:
            return "base_missing", f"{what} is missing; {ALLOWED}"
        return None
    if not value.is_finite():
        return "base_not_a_number", f"{what} {value} is not a number; {ALLOWED}"
    if value < 0:
        return "base_negative", f"{what} {value} is negative; {ALLOWED}"
    if value >= LIMIT:
        return (
            "base_out_of_range",
            f"{what} {value} has more than {MAX_INTEGER_DIGITS} integer digits",
        )
    if value != value.quantize(TIYN):
        return (
            "base_too_precise",
            f"{what} {value} has more than two decimals (not a whole number of tiyn); {ALLOWED}",
        )
    if value == 0 and required:
        return "base_zero", f"{what} is zero where a positive amount is needed; {ALLOWED}"
    return None


def round_tenge(value: Decimal) -> Decimal:
    """Two decimals, ROUND_HALF_UP (0.005 → 0.01; reading D2)."""
    return value.quantize(TIYN, rounding=ROUND_HALF_UP)
