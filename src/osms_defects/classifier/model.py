"""Typed models of ``data/classifier.yaml`` and the effective penalties they resolve to.

Annex 1 (Прил. 1 Правил) prints an amount on each group row (x.0) and "+" / "-" on its
sub-codes (x.1, x.2 …). Resolving the table means: a sub-code marked "+" in a column takes its
group's amount in that column (Прил. 1, Примечание). Everything the printed table leaves open
is an error, never a silent zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import (
    ClassifierFileError,
    GroupCodeNotAssignableError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    PenaltyUndefinedError,
    Problem,
    UnknownCareTypeError,
    UnknownDefectCodeError,
)
from .cells import Basis, Cell, CellKind, parse_cell


class CareType(StrEnum):
    """Care types (columns 4–13 of Annex 1, edition 2022); values are the project's ids."""

    AMBULATORY_CAPITATION = "ambulatory_capitation"  # гр. 4: АПП по БКПН
    AMBULATORY_SERVICE = "ambulatory_service"  # гр. 5: АПП, услуги вне КПН
    INPATIENT = "inpatient"  # гр. 6: стационарная и стационарозамещающая помощь
    EMERGENCY = "emergency"  # гр. 7: скорая медицинская помощь (1-3 категория)
    RURAL = "rural"  # гр. 8: медицинская помощь сельскому населению
    MENTAL_HEALTH = "mental_health"  # гр. 9: лицам с психическими расстройствами (КТ)
    TUBERCULOSIS = "tuberculosis"  # гр. 10: больным туберкулезом (КТ)
    HIV = "hiv"  # гр. 11: зараженным ВИЧ-инфекцией (КТ)
    PATHOLOGY = "pathology"  # гр. 12: патологоанатомическая диагностика
    BLOOD_SERVICES = "blood_services"  # гр. 13: услуги по заготовке ... крови


_FROZEN = ConfigDict(extra="forbid", frozen=True)


def normalize_code(code: str) -> str:
    """ "5.2", "5.2." and " 5.2 " are one code: "5.2" (the source prints both forms)."""
    return code.strip().rstrip(".").strip()


def group_of(code_id: str) -> str | None:
    """The group of a sub-code ("6.13" → "6.0"); None for a group code ("6.0")."""
    major, _, minor = code_id.partition(".")
    return None if minor in ("", "0") else f"{major}.0"


def _code_sort_key(code_id: str) -> tuple[int, ...]:
    try:
        return tuple(int(p) for p in code_id.split("."))
    except ValueError:
        return (10**9,)


class OrderRef(BaseModel):
    """The order (приказ) that set an edition."""

    model_config = _FROZEN
    number: str
    date: dt.date
    title_ru: str
    amends: str | None = None


class Registration(BaseModel):
    """State registration at the Ministry of Justice."""

    model_config = _FROZEN
    number: str
    date: dt.date
    reference: str


class InForce(BaseModel):
    """The period an edition is in force, both ends included; ``to`` None: still in force."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None
    reference: str

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)

    def describe(self) -> str:
        return f"{self.from_.isoformat()} to {self.to.isoformat() if self.to else 'open end'}"


class CareTypeSpec(BaseModel):
    """A column of Annex 1: a form or kind of care and the unit of its cells."""

    model_config = _FROZEN
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    column: int = Field(ge=1)
    group_ru: str | None = None  # the spanning header above the column, verbatim
    name_ru: str
    name_en: str
    unit: Literal[Basis.KPN, Basis.PN, Basis.KT, Basis.COST]


class DefectRow(BaseModel):
    """One printed row of Annex 1, verbatim."""

    model_config = _FROZEN
    row: str  # № п/п exactly as printed, e.g. "4.."
    code: str  # Код дефекта exactly as printed, e.g. "1.0." or "2.0"
    name_ru: str  # Наименование дефекта, verbatim
    name_en: str | None = None  # an English gloss, not law
    cells: dict[str, str]  # care-type id → the printed cell

    @property
    def id(self) -> str:
        """The normalized code: "1.0." → "1.0"."""
        return normalize_code(self.code)

    @property
    def name(self) -> str:
        return self.name_ru

    @property
    def group(self) -> str | None:
        return group_of(self.id)


@dataclass(frozen=True, slots=True)
class Penalty:
    """The effective penalty of a code in a care type, with where it comes from."""

    edition: str
    code: str  # normalized, e.g. "5.2"
    care_type: str
    basis: Basis
    factor: Decimal
    printed: str  # the cell that carries the amount, as printed ("300%")
    amount_code: str  # the row whose cell carries the amount ("5.0" for 5.2)
    column: int

    @property
    def reference(self) -> str:
        """The paragraph of law, e.g. "Прил. 1, код 5.2 (сумма группы 5.0), гр. 6"."""
        via = f" (сумма группы {self.amount_code})" if self.amount_code != self.code else ""
        return f"Прил. 1, код {self.code}{via}, гр. {self.column}"


class Edition(BaseModel):
    """One edition of the classifier: its legal record, columns and rows."""

    model_config = _FROZEN
    id: str
    title_ru: str
    title_en: str | None = None
    order: OrderRef
    registration: Registration
    in_force: InForce
    source: str
    care_types: list[CareTypeSpec]
    defects: list[DefectRow]
    notes: list[str] = Field(default_factory=list)

    # ---- derived indexes (built once, on first use) ----
    @cached_property
    def _rows(self) -> dict[str, DefectRow]:
        return {d.id: d for d in self.defects}

    @cached_property
    def _care(self) -> dict[str, CareTypeSpec]:
        return {c.id: c for c in self.care_types}

    @cached_property
    def _groups_with_subcodes(self) -> frozenset[str]:
        return frozenset(g for d in self.defects if (g := d.group) is not None)

    def cell(self, code: str, care_type: CareType | str) -> Cell:
        """The printed cell of a row and column, parsed."""
        row = self.row(code)
        return parse_cell(row.cells[self.care_type(care_type).id])

    @property
    def codes(self) -> list[str]:
        """Normalized codes in printed order."""
        return [d.id for d in self.defects]

    def row(self, code: str) -> DefectRow:
        key = normalize_code(str(code))
        try:
            return self._rows[key]
        except KeyError:
            raise UnknownDefectCodeError(
                f"defect code {code!r} is not in the classifier edition {self.id}; "
                f"allowed codes: {', '.join(self.codes)}"
            ) from None

    def care_type(self, care_type: CareType | str) -> CareTypeSpec:
        key = care_type.value if isinstance(care_type, CareType) else str(care_type).strip()
        try:
            return self._care[key]
        except KeyError:
            raise UnknownCareTypeError(
                f"care type {care_type!r} is not a column of the classifier edition {self.id}; "
                f"allowed: {', '.join(self._care)}"
            ) from None

    def is_group_with_subcodes(self, code: str) -> bool:
        return normalize_code(code) in self._groups_with_subcodes

    def penalty(self, code: str, care_type: CareType | str) -> Penalty:
        """The effective penalty of ``code`` in ``care_type`` (Прил. 1, Примечание).

        Raises UnknownDefectCodeError, UnknownCareTypeError, GroupCodeNotAssignableError (a
        group with sub-codes, reading R1), NotApplicableError ("-") or PenaltyUndefinedError
        ("+" whose group has no amount in that column).
        """
        row = self.row(code)
        ct = self.care_type(care_type)
        if row.id in self._groups_with_subcodes:
            subs = [d.id for d in self.defects if d.group == row.id]
            raise GroupCodeNotAssignableError(
                f"code {row.id} is a group with sub-codes ({', '.join(subs)}); Annex 1 assigns "
                "the sub-code and takes the amount from the group (reading R1 in "
                "docs/readings.md); give one of the sub-codes"
            )
        cell = parse_cell(row.cells[ct.id])
        amount_row = row
        if cell.kind is CellKind.APPLIES:
            group_id = row.group
            if group_id is None or group_id not in self._rows:  # excluded by the load checks
                raise PenaltyUndefinedError(f"code {row.id}: '+' without a group row")
            amount_row = self._rows[group_id]
            group_cell = parse_cell(amount_row.cells[ct.id])
            if group_cell.kind in (CellKind.NOT_APPLICABLE, CellKind.APPLIES):
                raise PenaltyUndefinedError(
                    f"code {row.id} is marked '+' for care type {ct.id!r} (column {ct.column}) "
                    f"but its group {group_id} prints {group_cell.printed!r} there: Annex 1 "
                    "gives no amount (lint finding 'applicable_without_amount'); refusing to "
                    "guess a zero"
                )
            cell = group_cell
        if cell.kind is CellKind.NOT_APPLICABLE:
            raise NotApplicableError(
                f"code {row.id} does not apply to care type {ct.id!r}: Annex 1 prints '-' in "
                f"column {ct.column} (row № {row.row}); care types where it applies: "
                f"{', '.join(self.applicable_care_types(row.id)) or 'none'}"
            )
        assert cell.basis is not None and cell.factor is not None
        return Penalty(
            edition=self.id,
            code=row.id,
            care_type=ct.id,
            basis=cell.basis,
            factor=cell.factor,
            printed=cell.printed,
            amount_code=amount_row.id,
            column=ct.column,
        )

    def applicable_care_types(self, code: str) -> list[str]:
        """Care types whose cell for ``code`` is not "-" (printed applicability)."""
        row = self.row(code)
        return [c.id for c in self.care_types if row.cells.get(c.id, "-").strip() != "-"]

    def penalties(self) -> Iterator[tuple[str, str, Penalty | OsmsDefectsError]]:
        """Every (code, care type) with its penalty or the documented error it raises."""
        for d in self.defects:
            for c in self.care_types:
                try:
                    yield d.id, c.id, self.penalty(d.id, c.id)
                except (
                    GroupCodeNotAssignableError,
                    NotApplicableError,
                    PenaltyUndefinedError,
                ) as exc:
                    yield d.id, c.id, exc

    def lint(self) -> list[LintFinding]:
        """Consistency findings of the printed table (see ``classifier.lint``)."""
        from .lint import lint_edition

        return lint_edition(self)

    def _repr_html_(self) -> str:
        """A readable table in Jupyter: the effective penalty of every code and care type."""
        from .export import to_html

        return to_html(self)

    def structural_problems(self) -> list[tuple[tuple[str | int, ...], str]]:
        """Problems that make the edition unusable, as (key path, message)."""
        from .lint import structural_problems

        return structural_problems(self)


class Classifier(BaseModel):
    """The classifier file: every edition, each with its period in force."""

    model_config = _FROZEN
    schema_version: Literal[1]
    editions: list[Edition] = Field(min_length=1)

    @model_validator(mode="after")
    def _check(self) -> Classifier:
        problems: list[tuple[tuple[str | int, ...], str]] = []
        for i, ed in enumerate(self.editions):
            problems += [(("editions", i, *p), m) for p, m in ed.structural_problems()]
        ids = [e.id for e in self.editions]
        for i, ed in enumerate(self.editions):
            if ids.index(ed.id) != i:
                problems.append((("editions", i, "id"), f"duplicate edition id {ed.id!r}"))
            f = ed.in_force
            if f.to is not None and f.to < f.from_:
                problems.append(
                    (
                        ("editions", i, "in_force"),
                        f"in_force ends ({f.to}) before it starts ({f.from_})",
                    )
                )
            for j, other in enumerate(self.editions[:i]):
                o = other.in_force
                if (o.to is None or f.from_ <= o.to) and (f.to is None or o.from_ <= f.to):
                    problems.append(
                        (
                            ("editions", i, "in_force"),
                            f"period {f.describe()} overlaps edition {other.id!r} "
                            f"(editions[{j}], {o.describe()}); periods in force must not overlap",
                        )
                    )
        if problems:
            raise ClassifierFileError(
                "<classifier data>", [Problem("<classifier data>", _fmt(p), m) for p, m in problems]
            ).with_paths(problems)
        return self

    def edition(self, on: dt.date | None = None, *, id: str | None = None) -> Edition:
        """The edition in force on ``on``; with no date the newest edition; or by ``id``."""
        if id is not None:
            for ed in self.editions:
                if ed.id == id:
                    return ed
            raise NoEditionError(
                f"no classifier edition with id {id!r}; editions: "
                + ", ".join(e.id for e in self.editions)
            )
        if on is None:
            return max(self.editions, key=lambda e: e.in_force.from_)
        if isinstance(on, dt.datetime):
            on = on.date()
        for ed in self.editions:
            if ed.in_force.covers(on):
                return ed
        raise NoEditionError(
            f"no classifier edition is in force on {on.isoformat()}; the data covers: "
            + "; ".join(f"{e.id}: {e.in_force.describe()}" for e in self.editions)
        )


def _fmt(path: tuple[Any, ...]) -> str:
    from .._yaml import format_path

    return format_path(path)


from .lint import LintFinding  # noqa: E402  (circular: lint needs the models above)

Edition.model_rebuild()
