"""Which printed forms of conclusions each edition of the Rules has, and the edition by date.

The form of a conclusion is the one of the edition of the Rules in force on the day it is
signed (reading P11): the edition is the classifier's (``load_classifier().edition(on=...)``,
ids ``"2022-10-16"`` and ``"2026"``; reading E6), so a fund's override of the 2026 start moves
the forms too, and a date in the 2024–2026 gap raises ``NoEditionError`` (never a neighbour's
form).

* 2022 (order ҚР ДСМ-105): Прил. 2 (п. 13, 31) and Прил. 5 (п. 74).
* 2026 (order No. 68 of 18.07.2025, Annex 1 by order No. 19): Прил. 2 — the register of
  unconfirmed cases (п. 18), Прил. 3 — the conclusion on unconfirmed cases (п. 19), Прил. 4 —
  the conclusion on the contract (п. 39, 54), Прил. 5 — death cases (п. 49).
"""

from __future__ import annotations

import datetime as dt

from ..classifier import load_classifier
from ..errors import FormEditionError

__all__ = ["FORMS", "check_form_date", "edition_of_form", "forms_of_edition"]

#: form name → (edition id, what it is, the paragraph that uses it)
FORMS: dict[str, tuple[str, str, str]] = {
    "annex2": ("2022-10-16", "conclusion on a monitoring (Прил. 2)", "п. 13, 31 Правил 2022"),
    "annex5": ("2022-10-16", "conclusion on a death case (Прил. 5)", "п. 74 Правил 2022"),
    "2026-annex2": (
        "2026", "register of unconfirmed cases (Прил. 2)", "п. 18 Правил в ред. приказа № 68"),
    "2026-annex3": (
        "2026", "conclusion on unconfirmed cases (Прил. 3)", "п. 19 Правил в ред. приказа № 68"),
    "2026-annex4": (
        "2026", "conclusion on the contract monitoring (Прил. 4)",
        "п. 39, 54 Правил в ред. приказа № 68"),
    "2026-annex5": (
        "2026", "conclusion on death cases (Прил. 5)", "п. 49 Правил в ред. приказа № 68"),
}


def edition_of_form(form: str) -> str:
    return FORMS[form][0]


def forms_of_edition(edition: str) -> list[str]:
    return [f for f, (e, _, _) in FORMS.items() if e == edition]


def _describe(forms: list[str]) -> str:
    return "; ".join(f"{f} = {FORMS[f][1]}, {FORMS[f][2]}" for f in forms)


def check_form_date(form: str, on: dt.date, field: str = "signed_on") -> str:
    """The edition in force on ``on`` if ``form`` belongs to it (reading P11).

    Raises ``FormEditionError`` naming the forms of the edition in force when it does not, and
    ``NoEditionError`` (``EditionGapError``) when no edition's text covers the date.
    """
    ed = load_classifier().edition(on=on).id
    if edition_of_form(form) != ed:
        right = forms_of_edition(ed)
        raise FormEditionError(
            f"form {form!r} is of the {edition_of_form(form)} edition of the Rules, but the "
            f"edition in force on {field} {on.isoformat()} is {ed!r}: use its forms — "
            f"{_describe(right)} (reading P11)"
        )
    return ed
