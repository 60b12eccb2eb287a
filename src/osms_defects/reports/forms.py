"""The printed report forms of Прил. 3 (ГОБМП) and Прил. 4 (ОСМС), loaded from data/reports/.

Headers and column numbers are transcribed verbatim (``tools/transcribe_annex34.py``); the
printed numbering has no column 5, and the library keeps it so: «графа 38» means the same
column here as on paper.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .._yaml import load_model
from ..resources import data_path

_FROZEN = ConfigDict(extra="forbid", frozen=True)

FormName = Literal["annex3", "annex4"]
Program = Literal["ГОБМП", "ОСМС"]


class ColumnSpec(BaseModel):
    """One printed column: its number, the project's id, the header and its spanning groups."""

    model_config = _FROZEN
    number: int = Field(ge=1, le=44)
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    header: str
    groups: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The column's name in the DataFrame and CSV: ``"10_current_defects"``."""
        return f"{self.number}_{self.id}"


class ReportForm(BaseModel):
    """A report form (Прил. 3 or Прил. 4) as printed."""

    model_config = _FROZEN
    form: FormName
    program: Program
    reference: str
    source_lines: str
    title: str
    notes: tuple[str, ...]
    abbreviations: tuple[str, ...]
    columns: tuple[ColumnSpec, ...]

    def column(self, id_or_number: str | int) -> ColumnSpec:
        for c in self.columns:
            if id_or_number in (c.id, c.number):
                return c
        raise KeyError(id_or_number)


@cache
def load_form_file(name: str) -> ReportForm:
    """A transcribed report form under data/, e.g. ``reports/annex4.yaml``."""
    form, _ = load_model(ReportForm, data_path(name))
    return form


def load_form(name: FormName) -> ReportForm:
    """The packaged form ``annex3`` (ГОБМП, Прил. 3) or ``annex4`` (ОСМС, Прил. 4)."""
    return load_form_file(f"reports/{name}.yaml")


def column_kind(col: ColumnSpec) -> Literal["text", "int", "money", "pct"]:
    """What a printed column holds, from its id: the provider's name and the note are text,
    ``*_pct`` a percentage, sums and penalties money, the rest counts."""
    if col.id in ("provider", "note"):
        return "text"
    if col.id.endswith("_pct"):
        return "pct"
    if col.id.endswith(("_sum", "penalty_assessed", "penalty_paid", "penalty_transferred")):
        return "money"
    return "int"
