"""Numbers and dates as a Russian or Kazakh reader expects them on a printed form: money
``345 120,50`` (groups of three separated by a no-break space, decimal comma — the ru/kk
conventions of CLDR, as Babel's ``format_decimal(v, "#,##0.00", locale="ru")`` gives them,
without the dependency), dates ``31.07.2023``. Exact: a Decimal is never turned into a float."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

#: the group separator of the ru and kk locales (CLDR): a no-break space, so that an amount is
#: never split over two printed lines
GROUP = "\u00a0"
DECIMAL = ","
LANGS = ("ru", "kk")


def format_money(value: Decimal | int | None, lang: str = "ru") -> str:
    """``Decimal("345120.5")`` → ``"345 120,50"`` (no-break space); None → ""."""
    if lang not in LANGS:
        raise ValueError(f"lang {lang!r}: allowed {', '.join(LANGS)}")
    if value is None:
        return ""
    q = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if q < 0 else ""
    whole, frac = f"{abs(q):.2f}".split(".")
    groups = []
    while whole:
        groups.append(whole[-3:])
        whole = whole[:-3]
    return f"{sign}{GROUP.join(reversed(groups))}{DECIMAL}{frac}"


def format_date(value: dt.date | None) -> str:
    """``date(2023, 7, 31)`` → ``"31.07.2023"``; None → ""."""
    return "" if value is None else f"{value:%d.%m.%Y}"
