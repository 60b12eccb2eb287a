"""The conclusions and the register of the 2026 edition of the Rules (order No. 68 of
18.07.2025; Annex 1 by order No. 19 of 27.02.2026), text ``shared/sources/
monitoring-rules_2026-02-27.ru.txt`` (cited below as ``ru.txt:<line>``).

* Прил. 2 (ru.txt:438–444, п. 18): «Реестр неподтвержденных случаев оказания медицинских услуг
  (помощи), выявленных в ходе мониторинга исполнения условий договора закупа» — a table,
  ``UnconfirmedRegister``, from the deduction rows whose code is of group 5.0;
* Прил. 3 (ru.txt:446–482, п. 19): «Заключение по мониторингу неподтвержденных случаев …» —
  ``UnconfirmedConclusion``, items 1–10 incl. 2.1–2.4, section 9 from the group 5.0 rows;
* Прил. 4 (ru.txt:484–516, п. 39, 54): «Заключение по мониторингу исполнения условий договора
  закупа» — ``ContractConclusion``, items 1–11, tables 9 and 10;
* Прил. 5 (ru.txt:518–562, п. 49): the death-case conclusion. It is NOT the 2022 form item for
  item: 2026 numbers and dates it, adds to item 2 «Отделение», «Дата поступления/
  госпитализации», «Дата/время смерти», inserts item 5 «Данные пациента» (sex, age, ИИН,
  medical record), lists the parts of item 6 and so has 8 items, not 7 — ``DeathConclusion2026``.

Kinds of monitoring: current and unplanned only (п. 4, ru.txt:85–89). The form is the one of
the edition in force on ``signed_on`` (reading P11, ``reports.editions``). Section 9 takes the
rows of the provider and kind detected during item 8's dates (reading P10, as 2022); which rows
go to Прил. 3 and which to Прил. 4: reading P12; the register's columns: reading P13.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

import polars as pl
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .._yaml import load_model
from ..classifier.model import group_of
from ..errors import ReportInputError
from .conclusion import IIN, CaseParticulars, Defect, Expert, Staff
from .editions import check_form_date, editions_of_form
from .inputs import ErrorRow, read_csv_strings
from .layout import FormFile, form_spec
from .section9 import Collected, cases_of, collect_rows

__all__ = [
    "ContractConclusion",
    "ContractConclusionInput",
    "ContractViolation2026",
    "DeathConclusion2026",
    "DeathConclusion2026Input",
    "RegisterInput",
    "UnconfirmedConclusion",
    "UnconfirmedConclusionInput",
    "UnconfirmedRegister",
    "build_contract_conclusion",
    "build_register",
    "build_unconfirmed_conclusion",
    "load_2026",
]

_FROZEN = ConfigDict(extra="forbid", frozen=True)
RULES = "Правил в ред. приказа № 68 от 18.07.2025"
#: the group of unconfirmed cases in the 2026 classifier: «5.0 Неподтвержденный случай оказания
#: медицинских услуг (помощи)» (ru.txt:361), sub-codes 5.1, 5.2
UNCONFIRMED_GROUP = "5.0"

#: п. 4 (ru.txt:85–89): «1) текущий; 2) внеплановый.»; Прил. 3, 4 item 5 (ru.txt:466, 496)
Kind2026 = Literal["current", "unplanned"]
#: the labels of the kinds, Russian (data/forms/2025-08-01/2026-annex3.yaml, item 5 of Прил. 3)
KIND_LABELS_2026: dict[str, str] = dict(form_spec("2026-annex3").choices("kinds").ru)

_MONEY = re.compile(r"^\d+(\.\d{1,2})?$")


def _money(v: Any) -> Decimal:
    # YAML would read 1234.5 as a float: an amount is written as text, exact to the tiyn
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v).quantize(Decimal("0.01"))
    if not isinstance(v, str) or not _MONEY.match(v.strip()):
        raise ValueError(f"{v!r} is not an amount in tenge written as text, e.g. \"1234.50\"")
    return Decimal(v.strip()).quantize(Decimal("0.01"))


Money = Annotated[Decimal, BeforeValidator(_money)]
#: БИН: 12 digits (Прил. 3, item 2.2; Прил. 2 column «БИН медицинской организации»)
BIN = Annotated[str, Field(pattern=r"^\d{12}$")]


# --- printed texts, verbatim, with their source lines -------------------------------------

# The printed texts (Russian) with their source lines, from data/forms/2025-08-01/<form>.yaml — the
# one place of every label, in Russian and Kazakh (reports.layout takes them by language; issue
# 20). The names below are kept for the models and the callers that read them.
_A2, _A3, _A4, _A5 = (form_spec(f) for f in ("2026-annex2", "2026-annex3", "2026-annex4",
                                             "2026-annex5"))


def _t(f: FormFile, key: str) -> tuple[str, int]:
    t = f.text(key)
    return t.ru, t.first_line


TITLE_ANNEX3 = _A3.text("title").ru  # ru.txt:448
TITLE_ANNEX4 = _A4.text("title").ru  # ru.txt:486
TITLE_ANNEX5 = _A5.text("title").ru  # ru.txt:520
TITLE_REGISTER = _A2.text("title").ru  # ru.txt:440

#: Прил. 3, items as printed: (key, label, source line)
ANNEX3_ITEMS: tuple[tuple[str, str, int], ...] = tuple((i.key, i.ru, i.first_line) for i in _A3.items("items"))
ANNEX3_RESULTS = _t(_A3, "results")
#: ru.txt:474; the second header prints «коды нарушений» (not «код услуги») — kept as printed
ANNEX3_RESULT_HEADERS: tuple[str, ...] = _A3.headers("result_headers").ru
ANNEX3_TOTAL = _A3.text("total").ru  # ru.txt:474
ANNEX3_CONCLUSIONS = _t(_A3, "conclusions")

ANNEX4_ITEMS: tuple[tuple[str, str, int], ...] = tuple((i.key, i.ru, i.first_line) for i in _A4.items("items"))
ANNEX4_RESULTS = _t(_A4, "results")
#: ru.txt:504; «Cумма дефекта» begins with a LATIN C in the source — kept as printed
ANNEX4_RESULT_HEADERS: tuple[str, ...] = _A4.headers("result_headers").ru
ANNEX4_TOTAL = _A4.text("total").ru  # ru.txt:504
ANNEX4_CLAUSES = _t(_A4, "clauses")
ANNEX4_CLAUSE_HEADERS: tuple[str, ...] = _A4.headers("clause_headers").ru  # ru.txt:506
ANNEX4_CLAUSE_TOTAL = _A4.text("clause_total").ru  # ru.txt:506
ANNEX4_CONCLUSIONS = _t(_A4, "conclusions")

#: the signature block of Прил. 3 (ru.txt:480) and Прил. 4 (ru.txt:516)
SIGN_FUND = {f: _t(a, "sign_fund")
             for f, a in (("2026-annex3", _A3), ("2026-annex4", _A4))}
SIGN_PROVIDER = {f: _t(a, "sign_provider")
                 for f, a in (("2026-annex3", _A3), ("2026-annex4", _A4))}
SIGN_NAME = _A3.text("sign_name").ru  # ru.txt:480, 516
ACK_TEXT = _A3.text("ack").ru  # ru.txt:480, 516
OBJECTIONS_TEXT = _A3.text("objections").ru  # ru.txt:480, 516
#: Прил. 3 only (ru.txt:482)
ANNEX3_NOTE = _A3.text("note").ru

#: Прил. 2 columns, verbatim (ru.txt:442): (id, header)
REGISTER_COLUMNS: tuple[tuple[str, str], ...] = tuple((c.key, c.ru) for c in _A2.items("columns"))

#: Прил. 5 of 2026 (ru.txt:520–562): (key, label, line)
ANNEX5_ITEMS: tuple[tuple[str, str, int], ...] = tuple((i.key, i.ru, i.first_line) for i in _A5.items("items"))
ANNEX5_SIGN = _A5.text("sign_name").ru  # ru.txt:560


# --- inputs ---------------------------------------------------------------------------------


class _Source(BaseModel):
    """Where section 9's rows come from: a deductions CSV or a findings CSV deducted on loading
    (with the accepted readings of the 2026 table, docs/deductions.md)."""

    model_config = _FROZEN
    deductions: str | None = None  # 'osms-defects deduct' output, path relative to the YAML
    findings: str | None = None  # or findings, deducted on loading
    accept_reading: Literal["KPN", "PN", "KT", "COST"] | None = None  # E4, findings only
    accept_doubtful: bool = False  # E3, findings only


class _Monitoring2026(_Source):
    number: str = Field(min_length=1)  # №____/____
    signed_on: dt.date
    branch: str = Field(min_length=1)  # 1
    provider: str = Field(min_length=1)  # 2
    provider_id: str = Field(min_length=1)
    care_type: str = Field(min_length=1)  # 3
    grounds: str = Field(min_length=1)  # 4
    monitoring_kind: Kind2026  # 5, п. 4
    staff: tuple[Staff, ...] = Field(min_length=1)  # 6
    period: str = Field(min_length=1)  # 7
    held_from: dt.date  # 8
    held_to: dt.date
    section9_rows: Literal["held", "all"] = "held"  # reading P10
    cases: dict[str, CaseParticulars] = Field(default_factory=dict)
    conclusions: tuple[str, ...] = ()  # Прил. 3 item 10 / Прил. 4 item 11
    experts: tuple[str, ...] = ()  # signature: Эксперт (эксперты)/работник (работники) Фонда
    provider_signatory: str = ""  # первый руководитель/уполномоченное лицо поставщика
    # «Ознакомлен без возражений/с возражениями (нужное подчеркнуть)»; None = not yet signed
    acknowledged: Literal["without_objections", "with_objections"] | None = None
    objections: tuple[str, ...] = ()  # «кратко описать перечень возражений»

    @model_validator(mode="after")
    def _objections_need_with(self) -> _Monitoring2026:
        if self.objections and self.acknowledged != "with_objections":
            raise ValueError("objections are listed only when acknowledged: with_objections")
        return self


class UnconfirmedConclusionInput(_Monitoring2026):
    """Прил. 3 of 2026 (п. 19): the particulars; section 9 from the group 5.0 rows (P12)."""

    form: Literal["2026-annex3"] = "2026-annex3"
    head: str = Field(min_length=1)  # 2.1 ФИО руководителя
    bin: BIN  # 2.2
    address: str = Field(min_length=1)  # 2.3
    contract_no: str = Field(min_length=1)  # 2.4 (incl. supplementary agreements)
    contract_sum: Money  # 2.4 «с указанием суммы»


class ContractViolation2026(BaseModel):
    """Прил. 4, table 10 (ru.txt:506): a row of the contract obligations not met."""

    model_config = _FROZEN
    contract: str = Field(min_length=1)  # «№ договора и дата»
    clause: str = Field(min_length=1)  # «Неисполненный пункт договора»
    description: str = Field(min_length=1)  # «Описание неисполнения условий договора»
    penalty: Money | None = None  # «Сумма неустойки»; None = not assessed/unknown, never 0


class ContractConclusionInput(_Monitoring2026):
    """Прил. 4 of 2026 (п. 39, 54): the particulars and table 10."""

    form: Literal["2026-annex4"] = "2026-annex4"
    contract_violations: tuple[ContractViolation2026, ...] = ()
    # reading P12: group 5.0 rows (unconfirmed cases, their own conclusion of Прил. 3, п. 19)
    # are in section 9 of Прил. 4 too ("include", default) or only in Прил. 3 ("exclude")
    section9_unconfirmed: Literal["include", "exclude"] = "include"


# --- outputs --------------------------------------------------------------------------------


class Row2026(BaseModel):
    """A row of table 9 (Прил. 3, 4): one case, its codes and the sum deducted for them."""

    model_config = _FROZEN
    no: int
    record: str
    iin: IIN
    date: dt.date | None
    defects: tuple[Defect, ...]
    amount: Decimal  # «Сумма выявленного нарушения» / «Cумма дефекта»: the sum of the defects

    @property
    def codes(self) -> str:
        return "; ".join(d.code for d in self.defects)


class _Conclusion2026(BaseModel):
    model_config = _FROZEN
    edition: str  # the edition in force on signed_on (reading P11)
    number: str
    signed_on: dt.date
    branch: str
    provider: str
    provider_id: str
    care_type: str
    grounds: str
    monitoring_kind: Kind2026
    monitoring_kind_ru: str
    staff: tuple[Staff, ...]
    period: str
    held_from: dt.date
    held_to: dt.date
    results: tuple[Row2026, ...]
    total_defects: int  # ИТОГО, количество нарушений / дефектов
    total_amount: Decimal  # not printed: the sum of the amount column, for checking
    rows_outside_dates: int = 0  # P10: rows of the provider and kind outside item 8's dates
    rows_left_out: int = 0  # P12: rows left out for their code (not printed, counted)
    #: error rows of the deduct output: listed in the annex, counted (issue 20; not printed)
    error_rows: tuple[ErrorRow, ...] = ()
    conclusions: tuple[str, ...]
    experts: tuple[str, ...]
    provider_signatory: str
    acknowledged: Literal["without_objections", "with_objections"] | None
    objections: tuple[str, ...]


class UnconfirmedConclusion(_Conclusion2026):
    """Прил. 3 of the 2026 Rules (п. 19), item by item as printed."""

    form: Literal["2026-annex3"] = "2026-annex3"
    reference: str = f"Прил. 3 к Правилам мониторинга (п. 19 {RULES})"
    title: str = TITLE_ANNEX3
    head: str
    bin: str
    address: str
    contract_no: str
    contract_sum: Decimal

    def _repr_html_(self) -> str:
        from .fill import to_html

        return to_html(self, fragment=True)


class ContractConclusion(_Conclusion2026):
    """Прил. 4 of the 2026 Rules (п. 39, 54), item by item as printed."""

    form: Literal["2026-annex4"] = "2026-annex4"
    reference: str = f"Прил. 4 к Правилам мониторинга (п. 39, 54 {RULES})"
    title: str = TITLE_ANNEX4
    contract_violations: tuple[ContractViolation2026, ...]
    total_clauses: int

    def _repr_html_(self) -> str:
        from .fill import to_html

        return to_html(self, fragment=True)


# --- section 9 from the deductions -----------------------------------------------------------


def is_unconfirmed(code: str) -> bool:
    """A code of group 5.0 of the 2026 classifier (5.0 itself or a sub-code 5.1, 5.2)."""
    c = code.strip().rstrip(".")
    return c == UNCONFIRMED_GROUP or group_of(c) == UNCONFIRMED_GROUP


def _rows(
    frame: pl.DataFrame, source: str, *, provider_id: str | None, kind: str | None,
    date_from: dt.date | None, date_to: dt.date | None, keep_code: Callable[[str], bool],
    form: str,
) -> Collected:
    """The deduction rows that fill a table of ``form`` (the one collector of
    :mod:`.section9`; every row of an edition that has the form, P11)."""
    return collect_rows(frame, source, provider_id=provider_id, kind=kind, date_from=date_from,
                        date_to=date_to, keep_code=keep_code, editions=editions_of_form(form),
                        form=form)


def _table9(
    inp: _Monitoring2026, frame: pl.DataFrame, source: str, keep_code: Callable[[str], bool],
    form: str,
) -> tuple[tuple[Row2026, ...], int, int, tuple[ErrorRow, ...]]:
    held = inp.section9_rows == "held"
    got = _rows(
        frame, source, provider_id=inp.provider_id, kind=inp.monitoring_kind,
        date_from=inp.held_from if held else None, date_to=inp.held_to if held else None,
        keep_code=keep_code, form=form)
    out = []
    for n, cd in enumerate(cases_of(got, inp.cases, source), start=1):
        p = inp.cases[cd.case_id]
        ds = tuple(Defect(code=c, amount=a, reference=r) for c, a, r in cd.defects)
        out.append(Row2026(no=n, record=p.record, iin=p.iin, date=p.date, defects=ds,
                           amount=sum((d.amount or Decimal(0) for d in ds), Decimal("0.00"))))
    return tuple(out), got.outside, got.other, got.error_rows


def _common(
    inp: _Monitoring2026, rows: tuple[Row2026, ...], outside: int, other: int, edition: str,
    error_rows: tuple[ErrorRow, ...] = (),
) -> dict[str, Any]:
    return dict(
        edition=edition, number=inp.number, signed_on=inp.signed_on, branch=inp.branch, provider=inp.provider,
        provider_id=inp.provider_id, care_type=inp.care_type, grounds=inp.grounds,
        monitoring_kind=inp.monitoring_kind,
        monitoring_kind_ru=KIND_LABELS_2026[inp.monitoring_kind], staff=inp.staff,
        period=inp.period, held_from=inp.held_from, held_to=inp.held_to, results=rows,
        total_defects=sum(len(r.defects) for r in rows),
        total_amount=sum((r.amount for r in rows), Decimal("0.00")),
        rows_outside_dates=outside, rows_left_out=other, error_rows=error_rows,
        conclusions=inp.conclusions,
        experts=inp.experts, provider_signatory=inp.provider_signatory,
        acknowledged=inp.acknowledged, objections=inp.objections,
    )


def _check(inp: _Monitoring2026, form: str) -> str:
    """The edition of the form (in force on the signing, P11), after the input's checks."""
    edition = check_form_date(form, inp.signed_on)  # P11
    if inp.held_from > inp.held_to:
        raise ReportInputError(f"held_from {inp.held_from} is after held_to {inp.held_to}")
    return edition


def build_unconfirmed_conclusion(
    inp: UnconfirmedConclusionInput, deductions: pl.DataFrame | None = None, *,
    source: str = "deductions",
) -> UnconfirmedConclusion:
    """Прил. 3 of 2026 (п. 19): section 9 lists the provider's unconfirmed cases — rows of the
    kind, detected during item 8's dates (P10), whose code is of group 5.0 (P12)."""
    edition = _check(inp, "2026-annex3")
    rows: tuple[Row2026, ...] = ()
    outside = other = 0
    errs: tuple[ErrorRow, ...] = ()
    if deductions is not None:
        rows, outside, other, errs = _table9(inp, deductions, source, is_unconfirmed, "2026-annex3")
    return UnconfirmedConclusion(
        **_common(inp, rows, outside, other, edition, errs), head=inp.head, bin=inp.bin, address=inp.address,
        contract_no=inp.contract_no, contract_sum=inp.contract_sum)


def build_contract_conclusion(
    inp: ContractConclusionInput, deductions: pl.DataFrame | None = None, *,
    source: str = "deductions",
) -> ContractConclusion:
    """Прил. 4 of 2026 (п. 39, 54): section 9 from the provider's rows of the kind detected
    during item 8's dates (P10; group 5.0 rows too unless ``section9_unconfirmed: exclude``,
    P12); table 10 from ``contract_violations``."""
    edition = _check(inp, "2026-annex4")
    rows: tuple[Row2026, ...] = ()
    outside = other = 0
    errs: tuple[ErrorRow, ...] = ()
    if deductions is not None:
        def keep(code: str) -> bool:
            return inp.section9_unconfirmed == "include" or not is_unconfirmed(code)

        rows, outside, other, errs = _table9(inp, deductions, source, keep, "2026-annex4")
    return ContractConclusion(
        **_common(inp, rows, outside, other, edition, errs), contract_violations=inp.contract_violations,
        total_clauses=len(inp.contract_violations))


# --- Прил. 2: the register of unconfirmed cases -------------------------------------------


class RegisterProvider(BaseModel):
    """What the deductions do not carry about a provider (Прил. 2 columns 2–4)."""

    model_config = _FROZEN
    region: str | None = None
    bin: BIN | None = None
    name: str | None = None


class RegisterCase(BaseModel):
    """What the deductions do not carry about a case (Прил. 2 columns 5–9)."""

    model_config = _FROZEN
    record: str | None = None  # Номер карты
    iin: IIN | None = None
    date: dt.date | None = None  # Дата оказания услуги (дата выписки)
    cost: Money | None = None  # Стоимость медицинской услуги (помощи)
    service_id: str | None = None  # ID услуги (in the Fund's information system)


class RegisterInput(_Source):
    """Прил. 2 of 2026 (п. 18): which rows (detected from … to …) and the particulars."""

    form: Literal["2026-annex2"] = "2026-annex2"
    detected_from: dt.date
    detected_to: dt.date
    region: str | None = None  # one region for every provider (a branch's register)
    providers: dict[str, RegisterProvider] = Field(default_factory=dict)
    cases: dict[str, RegisterCase] = Field(default_factory=dict)


class RegisterRow(BaseModel):
    model_config = _FROZEN
    no: int
    region: str | None
    bin: str | None
    provider_name: str | None
    record: str | None
    iin: IIN | None
    service_date: dt.date | None
    cost: Decimal | None
    service_id: str | None
    detected_on: dt.date
    # provenance, not printed: which rows of the deductions made this line
    provider_id: str
    case_id: str
    codes: tuple[str, ...]
    amount: Decimal
    rows: tuple[str, ...]


class EmptyRegisterColumn(BaseModel):
    model_config = _FROZEN
    header: str
    empty_rows: int
    #: the column's key (data/forms: the register's columns); its reason in a document's
    #: language is the phrase ``register_empty_<key>`` of data/forms/ui.yaml
    key: str = ""
    reason: str


def _empty_reason(column: str) -> str | None:
    """Why a register column the deductions cannot fill is empty, and what to give instead (the
    phrase ``register_empty_<column>`` of data/forms/ui.yaml, English, as on stderr; a document
    prints it in its own language); None for a column the deductions always fill."""
    from .layout import ui_texts

    return ui_texts().en.get(f"register_empty_{column}")


class UnconfirmedRegister(BaseModel):
    """Прил. 2 of the 2026 Rules (п. 18): one line per unconfirmed case (provider + case)."""

    model_config = _FROZEN
    form: Literal["2026-annex2"] = "2026-annex2"
    edition: str  # the edition in force on detected_from (reading P11)
    reference: str = f"Прил. 2 к Правилам мониторинга (п. 18 {RULES})"
    title: str = TITLE_REGISTER
    detected_from: dt.date
    detected_to: dt.date
    rows: tuple[RegisterRow, ...]
    empty_columns: tuple[EmptyRegisterColumn, ...]
    rows_other_codes: int  # deduction rows in the dates whose code is not of group 5.0
    rows_outside_dates: int
    #: error rows of the deduct output in the dates: listed in the annex, counted (issue 20)
    error_rows: tuple[ErrorRow, ...] = ()

    def table(self, *, show_iin: bool = False) -> list[list[str]]:
        """The printed columns as text (ИИН masked unless ``show_iin``); empty = blank."""
        from ..iin import mask_iin

        def s(v: object) -> str:
            if v is None:
                return ""
            if isinstance(v, dt.date):
                return v.isoformat()
            return str(v)

        return [[str(r.no), s(r.region), s(r.bin), s(r.provider_name), s(r.record),
                 "" if r.iin is None else (r.iin if show_iin else mask_iin(r.iin)),
                 s(r.service_date), s(r.cost), s(r.service_id), s(r.detected_on)]
                for r in self.rows]

    def frame(self, *, show_iin: bool = False) -> pl.DataFrame:
        headers = [h for _, h in REGISTER_COLUMNS]
        data = self.table(show_iin=show_iin)
        return pl.DataFrame(
            {h: [row[j] for row in data] for j, h in enumerate(headers)},
            schema=dict.fromkeys(headers, pl.String))


def build_register(
    inp: RegisterInput, deductions: pl.DataFrame, *, source: str = "deductions"
) -> UnconfirmedRegister:
    """Прил. 2 of 2026 (п. 18): the unconfirmed cases — rows whose code is of group 5.0 of the
    2026 classifier, detected from ``detected_from`` to ``detected_to`` (both included), one
    line per provider and case. Columns the inputs cannot fill stay empty and are listed."""
    if inp.detected_from > inp.detected_to:
        raise ReportInputError(f"detected_from {inp.detected_from} is after detected_to {inp.detected_to}")
    edition = check_form_date("2026-annex2", inp.detected_from, "detected_from")
    check_form_date("2026-annex2", inp.detected_to, "detected_to")
    got = _rows(
        deductions, source, provider_id=None, kind=None, date_from=inp.detected_from,
        date_to=inp.detected_to, keep_code=is_unconfirmed, form="2026-annex2")
    recs, outside, other = got.rows, got.outside, got.other
    groups: dict[tuple[str, str], list[dict[str, str]]] = {}
    for rec in recs:
        groups.setdefault((rec["provider_id"], rec["case_id"]), []).append(rec)
    rows = []
    for n, ((pid, case), rs) in enumerate(groups.items(), start=1):
        prov = inp.providers.get(pid, RegisterProvider())
        cp = inp.cases.get(case, RegisterCase())
        cost = cp.cost
        if cost is None:
            # P13: the base of a % cell is the cost of the case or service (Прил. 1, гр. 5–11)
            costs = {r["base_amount"] for r in rs if r.get("basis") == "COST" and r.get("base_amount")}
            if len(costs) == 1:
                cost = _money(costs.pop())
        rows.append(RegisterRow(
            no=n, region=prov.region or inp.region, bin=prov.bin, provider_name=prov.name,
            record=cp.record, iin=cp.iin, service_date=cp.date, cost=cost,
            service_id=cp.service_id,
            # the earliest detection of the case's unconfirmed findings (P13)
            detected_on=min(dt.date.fromisoformat(r["detected_on"].strip()) for r in rs),
            provider_id=pid, case_id=case, codes=tuple(r["code"] for r in rs),
            amount=sum((Decimal(r["amount"]) for r in rs), Decimal("0.00")),
            rows=tuple(r["_row"] for r in rs)))
    empty = []
    for cid, header in REGISTER_COLUMNS:
        reason = _empty_reason(cid)
        if reason is not None:
            n_empty = sum(1 for r in rows if getattr(r, cid) is None)
            if n_empty:
                empty.append(EmptyRegisterColumn(header=header, empty_rows=n_empty,
                                                 reason=reason, key=cid))
    return UnconfirmedRegister(
        edition=edition, detected_from=inp.detected_from, detected_to=inp.detected_to, rows=tuple(rows),
        empty_columns=tuple(empty), rows_other_codes=other, rows_outside_dates=outside,
        error_rows=got.error_rows)


# --- Прил. 5 of 2026 ------------------------------------------------------------------------


class Patient2026(BaseModel):
    """Item 5 «Данные пациента» (ru.txt:540–548)."""

    model_config = _FROZEN
    sex: str = Field(min_length=1)  # Пол
    age: str = Field(min_length=1)  # Возраст (e.g. "3 мес." for an infant, п. 49)
    iin: IIN | None = None
    record: str = Field(min_length=1)  # Номер медицинской карты


class DeathConclusion2026Input(BaseModel):
    """Прил. 5 of 2026 (п. 49), items 1–8 as printed (ru.txt:520–562)."""

    model_config = _FROZEN
    form: Literal["2026-annex5"] = "2026-annex5"
    number: str = Field(min_length=1)
    signed_on: dt.date  # «Дата»; chooses the edition (P11)
    experts: tuple[Expert, ...] = Field(min_length=1)  # 1 (ru.txt:522): the same particulars as 2022
    organization: str = Field(min_length=1)  # 2
    department: str = Field(min_length=1)  # 2, Отделение
    admitted_on: dt.date  # 2, Дата поступления/госпитализации
    died_at: dt.datetime  # 2, Дата/время смерти
    period: str = Field(min_length=1)  # 3
    subject: str = Field(min_length=1)  # 4
    patient: Patient2026  # 5
    anamnesis: str  # 6, the parts as printed
    examination: str
    investigations: str
    diagnosis: str
    plan: str
    defects: tuple[str, ...] = Field(min_length=1)  # 6, Выявленные дефекты и нарушения
    conclusions: tuple[str, ...] = Field(min_length=1)  # 7
    recommendations: tuple[str, ...] = ()  # 8
    signed_by: str = Field(min_length=1)


class DeathConclusion2026(DeathConclusion2026Input):
    """The death-case conclusion of the 2026 Rules (the input is already the whole form)."""

    edition: str  # the edition in force on signed_on (reading P11)
    reference: str = f"Прил. 5 к Правилам мониторинга (п. 49 {RULES})"
    title: str = TITLE_ANNEX5

    def _repr_html_(self) -> str:
        from .fill import to_html

        return to_html(self, fragment=True)


def build_death_conclusion_2026(inp: DeathConclusion2026Input) -> DeathConclusion2026:
    edition = check_form_date("2026-annex5", inp.signed_on)  # P11
    if inp.died_at.date() < inp.admitted_on:
        raise ReportInputError(f"died_at {inp.died_at} is before admitted_on {inp.admitted_on}")
    return DeathConclusion2026(**inp.model_dump(), edition=edition)


# --- loading --------------------------------------------------------------------------------

Doc2026 = UnconfirmedConclusion | ContractConclusion | UnconfirmedRegister | DeathConclusion2026


def _frame(inp: _Source, path: Path) -> tuple[pl.DataFrame | None, str]:
    if inp.deductions is not None and inp.findings is not None:
        raise ReportInputError(f"{path}: give either 'deductions' or 'findings', not both")
    if inp.deductions is not None:
        if inp.accept_reading is not None or inp.accept_doubtful:
            raise ReportInputError(
                f"{path}: accept_reading/accept_doubtful apply to 'findings' (deducted on "
                "loading); a deductions file was deducted already")
        dpath = path.parent / inp.deductions
        return read_csv_strings(dpath), str(dpath)
    if inp.findings is not None:
        from ..classifier import load_classifier
        from ..deductions.engine import Resolver
        from ..deductions.frame import deduct_frame

        fpath = path.parent / inp.findings
        from .editions import chosen

        res = Resolver(load_classifier(), accept_reading=inp.accept_reading,
                       accept_doubtful=inp.accept_doubtful, edition=chosen())
        return deduct_frame(read_csv_strings(fpath), res), f"{fpath} (deducted)"
    return None, "deductions"


def load_2026(form: str, path: str | Path) -> Doc2026:
    """Load a YAML input of a 2026 form (``2026-annex2|3|4|5``) and build the document."""
    p = Path(path)
    if form == "2026-annex3":
        i3, _ = load_model(UnconfirmedConclusionInput, p)
        frame, src = _frame(i3, p)
        return build_unconfirmed_conclusion(i3, frame, source=src)
    if form == "2026-annex4":
        i4, _ = load_model(ContractConclusionInput, p)
        frame, src = _frame(i4, p)
        return build_contract_conclusion(i4, frame, source=src)
    if form == "2026-annex2":
        i2, _ = load_model(RegisterInput, p)
        frame, src = _frame(i2, p)
        if frame is None:
            raise ReportInputError(f"{p}: the register needs 'deductions' or 'findings'")
        return build_register(i2, frame, source=src)
    if form == "2026-annex5":
        i5, _ = load_model(DeathConclusion2026Input, p)
        return build_death_conclusion_2026(i5)
    raise ReportInputError(f"unknown 2026 form {form!r} (allowed: 2026-annex2, 2026-annex3, "
                           "2026-annex4, 2026-annex5)")
