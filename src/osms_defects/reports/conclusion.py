"""Conclusions: Прил. 2 (п. 13, 31) — the conclusion on a monitoring — and Прил. 5 (п. 74) —
the conclusion on a case of death.

The input is a YAML file of the monitoring's particulars (``ConclusionInput`` /
``DeathConclusionInput``, unknown keys are errors); for Прил. 2 the table of section 9 is
built from the provider's deductions (the ``osms-defects deduct`` output) and the particulars
of each case (medical record, ИИН, discharge date). The result is a pydantic object
(``Conclusion`` / ``DeathConclusion``) for other systems, rendered by ``reports.fill.to_html`` (a
printable page without external assets) and ``to_xlsx``. ИИН are validated and masked in
the renderings unless ``show_iin=True`` (see ``osms_defects.iin``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

import polars as pl
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from .._yaml import load_model
from ..errors import ReportInputError
from ..iin import validate_iin
from .inputs import ErrorRow, read_csv_strings
from .layout import form_spec
from .section9 import cases_of, collect_rows

__all__ = [
    "Conclusion",
    "ConclusionInput",
    "DeathConclusion",
    "DeathConclusionInput",
    "build_conclusion",
    "load_conclusion",
    "load_death_conclusion",
]

#: an ИИН, validated on every model that holds one (12 digits and the check digit; iin.py)
IIN = Annotated[str, AfterValidator(validate_iin)]

_FROZEN = ConfigDict(extra="forbid", frozen=True)

# The printed texts of Прил. 2 and 5 of 2022, from data/forms/2022-10-16/annex{2,5}.yaml (the one place of
# every label, each with its line of the seed text; issue 20). Names kept for the callers.
_A2, _A5 = form_spec("annex2"), form_spec("annex5")

#: Прил. 2, раздел 5: «Вид мониторинга: внеплановый / целевой / проактивный»
KIND_LABELS: dict[str, str] = dict(_A2.choices("kinds").ru)
ConclusionKind = Literal["unplanned", "targeted", "proactive"]

#: section 9 and 12 table headers, verbatim; the printed form cuts the 4th and 5th headers
#: («Дата выписки /», «Выявленные») — kept as printed
RESULT_HEADERS: tuple[str, ...] = _A2.headers("result_headers").ru
CLAUSE_HEADERS: tuple[str, ...] = _A2.headers("clause_headers").ru
FOLLOWUP_CLAUSE_HEADERS: tuple[str, ...] = _A2.headers("follow_up_clause_headers").ru


class Staff(BaseModel):
    """Прил. 2, раздел 6: ФИО / должность специалиста фонда."""

    model_config = _FROZEN
    name: str = Field(min_length=1)
    position: str = Field(min_length=1)


class CaseParticulars(BaseModel):
    """What the deductions do not carry: the record number, the ИИН and the discharge date."""

    model_config = _FROZEN
    record: str = Field(min_length=1)  # № медицинской карты / код услуги / номер рецепта
    iin: IIN
    date: dt.date | None = None  # дата выписки (или оказания услуги)


class Defect(BaseModel):
    """A defect in a result row: the code, the amount deducted and where it came from."""

    model_config = _FROZEN
    code: str
    amount: Decimal | None = None
    reference: str = ""


class ResultRow(BaseModel):
    """A row of the table of section 9 (or 12)."""

    model_config = _FROZEN
    no: int
    record: str
    iin: IIN
    date: dt.date | None
    defects: tuple[Defect, ...]


class ResultRowInput(BaseModel):
    """A result row given explicitly (section 12: the visit 45 days later)."""

    model_config = _FROZEN
    record: str
    iin: IIN
    date: dt.date | None = None
    defects: tuple[str, ...] = Field(min_length=1)


class ClauseViolation(BaseModel):
    """Прил. 2, раздел 10: an unfulfilled clause of the contract and what was wrong."""

    model_config = _FROZEN
    clause: str = Field(min_length=1)
    description: str = Field(min_length=1)


class FollowUpClause(BaseModel):
    """Прил. 2, раздел 12: a clause found at proactive monitoring and whether it was remedied."""

    model_config = _FROZEN
    clause: str = Field(min_length=1)
    remedied: bool


class FollowUpInput(BaseModel):
    """Прил. 2, разделы 12–13: the result 45 days after proactive monitoring (п. 58–59)."""

    model_config = _FROZEN
    results: tuple[ResultRowInput, ...] = ()
    clauses: tuple[FollowUpClause, ...] = ()
    conclusions: tuple[str, ...] = ()


class ConclusionInput(BaseModel):
    """The particulars of a monitoring for the conclusion of Прил. 2 (YAML input)."""

    model_config = _FROZEN
    form: Literal["annex2"] = "annex2"
    number: str = Field(min_length=1)  # №____/____
    signed_on: dt.date
    branch: str = Field(min_length=1)  # 1. филиал фонда / администратор бюджетных программ
    provider: str = Field(min_length=1)  # 2. полное наименование поставщика
    provider_id: str = Field(min_length=1)
    care_type: str = Field(min_length=1)  # 3. вид медицинской помощи
    grounds: str = Field(min_length=1)  # 4. основание для мониторинга
    monitoring_kind: ConclusionKind  # 5
    staff: tuple[Staff, ...] = Field(min_length=1)  # 6
    period: str = Field(min_length=1)  # 7. за какой период (год, полугодие, квартал)
    held_from: dt.date  # 8
    held_to: dt.date
    # which rows of the provider and kind fill section 9 (reading P10): "held" = detected on
    # a day of item 8 (held_from … held_to), "all" = every row, whatever its date
    section9_rows: Literal["held", "all"] = "held"
    deductions: str | None = None  # a deductions CSV, 'osms-defects deduct' output (relative path)
    findings: str | None = None  # or a findings CSV, deducted on loading (relative path)
    cases: dict[str, CaseParticulars] = Field(default_factory=dict)
    contract_violations: tuple[ClauseViolation, ...] = ()  # 10
    conclusions: tuple[str, ...] = ()  # 11
    follow_up: FollowUpInput | None = None  # 12–13, proactive only
    fund_specialist: str = ""
    provider_head: str = ""


class FollowUp(BaseModel):
    model_config = _FROZEN
    results: tuple[ResultRow, ...]
    total_defects: int
    clauses: tuple[FollowUpClause, ...]
    total_clauses: int
    conclusions: tuple[str, ...]


class Conclusion(BaseModel):
    """The conclusion of Прил. 2 (п. 13, 31), section by section as printed."""

    model_config = _FROZEN
    form: Literal["annex2"] = "annex2"
    reference: str = "Прил. 2 к Правилам мониторинга (п. 13, 31)"
    title: str = _A2.text("title").ru
    number: str
    signed_on: dt.date
    branch: str
    provider: str
    provider_id: str
    care_type: str
    grounds: str
    monitoring_kind: ConclusionKind
    monitoring_kind_ru: str
    staff: tuple[Staff, ...]
    period: str
    held_from: dt.date
    held_to: dt.date
    results: tuple[ResultRow, ...]  # 9
    total_defects: int
    # rows of the provider and kind detected outside item 8's dates, left out of section 9 by
    # reading P10 (counted, never dropped unseen); not part of the printed form
    rows_outside_dates: int = 0
    #: the deduct output's error rows of the provider and kind: listed in the document's annex
    #: and counted, never dropped silently (issue 20); not part of the printed form
    error_rows: tuple[ErrorRow, ...] = ()
    contract_violations: tuple[ClauseViolation, ...]  # 10
    total_clauses: int
    conclusions: tuple[str, ...]  # 11
    follow_up: FollowUp | None  # 12-13
    fund_specialist: str
    provider_head: str

    def _repr_html_(self) -> str:
        from .fill import to_html

        return to_html(self, fragment=True)


def _results_from_deductions(
    inp: ConclusionInput, frame: pl.DataFrame, source: str
) -> tuple[tuple[ResultRow, ...], int, tuple[ErrorRow, ...]]:
    """Section 9 from the deductions (the one collector of :mod:`.section9`): the rows of the
    provider and kind of monitoring, detected on a day of item 8 unless ``section9_rows: all``
    (reading P10), of the 2022 edition when the rows say theirs (P11). Returns the rows, how
    many rows of the provider and kind were left out for their date, and the error rows."""
    from .editions import editions_of_form

    held = inp.section9_rows == "held"
    has_edition = "edition" in frame.columns
    got = collect_rows(
        frame, source, provider_id=inp.provider_id, kind=inp.monitoring_kind,
        date_from=inp.held_from if held else None, date_to=inp.held_to if held else None,
        keep_code=lambda _code: True,
        editions=editions_of_form("annex2") if has_edition else None, form="annex2")
    rows = []
    for n, cd in enumerate(cases_of(got, inp.cases, source), start=1):
        p = inp.cases[cd.case_id]
        rows.append(ResultRow(no=n, record=p.record, iin=p.iin, date=p.date, defects=tuple(
            Defect(code=c, amount=a, reference=r) for c, a, r in cd.defects)))
    return tuple(rows), got.outside, got.error_rows


def build_conclusion(
    inp: ConclusionInput, deductions: pl.DataFrame | None = None, *, source: str = "deductions"
) -> Conclusion:
    """The conclusion of Прил. 2 from the particulars and the provider's deductions.

    Section 9 lists each case of ``inp.provider_id`` with its defects, from the deductions of
    the same kind of monitoring detected during it (item 8's dates; reading P10); section 12 (proactive only) the result 45 days later (п. 58).

    The form is the 2022 one: ``signed_on`` must fall under the 2022 edition (reading P11);
    a 2026 date is a ``FormEditionError`` naming the 2026 forms, a gap date ``NoEditionError``.
    """
    from .editions import check_form_date

    check_form_date("annex2", inp.signed_on)  # reading P11
    if inp.held_from > inp.held_to:
        raise ReportInputError(f"held_from {inp.held_from} is after held_to {inp.held_to}")
    if inp.follow_up is not None and inp.monitoring_kind != "proactive":
        raise ReportInputError(
            "follow_up (section 12: the result 45 days after proactive monitoring, п. 58) is "
            f"only for proactive monitoring, not {inp.monitoring_kind}"
        )
    results: tuple[ResultRow, ...] = ()
    outside = 0
    error_rows: tuple[ErrorRow, ...] = ()
    if deductions is not None:
        results, outside, error_rows = _results_from_deductions(inp, deductions, source)
    follow: FollowUp | None = None
    if inp.follow_up is not None:
        fr = tuple(
            ResultRow(no=i, record=r.record, iin=r.iin, date=r.date,
                      defects=tuple(Defect(code=c) for c in r.defects))
            for i, r in enumerate(inp.follow_up.results, start=1)
        )
        follow = FollowUp(
            results=fr,
            total_defects=sum(len(r.defects) for r in fr),
            clauses=inp.follow_up.clauses,
            total_clauses=sum(1 for c in inp.follow_up.clauses if not c.remedied),
            conclusions=inp.follow_up.conclusions,
        )
    return Conclusion(
        number=inp.number, signed_on=inp.signed_on, branch=inp.branch, provider=inp.provider,
        provider_id=inp.provider_id, care_type=inp.care_type, grounds=inp.grounds,
        monitoring_kind=inp.monitoring_kind, monitoring_kind_ru=KIND_LABELS[inp.monitoring_kind],
        staff=inp.staff, period=inp.period, held_from=inp.held_from, held_to=inp.held_to,
        results=results, total_defects=sum(len(r.defects) for r in results),
        rows_outside_dates=outside, error_rows=error_rows,
        contract_violations=inp.contract_violations, total_clauses=len(inp.contract_violations),
        conclusions=inp.conclusions, follow_up=follow,
        fund_specialist=inp.fund_specialist, provider_head=inp.provider_head,
    )


def load_conclusion(path: str | Path) -> Conclusion:
    """Load a Прил. 2 YAML input and build the conclusion (deductions path relative to it)."""
    inp, _ = load_model(ConclusionInput, path)
    frame = None
    source = "deductions"
    if inp.deductions is not None and inp.findings is not None:
        raise ReportInputError(f"{path}: give either 'deductions' or 'findings', not both")
    if inp.deductions is not None:
        dpath = Path(path).parent / inp.deductions
        frame, source = read_csv_strings(dpath), str(dpath)
    elif inp.findings is not None:
        from ..classifier import load_classifier
        from ..deductions.engine import Resolver
        from ..deductions.frame import deduct_frame
        from .editions import chosen

        fpath = Path(path).parent / inp.findings
        res = Resolver(load_classifier(), edition=chosen())
        frame, source = deduct_frame(read_csv_strings(fpath), res), f"{fpath} (deducted)"
    return build_conclusion(inp, frame, source=source)


# --- Прил. 5: the conclusion on a case of death (п. 74) ---


class Expert(BaseModel):
    """Прил. 5, п. 1: who carried out the monitoring of the death case."""

    model_config = _FROZEN
    name: str = Field(min_length=1)
    position: str = Field(min_length=1)
    specialty: str = ""
    category: str = ""  # квалификационная категория
    degree: str = ""  # ученая степень
    accreditation_no: str = ""  # № свидетельства об аккредитации


class DeathConclusionInput(BaseModel):
    """The seven numbered items of Прил. 5 (п. 74), as a YAML input."""

    model_config = _FROZEN
    form: Literal["annex5"] = "annex5"
    experts: tuple[Expert, ...] = Field(min_length=1)  # 1
    organization: str = Field(min_length=1)  # 2
    period: str = Field(min_length=1)  # 3
    subject: str = Field(min_length=1)  # 4
    results: tuple[str, ...] = Field(min_length=1)  # 5 (incl. violations and their nature)
    conclusions: tuple[str, ...] = Field(min_length=1)  # 6
    recommendations: tuple[str, ...] = ()  # 7
    patient_iin: IIN | None = None
    signed_by: str = ""
    signed_on: dt.date | None = None


class DeathConclusion(DeathConclusionInput):
    """The conclusion of Прил. 5 (the input is already the whole form)."""

    reference: str = "Прил. 5 к Правилам мониторинга (п. 74)"
    title: str = _A5.text("title").ru

    def _repr_html_(self) -> str:
        from .fill import to_html

        return to_html(self, fragment=True)


#: Прил. 5: the printed items 1–7, verbatim
DEATH_ITEMS: tuple[str, ...] = tuple(i.ru for i in _A5.items("items"))


def load_death_conclusion(path: str | Path) -> DeathConclusion:
    """Load a Прил. 5 (2022) YAML input. ``signed_on`` («Дата» of the form) is required: it
    chooses the edition, and a date under the 2026 Rules needs their form (reading P11)."""
    from .editions import check_form_date

    inp, _ = load_model(DeathConclusionInput, path)
    if inp.signed_on is None:
        raise ReportInputError(
            f"{path}: signed_on is missing; the form of the conclusion is the one of the "
            "edition in force on the day it is signed (reading P11)")
    check_form_date("annex5", inp.signed_on)
    return DeathConclusion(**inp.model_dump())
