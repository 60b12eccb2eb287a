"""Which printed forms of conclusions each edition of the Rules has, and the edition by date.

The forms are data: ``forms`` of each edition in ``data/procedure.yaml`` (its name, what it is,
the paragraph that uses it). The form of a conclusion is the one of the edition of the Rules in
force on the day it is signed (reading P11): the edition is the classifier's
(``load_classifier().edition(on=...)``; reading E6), so a fund's override of an edition's start
moves the forms too, and a date in a gap raises ``NoEditionError`` (never a neighbour's form).
A form may belong to several editions (Annexes 2–5 of the Rules as set out by order No. 68 are
those of both the 2025 and the 2026 edition: order No. 19 replaced Annex 1 only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from ..classifier import load_classifier
from ..deadlines.procedure import load_procedure
from ..errors import FormEditionError

__all__ = [
    "FORMS",
    "Form",
    "check_form_date",
    "chosen_edition",
    "editions_of_form",
    "forms_of_edition",
]


@dataclass(frozen=True, slots=True)
class Form:
    """A printed form and the editions whose Rules have it."""

    name: str
    title_en: str
    reference: str
    editions: tuple[str, ...]
    command: str = "conclusion"


def _forms() -> dict[str, Form]:
    out: dict[str, Form] = {}
    for ed in load_procedure().editions:
        for f in ed.forms:
            have = out.get(f.name)
            out[f.name] = Form(
                f.name, f.title_en, f.reference, (*(have.editions if have else ()), ed.id),
                f.command,
            )
    return out


#: form name → the form (from data/procedure.yaml)
FORMS: dict[str, Form] = _forms()
#: the forms printed by ``osms-defects conclusion`` (the others are periodic reports)
CONCLUSION_FORMS: dict[str, Form] = {k: f for k, f in FORMS.items() if f.command == "conclusion"}


def editions_of_form(form: str) -> tuple[str, ...]:
    return FORMS[form].editions


def forms_of_edition(edition: str) -> list[str]:
    return [f for f, spec in FORMS.items() if edition in spec.editions]


def _describe(forms: list[str]) -> str:
    return "; ".join(f"{f} = {FORMS[f].title_en}, {FORMS[f].reference}" for f in forms) or "none"


_CHOSEN: ContextVar[str | None] = ContextVar("osms_defects_chosen_edition", default=None)
_NOTES: ContextVar[list[str] | None] = ContextVar("osms_defects_edition_notes", default=None)


@contextmanager
def chosen_edition(edition: str | None) -> Iterator[list[str]]:
    """Documents built inside take the edition ``edition`` (an id or alias) whatever their
    dates — the way to print a conclusion of the gap 14.01.2024–31.07.2025, whose Rules'
    texts are missing (reading E20; ``conclusion --edition``); findings deducted on loading are
    deducted under it too. ``None``: the edition in force on each date (P11). Yields the list
    that collects the notes the documents must carry (E20: «chosen by the caller for a date it
    does not govern»; E18, E19)."""
    if edition is not None:
        load_classifier().edition(id=edition)  # an unknown id: refused at once, named
    notes: list[str] = []
    t1, t2 = _CHOSEN.set(edition), _NOTES.set(notes)
    try:
        yield notes
    finally:
        _CHOSEN.reset(t1)
        _NOTES.reset(t2)


def chosen() -> str | None:
    """The edition chosen by ``chosen_edition`` around the current call, if any."""
    return _CHOSEN.get()


def check_form_date(form: str, on: dt.date, field: str = "signed_on") -> str:
    """The edition of a document dated ``on`` if ``form`` belongs to it (reading P11): the one
    in force, or the one chosen by ``chosen_edition`` (E20, its note collected).

    Raises ``FormEditionError`` naming the forms of the edition when it does not, and
    ``NoEditionError`` (``EditionGapError``) when no edition's text covers the date and none
    was chosen.
    """
    edition, notes = load_classifier().choose(on, _CHOSEN.get())
    ed = edition.id
    sink = _NOTES.get()
    if sink is not None:
        sink.extend(n for n in notes if n not in sink)
    if ed not in editions_of_form(form):
        raise FormEditionError(
            f"form {form!r} is of the edition(s) {', '.join(editions_of_form(form))} of the "
            f"Rules, but the edition of {field} {on.isoformat()} is {ed!r}: use its "
            f"forms — {_describe(forms_of_edition(ed))} (reading P11)"
        )
    return ed
