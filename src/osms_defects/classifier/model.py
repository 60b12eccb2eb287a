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
    DoubtfulCellError,
    EditionGapError,
    GroupCodeNotAssignableError,
    NoEditionError,
    NotApplicableError,
    OsmsDefectsError,
    PenaltyUndefinedError,
    Problem,
    ReadingRequiredError,
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
    # Ends the day before this edition starts (so that a fund's correction of that start moves
    # this end with it); exclusive with ``to``. Resolved by ``Classifier.edition_end``.
    until_edition: str | None = None
    reference: str
    # False when the start date is not in the sources (edition 2026: order No. 19 is in force
    # ten calendar days after its first official publication, a date the copy does not give);
    # a fund corrects it in its own override file (``load_classifier(overrides=...)``).
    effective_from_verified: bool = True
    # The range the true start date must lie in, when it is not verified.
    effective_from_earliest: dt.date | None = None
    effective_from_latest: dt.date | None = None

    @model_validator(mode="after")
    def _one_end(self) -> InForce:
        if self.to is not None and self.until_edition is not None:
            raise ValueError("in_force ends either on 'to' or at 'until_edition', not both")
        return self

    def covers(self, day: dt.date) -> bool:
        """Whether ``day`` is in the period (an end given by ``until_edition`` is resolved by
        ``Classifier.covers``, which callers with a classifier use)."""
        return self.from_ <= day and (self.to is None or day <= self.to)

    def describe(self) -> str:
        end = (
            self.to.isoformat()
            if self.to
            else f"the day before edition {self.until_edition} starts"
            if self.until_edition
            else "open end"
        )
        text = f"{self.from_.isoformat()} to {end}"
        if not self.effective_from_verified:
            text += " (start date unverified"
            if self.effective_from_earliest and self.effective_from_latest:
                text += (
                    f": between {self.effective_from_earliest.isoformat()} and "
                    f"{self.effective_from_latest.isoformat()}"
                )
            text += ")"
        return text


class Amendment(BaseModel):
    """An order that amended the Rules inside an edition's period, whose effect on Annex 1 the
    data records (order No. 118 of 23.06.2023 for edition 2022-10-16; reading E19)."""

    model_config = _FROZEN
    order: str
    date: dt.date
    in_force: dt.date
    text_available: bool
    # True / False when known; None: not known whether it changed Annex 1
    touches_annex_1: bool | None = None
    reference: str

    def note(self) -> str | None:
        """The note a result dated on or after ``in_force`` carries; None when it need not."""
        if self.touches_annex_1 is False:
            return None
        what = "its text is not available here" if not self.text_available else "see its text"
        known = (
            "whether it changed Annex 1 is not known"
            if self.touches_annex_1 is None
            else "it changed Annex 1"
        )
        return (
            f"order {self.order} of {self.date.strftime('%d.%m.%Y')} amended the Rules from "
            f"{self.in_force.strftime('%d.%m.%Y')}; {what} and {known}: computed with this "
            "edition's table, the best available (reading E19)"
        )


class CareTypeSpec(BaseModel):
    """A column of Annex 1: a form or kind of care and the unit of its cells."""

    model_config = _FROZEN
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    column: int = Field(ge=1)
    group_ru: str | None = None  # the spanning header above the column, verbatim
    name_ru: str
    name_en: str
    unit: Literal[Basis.KPN, Basis.PN, Basis.KT, Basis.COST]
    # Edition 2026: a column whose header prints two units ("в кратности БКПН / ПН",
    # "(КТ) / от стоимости услуги"); ``unit`` is the first, these the others.
    other_units: list[Literal[Basis.KPN, Basis.PN, Basis.KT, Basis.COST]] = Field(
        default_factory=list
    )
    group_kk: str | None = None  # Kazakh header, verbatim, where the sources have it
    name_kk: str | None = None

    @property
    def units(self) -> tuple[Basis, ...]:
        return (self.unit, *self.other_units)

    def label(self, lang: str = "ru") -> str:
        """The column's name in ``lang`` (ru, kk, en); falls back to Russian."""
        return {"kk": self.name_kk, "en": self.name_en}.get(lang) or self.name_ru


class Doubt(BaseModel):
    """Why a cell of a secondary copy is doubtful, and which reading the data records."""

    model_config = _FROZEN
    # short_row: the row prints fewer cells than columns, the cells are placed from the first
    # column on (reading E3); not_printed: that placement leaves this column without a cell;
    # two_readings: the cell prints two amounts in two units (reading E4); row_alignment: the
    # copy does not say which code a printed row belongs to (order No. 68, columns 12–19,
    # reading E17).
    kind: Literal["short_row", "not_printed", "two_readings", "row_alignment"]
    reason: str
    reading: str  # the reading's id in docs/readings.md, e.g. "E3"


class Footnote(BaseModel):
    """A note under the table, verbatim, and the codes it names."""

    model_config = _FROZEN
    marker: str
    text_ru: str
    text_kk: str | None = None
    applies_to_codes: list[str] = Field(default_factory=list)
    reading: str | None = None  # how the library reads it (docs/readings.md)


class DefectRow(BaseModel):
    """One printed row of Annex 1, verbatim."""

    model_config = _FROZEN
    row: str  # № п/п exactly as printed, e.g. "4.."
    code: str  # Код дефекта exactly as printed, e.g. "1.0." or "2.0"
    name_ru: str  # Наименование дефекта, verbatim
    name_en: str | None = None  # an English gloss, not law
    # care-type id → the printed cell; a column the copy does not print is absent and has a
    # ``doubtful`` entry of kind not_printed
    cells: dict[str, str]
    name_kk: str | None = None  # Kazakh name, verbatim, where the sources have it
    # Edition 2026, column 19 «Градация видов нарушений»: значительные / не значительные
    grade: Literal["significant", "minor"] | None = None
    grade_ru: str | None = None
    grade_kk: str | None = None
    doubtful: dict[str, Doubt] = Field(default_factory=dict)  # care-type id → why
    reference: str | None = None  # where the row is printed (file:line)

    def label(self, lang: str = "ru") -> str:
        """The defect's name in ``lang`` (ru, kk, en); falls back to Russian."""
        return {"kk": self.name_kk, "en": self.name_en}.get(lang) or self.name_ru

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
    reading: str | None = None  # the basis chosen in a two-reading cell (reading E4)
    accepted_doubt: tuple[str, ...] = ()  # the doubts the caller accepted ("E3: …")

    @property
    def reference(self) -> str:
        """The paragraph of law, e.g. "Прил. 1, код 5.2 (сумма группы 5.0), гр. 6"."""
        via = f" (сумма группы {self.amount_code})" if self.amount_code != self.code else ""
        return f"Прил. 1, код {self.code}{via}, гр. {self.column}"


class SourceRef(BaseModel):
    """Where an edition's table was transcribed from."""

    model_config = _FROZEN
    file: str
    file_kk: str | None = None
    section: str
    order: str
    registration: str
    secondary: bool = False  # a copy, not the official publication
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.file}, {self.section}"


class Edition(BaseModel):
    """One edition of the classifier: its legal record, columns and rows."""

    model_config = _FROZEN
    id: str
    title_ru: str
    title_en: str | None = None
    order: OrderRef
    registration: Registration
    in_force: InForce
    source: str | SourceRef
    care_types: list[CareTypeSpec]
    defects: list[DefectRow]
    notes: list[str] = Field(default_factory=list)
    title_kk: str | None = None
    aliases: list[str] = Field(default_factory=list)  # other ids accepted by edition(id=)
    # How sure the transcription is: high (primary text, checked cell by cell), medium
    # (secondary copy, checked against the source, some cells doubtful), low.
    transcription_confidence: Literal["high", "medium", "low"] | None = None
    transcription_note: str | None = None
    footnotes: list[Footnote] = Field(default_factory=list)
    grade_column_ru: str | None = None
    grade_column_kk: str | None = None
    # orders that amended the Rules inside this edition's period (reading E19)
    amendments: list[Amendment] = Field(default_factory=list)

    def amendment_notes(self, on: dt.date) -> list[str]:
        """The notes of the amendments in force on ``on`` (reading E19)."""
        return [n for a in self.amendments if a.in_force <= on and (n := a.note())]

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
        ct = self.care_type(care_type)
        printed = row.cells.get(ct.id)
        if printed is None:
            raise DoubtfulCellError(self._not_printed(row, ct))
        return parse_cell(printed)

    def _not_printed(self, row: DefectRow, ct: CareTypeSpec) -> str:
        doubt = row.doubtful.get(ct.id)
        why = f": {doubt.reason}" if doubt else ""
        return (
            f"code {row.id}, care type {ct.id!r} (column {ct.column}): the source copy of edition "
            f"{self.id} prints no cell there{why}; there is no reading to accept — correct the "
            "data from the official text (docs/edition_2026.md)"
        )

    @property
    def grades(self) -> dict[str, str | None]:
        """Code → grade («Градация видов нарушений», 2026): significant | minor | None."""
        return {d.id: d.grade for d in self.defects}

    def doubtful_cells(self) -> list[tuple[str, str, Doubt]]:
        """Every (code, care type, doubt) the data marks, in table order."""
        return [(d.id, ct, doubt) for d in self.defects for ct, doubt in d.doubtful.items()]

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

    def penalty(
        self,
        code: str,
        care_type: CareType | str,
        *,
        accept_reading: Basis | str | None = None,
        accept_doubtful: bool = False,
    ) -> Penalty:
        """The effective penalty of ``code`` in ``care_type`` (Прил. 1, Примечание).

        Raises UnknownDefectCodeError, UnknownCareTypeError, GroupCodeNotAssignableError (a
        group with sub-codes, reading R1), NotApplicableError ("-") or PenaltyUndefinedError
        ("+" whose group has no amount in that column).

        Edition 2026 (docs/edition_2026.md): a cell marked doubtful raises DoubtfulCellError
        unless the caller accepts the documented reading — ``accept_doubtful=True`` for a
        cell of a short row (reading E3), ``accept_reading=`` naming the basis for a
        two-reading cell (reading E4); a cell printed with two readings ("20 КПН/ПН") raises
        ReadingRequiredError without ``accept_reading`` ("KPN" or "PN"). A cell the copy does
        not print is refused always.
        """
        row = self.row(code)
        ct = self.care_type(care_type)
        chosen = None if accept_reading is None else str(accept_reading).strip().upper()
        if row.id in self._groups_with_subcodes:
            subs = [d.id for d in self.defects if d.group == row.id]
            raise GroupCodeNotAssignableError(
                f"code {row.id} is a group with sub-codes ({', '.join(subs)}); Annex 1 assigns "
                "the sub-code and takes the amount from the group (reading R1 in "
                "docs/readings.md); give one of the sub-codes"
            )
        accepted: list[str] = []
        cell = self._checked_cell(row, ct, chosen, accept_doubtful, accepted)
        amount_row = row
        if cell.kind is CellKind.APPLIES:
            group_id = row.group
            if group_id is None or group_id not in self._rows:  # excluded by the load checks
                raise PenaltyUndefinedError(f"code {row.id}: '+' without a group row")
            amount_row = self._rows[group_id]
            group_cell = self._checked_cell(amount_row, ct, chosen, accept_doubtful, accepted)
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
        reading = None
        if cell.kind is CellKind.TWO_READINGS:
            choice = cell.reading(chosen) if chosen else None
            if choice is None:
                options = ", ".join(f"{r.basis} ({r.printed})" for r in cell.readings)
                raise ReadingRequiredError(
                    f"code {row.id}, care type {ct.id!r} (column {ct.column}): the cell "
                    f"{cell.printed!r} (row № {amount_row.row}, code {amount_row.id}) has two "
                    f"readings; pass accept_reading= one of: {options} (reading E4 in "
                    "docs/readings.md)"
                    + (f"; got {accept_reading!r}" if accept_reading is not None else "")
                )
            reading, cell = str(choice.basis), choice
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
            reading=reading,
            accepted_doubt=tuple(accepted),
        )

    def _checked_cell(
        self,
        row: DefectRow,
        ct: CareTypeSpec,
        chosen: str | None,
        accept_doubtful: bool,
        accepted: list[str],
    ) -> Cell:
        """The parsed cell, refusing a doubtful one the caller has not accepted."""
        printed = row.cells.get(ct.id)
        if printed is None:
            raise DoubtfulCellError(self._not_printed(row, ct))
        cell = parse_cell(printed)
        doubt = row.doubtful.get(ct.id)
        if doubt is None:
            return cell
        where = (
            f"code {row.id} (row № {row.row}), care type {ct.id!r} (column {ct.column}), "
            f"printed {printed!r}"
        )
        if doubt.kind == "two_readings":
            ok = chosen is not None and cell.reading(chosen) is not None
            how = "pass accept_reading= with one of: " + ", ".join(
                str(r.basis) for r in cell.readings
            )
        else:
            ok = accept_doubtful
            how = "pass accept_doubtful=True to accept the documented reading"
        if not ok:
            raise DoubtfulCellError(
                f"{where} is doubtful in edition {self.id}: {doubt.reason} (reading "
                f"{doubt.reading} in docs/readings.md); {how}"
            )
        accepted.append(f"{doubt.reading}: {row.id}/{ct.id}")
        return cell

    def applicable_care_types(self, code: str) -> list[str]:
        """Care types whose cell for ``code`` is not "-" (printed applicability)."""
        row = self.row(code)
        return [c.id for c in self.care_types if row.cells.get(c.id, "-").strip() != "-"]

    def label(self, lang: str = "ru") -> str:
        return {"kk": self.title_kk, "en": self.title_en}.get(lang) or self.title_ru

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
                    DoubtfulCellError,
                    ReadingRequiredError,
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


class MissingOrder(BaseModel):
    """An order whose text (and so whose classifier) is not in the sources."""

    model_config = _FROZEN
    number: str
    date: dt.date
    in_force: str | None = None  # as known, e.g. "14.01.2024"
    note: str | None = None

    def describe(self) -> str:
        text = f"order {self.number} of {self.date.strftime('%d.%m.%Y')}"
        return text + (f" (in force {self.in_force})" if self.in_force else "")


class Gap(BaseModel):
    """A period with no edition in the data because the texts in force are missing.

    Ends on ``to``, or on the day before the edition ``until_edition`` starts (so that a
    corrected start date moves the gap's end with it).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None
    until_edition: str | None = None
    orders: list[MissingOrder] = Field(min_length=1)
    reason: str
    reference: str

    @model_validator(mode="after")
    def _one_end(self) -> Gap:
        if (self.to is None) == (self.until_edition is None):
            raise ValueError("a gap ends either on 'to' or at 'until_edition', exactly one")
        return self


class CareTypeMapping(BaseModel):
    """One care type of an earlier edition and the corresponding one(s) of a later edition."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: str | None = Field(alias="from")  # None: a column new in the later edition
    to: list[str]  # empty: a column the later edition dropped
    note: str


class RulesChange(BaseModel):
    """A paragraph of the Rules (outside Annex 1) changed between two editions (``diff``)."""

    model_config = _FROZEN
    paragraph: str  # "п. 53-1", "Приложение 1"
    change: Literal["changed", "added", "removed", "replaced"]
    by: str  # the order that made the change
    source: str  # where the sources say so (the footnote's line)
    note: str | None = None


class Correspondence(BaseModel):
    """How the columns of two editions correspond (used by ``diff``)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    from_: str = Field(alias="from")  # edition id
    to: str
    care_types: list[CareTypeMapping]
    reference: str
    # the changes of the Rules' paragraphs between the two editions, where the sources say
    rules_changes: list[RulesChange] = Field(default_factory=list)
    rules_changes_reference: str | None = None


class Classifier(BaseModel):
    """The classifier file: every edition, each with its period in force."""

    model_config = _FROZEN
    schema_version: Literal[1]
    editions: list[Edition] = Field(min_length=1)
    gaps: list[Gap] = Field(default_factory=list)
    correspondences: list[Correspondence] = Field(default_factory=list)

    def edition_end(self, ed: Edition) -> dt.date | None:
        """The last day of an edition: ``to``, or the day before ``until_edition`` starts."""
        f = ed.in_force
        if f.until_edition is not None:
            return self.edition(id=f.until_edition).in_force.from_ - dt.timedelta(days=1)
        return f.to

    def covers(self, ed: Edition, day: dt.date) -> bool:
        end = self.edition_end(ed)
        return ed.in_force.from_ <= day and (end is None or day <= end)

    def describe_period(self, ed: Edition) -> str:
        end = self.edition_end(ed)
        if ed.in_force.until_edition is None or end is None:
            return ed.in_force.describe()
        return ed.in_force.model_copy(update={"to": end, "until_edition": None}).describe()

    def gap_end(self, gap: Gap) -> dt.date:
        """The last day of a gap (the day before ``until_edition`` starts, or ``to``)."""
        if gap.to is not None:
            return gap.to
        ed = self.edition(id=gap.until_edition)
        return ed.in_force.from_ - dt.timedelta(days=1)

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
            if f.until_edition is not None and f.until_edition not in {
                n for e in self.editions for n in (e.id, *e.aliases)
            }:
                problems.append(
                    (("editions", i, "in_force", "until_edition"),
                     f"unknown edition {f.until_edition!r}")
                )  # fmt: skip
                continue
            f_to = self.edition_end(ed)
            if f_to is not None and f_to < f.from_:
                problems.append(
                    (
                        ("editions", i, "in_force"),
                        f"in_force ends ({f_to}) before it starts ({f.from_})",
                    )
                )
            for j, other in enumerate(self.editions[:i]):
                o = other.in_force
                try:
                    o_to = self.edition_end(other)
                except NoEditionError:
                    continue
                if (o_to is None or f.from_ <= o_to) and (f_to is None or o.from_ <= f_to):
                    problems.append(
                        (
                            ("editions", i, "in_force"),
                            f"period {f.describe()} overlaps edition {other.id!r} "
                            f"(editions[{j}], {o.describe()}); periods in force must not overlap",
                        )
                    )
        known = {n for e in self.editions for n in (e.id, *e.aliases)}
        for i, gap in enumerate(self.gaps):
            if gap.until_edition is not None and gap.until_edition not in known:
                problems.append(
                    (
                        ("gaps", i, "until_edition"),
                        f"unknown edition {gap.until_edition!r}; editions: {', '.join(known)}",
                    )
                )
                continue
            end = self.gap_end(gap)
            if end < gap.from_:
                problems.append((("gaps", i), f"gap ends ({end}) before it starts ({gap.from_})"))
            for j, ed in enumerate(self.editions):
                f = ed.in_force
                try:
                    f_end = self.edition_end(ed)
                except NoEditionError:
                    continue
                if gap.from_ <= (f_end or dt.date.max) and f.from_ <= end:
                    problems.append(
                        (
                            ("gaps", i),
                            f"gap {gap.from_}..{end} overlaps edition {ed.id!r} "
                            f"(editions[{j}], {f.describe()})",
                        )
                    )
        for i, corr in enumerate(self.correspondences):
            for side, ed_id in (("from", corr.from_), ("to", corr.to)):
                if ed_id not in known:
                    problems.append(((("correspondences", i, side)), f"unknown edition {ed_id!r}"))
            if corr.from_ in known and corr.to in known:
                a, b = self.edition(id=corr.from_), self.edition(id=corr.to)
                for k, m in enumerate(corr.care_types):
                    for ct, ed in ([m.from_] if m.from_ else [], a), (m.to, b):
                        for c in ct:
                            if c not in ed._care:
                                problems.append(
                                    (
                                        ("correspondences", i, "care_types", k),
                                        f"care type {c!r} is not a column of edition {ed.id!r}",
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
            for ed in self.editions:
                if id in ed.aliases:
                    return ed
            raise NoEditionError(
                f"no classifier edition with id {id!r}; editions: "
                + ", ".join(
                    e.id + (f" (also {', '.join(e.aliases)})" if e.aliases else "")
                    for e in self.editions
                )
            )
        if on is None:
            return max(self.editions, key=lambda e: e.in_force.from_)
        if isinstance(on, dt.datetime):
            on = on.date()
        for ed in self.editions:
            if self.covers(ed, on):
                return ed
        for gap in self.gaps:
            end = self.gap_end(gap)
            if gap.from_ <= on <= end:
                orders = [o.describe() for o in gap.orders]
                raise EditionGapError(
                    f"no classifier edition is in force on {on.isoformat()} in the data: "
                    f"{gap.from_.isoformat()}..{end.isoformat()} was governed by "
                    f"{'; '.join(orders)}, whose text is not in the sources ({gap.reason}); "
                    "refusing to use a neighbouring edition's table. A fund that decides to "
                    "apply an edition anyway passes it explicitly (--edition ID to deduct, "
                    "screen, deadline, sample, report, conclusion; edition= in Python; editions: "
                    + ", ".join(e.id for e in self.editions)
                    + "): the result is computed and marked «edition chosen by the caller for "
                    "a date it does not govern» (reading E20)",
                    [f"{o.number} of {o.date.strftime('%d.%m.%Y')}" for o in gap.orders],
                )
        raise NoEditionError(
            f"no classifier edition is in force on {on.isoformat()}; the data covers: "
            + "; ".join(f"{e.id}: {self.describe_period(e)}" for e in self.editions)
        )

    def choose(
        self, on: dt.date, edition: str | None = None
    ) -> tuple[Edition, tuple[str, ...]]:
        """The edition for a result dated ``on`` and the notes the result must carry.

        Without ``edition``: the edition in force (``edition(on=)``, raising in a gap). With
        ``edition`` (an id or alias): that edition; when it does not govern ``on`` the result
        is marked «edition chosen by the caller for a date it does not govern» (reading E20).
        The notes also name an uncertain boundary between editions (reading E18) and the
        amendments in force (reading E19)."""
        if isinstance(on, dt.datetime):
            on = on.date()
        notes: list[str] = []
        if edition is None:
            ed = self.edition(on)
        else:
            ed = self.edition(id=edition)
            if not self.covers(ed, on):
                try:
                    governing = "edition " + self.edition(on).id
                except EditionGapError as exc:
                    governing = "no edition in the data (orders " + ", ".join(exc.orders) + ")"
                except NoEditionError:
                    governing = "no edition in the data"
                notes.append(
                    f"edition {ed.id} chosen by the caller for a date it does not govern "
                    f"({on.isoformat()}: {governing}; reading E20)"
                )
        window = self.boundary_window(on)
        if window is not None:
            notes.append(window[0])
        notes += ed.amendment_notes(on)
        return ed, tuple(notes)

    def boundary_window(self, on: dt.date) -> tuple[str, Edition, Edition] | None:
        """When ``on`` lies in the window an edition's unverified start may fall in: the note,
        the edition applied under the data's default boundary and the other candidate
        (reading E18); None otherwise."""
        for later in self.editions:
            f = later.in_force
            lo, hi = f.effective_from_earliest, f.effective_from_latest
            if f.effective_from_verified or lo is None or hi is None or not lo <= on <= hi:
                continue
            earlier = next(
                (e for e in self.editions if e.in_force.until_edition in (later.id, *later.aliases)),
                None,
            )
            if earlier is None:
                continue
            used, other = (later, earlier) if on >= f.from_ else (earlier, later)
            note = (
                f"{on.isoformat()} lies in {lo.strftime('%d.%m.%Y')}–{hi.strftime('%d.%m.%Y')}, "
                f"the days on one of which {later.order.number} of "
                f"{later.order.date.strftime('%d.%m.%Y')} came into force (the exact day is not "
                f"established): computed under edition {used.id} by the default boundary "
                f"{f.from_.strftime('%d.%m.%Y')}; the other candidate is edition {other.id}; a "
                "fund that knows the day sets it in its override file (reading E18)"
            )
            return note, used, other
        return None


def _fmt(path: tuple[Any, ...]) -> str:
    from .._yaml import format_path

    return format_path(path)


from .lint import LintFinding  # noqa: E402  (circular: lint needs the models above)

Edition.model_rebuild()
