"""What fills each form: the values of a conclusion, register or report by the names its
layout uses (``data/forms/<edition>/<form>.yaml``), and the public entry points that render any
of them — ``document``, ``to_html``, ``to_xlsx``.

The values are the document's facts (names, dates, amounts as Decimal, table rows); every printed
word comes from the form's data file or from ``data/forms/ui.yaml``. One function per kind of
content, not per edition: a later edition's form with the same content is a data file only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from ..outputs import guard_csv_frame, mask_iin_text
from .annex34 import _PCT, MonitoringReport
from .conclusion import Conclusion, DeathConclusion, Expert, ResultRow
from .conclusion_2026 import (
    ContractConclusion,
    DeathConclusion2026,
    UnconfirmedConclusion,
    UnconfirmedRegister,
)
from .document import Cell, Column, Document, Formula, Para, Run, Section, Table
from .forms import column_kind
from .html import render_html
from .inputs import ErrorRow
from .layout import Chosen, Rows, Value, check_lang, compose, form_spec, ui, ui_table
from .numbers import format_date, format_money
from .workbook import write_xlsx

__all__ = [
    "Renderable",
    "document",
    "expert_line",
    "register_frame",
    "to_html",
    "to_xlsx",
    "write_register_csv",
]

Renderable = (Conclusion | DeathConclusion | UnconfirmedConclusion | ContractConclusion
              | DeathConclusion2026 | UnconfirmedRegister | MonitoringReport)


def expert_line(e: Expert, lang: str = "ru") -> str:
    """Who carried out the monitoring of a death case, on one line (Прил. 5, item 1; 2022 and
    2026)."""
    accreditation = (ui(lang)["accreditation"].format(number=e.accreditation_no)
                     if e.accreditation_no else "")
    return ", ".join(x for x in (e.name, e.position, e.specialty, e.category, e.degree, accreditation) if x)


def _held(start: Any, end: Any, lang: str) -> str:
    return ui(lang)["held"].format(start=format_date(start), end=format_date(end))


def _staff(c: Conclusion | UnconfirmedConclusion | ContractConclusion) -> str:
    return "; ".join(f"{s.name} / {s.position}" for s in c.staff)


# --- 2022 ----------------------------------------------------------------------------------------


def _defects_text(row: ResultRow, lang: str) -> str:
    parts = []
    for d in row.defects:
        extra = ([ui(lang)["amount_tenge"].format(amount=format_money(d.amount, lang))]
                 if d.amount is not None else [])
        if d.reference:
            extra.append(d.reference)
        parts.append(d.code + (f" ({'; '.join(extra)})" if extra else ""))
    return "; ".join(parts)


def _result_rows(rows: tuple[ResultRow, ...], lang: str) -> Rows:
    return Rows(tuple((r.no, r.record, r.iin, r.date, _defects_text(r, lang)) for r in rows))


def _conclusion_2022(c: Conclusion, lang: str) -> dict[str, Value]:
    u = ui(lang)
    f = c.follow_up
    return {
        "reference": c.reference, "number": c.number, "date": c.signed_on,
        "branch": c.branch, "provider": c.provider, "care_type": c.care_type,
        "grounds": c.grounds, "kind": Chosen(c.monitoring_kind), "staff": _staff(c),
        "period": c.period, "held": _held(c.held_from, c.held_to, lang),
        "results": _result_rows(c.results, lang), "total_defects": c.total_defects,
        "contract_violations": Rows(tuple((i, v.clause, v.description)
                                          for i, v in enumerate(c.contract_violations, 1))),
        "total_clauses": c.total_clauses, "conclusions": c.conclusions,
        "follow_up": f is not None,  # `when: follow_up` (sections 12–13, proactive only)
        "follow_up_results": _result_rows(f.results, lang) if f else Rows(()),
        "follow_up_total_defects": f.total_defects if f else 0,
        "follow_up_clauses": Rows(tuple(
            (i, x.clause, u["remedied"] if x.remedied else u["not_remedied"])
            for i, x in enumerate(f.clauses, 1))) if f else Rows(()),
        "follow_up_total_clauses": f.total_clauses if f else 0,
        "follow_up_conclusions": f.conclusions if f else (),
        "fund_specialist": c.fund_specialist, "provider_head": c.provider_head,
    }


def _death_2022(c: DeathConclusion, lang: str) -> dict[str, Value]:
    subject = [c.subject] + ([ui(lang)["patient_iin"].format(patient_iin=c.patient_iin)]
                             if c.patient_iin else [])
    return {
        "reference": c.reference, "experts": [expert_line(e, lang) for e in c.experts],
        "organization": [c.organization], "period": [c.period], "subject": subject,
        "results": list(c.results), "conclusions": list(c.conclusions),
        "recommendations": list(c.recommendations), "signed_by": c.signed_by,
        "date": c.signed_on,
    }


# --- 2026 (order No. 68) ---------------------------------------------------------------------------


def _conclusion_2026(c: UnconfirmedConclusion | ContractConclusion, lang: str) -> dict[str, Value]:
    u = ui(lang)
    values: dict[str, Value] = {
        "reference": c.reference, "number": c.number, "date": c.signed_on,
        "branch": c.branch, "provider": c.provider, "care_type": c.care_type,
        "grounds": c.grounds, "kind": Chosen(c.monitoring_kind), "staff": _staff(c),
        "period": c.period, "held": _held(c.held_from, c.held_to, lang),
        "results": Rows(tuple((r.no, r.record, r.iin, r.date, r.codes, r.amount)
                              for r in c.results)),
        "total_defects": c.total_defects, "conclusions": c.conclusions,
        "experts": c.experts, "provider_signatory": c.provider_signatory,
        "ack_word": {"without_objections": u["ack_without"], "with_objections": u["ack_with"],
                     None: ""}[c.acknowledged],
        "objections": c.objections,
    }
    if isinstance(c, UnconfirmedConclusion):
        values |= {"head": c.head, "bin": c.bin, "address": c.address,
                   "contract": u["contract_sum"].format(
                       number=c.contract_no, amount=format_money(c.contract_sum, lang))}
    else:
        values |= {"contract_violations": Rows(tuple(
            (v.contract, v.clause, v.description, v.penalty) for v in c.contract_violations)),
            "total_clauses": c.total_clauses}
    return values


def _death_2026(c: DeathConclusion2026, lang: str) -> dict[str, Value]:
    p = c.patient
    return {
        "number": c.number, "date": c.signed_on,
        "experts": [expert_line(e, lang) for e in c.experts], "organization": [c.organization],
        "department": [c.department], "admitted_on": [format_date(c.admitted_on)],
        "died_at": [f"{c.died_at:%d.%m.%Y %H:%M}"], "period": [c.period],
        "subject": [c.subject], "patient": [], "sex": [p.sex], "age": [p.age],
        "iin": [] if p.iin is None else [p.iin], "record": [p.record], "results": [],
        "anamnesis": [c.anamnesis], "examination": [c.examination],
        "investigations": [c.investigations], "diagnosis": [c.diagnosis], "plan": [c.plan],
        "defects": list(c.defects), "conclusions": list(c.conclusions),
        "recommendations": list(c.recommendations), "signed_by": c.signed_by,
    }


def register_header(ru_header: str, lang: str, edition: str | None = None) -> str:
    """The header of a register column in ``lang`` from its Russian header."""
    cols = form_spec("2026-annex2", edition).items("columns")
    return next((c.get(lang) for c in cols if c.ru == ru_header), ru_header)


def _register(r: UnconfirmedRegister, lang: str) -> dict[str, Value]:
    return {
        "start": r.detected_from, "end": r.detected_to,
        "rows": Rows(tuple((x.no, x.region, x.bin, x.provider_name, x.record, x.iin,
                            x.service_date, x.cost, x.service_id, x.detected_on)
                           for x in r.rows)),
        "empty_columns": [ui(lang)["empty_column"].format(
            header=register_header(e.header, lang, r.edition), rows=e.empty_rows,
            reason=ui(lang).get(f"register_empty_{e.key}", e.reason))
            for e in r.empty_columns],
    }


# --- the reports of Прил. 3 and 4 (2022) -------------------------------------------------------------


def _report(r: MonitoringReport, lang: str) -> dict[str, Value]:
    u = ui(lang)
    cols = r.form.columns
    rows = r.rows()
    body = tuple(tuple(row[c.id] for c in cols) for row in rows[:-1])
    total: list[Cell | Formula] = []
    for c in cols:
        v = rows[-1][c.id]
        t = column_kind(c)
        if v is None:
            total.append(None)
        elif t in ("int", "money") and c.id != "row_no":
            total.append(Formula(v))
        elif c.id in _PCT:
            num, den = _PCT[c.id]
            total.append(Formula(v, f"ROUND({{{num}}}*100/{{{den}}},2)"))
        elif c.id == "sanctions_pct":
            total.append(Formula(v, "ROUND(({total_defects_sum}+{total_penalty_assessed})*100/"
                                    "{contract_sum},2)"))
        else:
            total.append(v)
    errors = str(len(r.error_rows)) + (f" — {u['error_rows_title']}" if r.error_rows else "")
    return {
        "title": r.title, "reference": r.form.reference, "due": r.due.due,
        "due_reference": r.due.reference, "due_description": r.due.description,
        "rows": Rows(body, tuple(total)), "notes": list(r.form.notes),
        "empty_columns": [u["empty_report_column"].format(number=e.number, id=e.id, reason=e.reason)
                          for e in r.empty_columns],
        "date_label": u.get(f"date_{r.date_column}", r.date_column), "used": r.deductions_used,
        "outside": r.deductions_outside_period, "other_program": r.deductions_other_program,
        "errors": errors, "abbreviations": list(r.form.abbreviations),
    }


# --- the annex of error rows and the entry points ----------------------------------------------------


def error_rows_annex(rows: tuple[ErrorRow, ...], lang: str,
                     show_iin: bool = False) -> tuple[Section, ...]:
    """The deduct output's error rows, listed in an annex of the document and counted (issue 20):
    nothing dropped silently. An ИИН in any cell of a row (a row in error may hold anything in
    any column) is masked unless ``show_iin``."""
    if not rows:
        return ()
    u = ui(lang)

    def safe(text: str) -> str:
        return text if show_iin else mask_iin_text(text)

    columns = tuple(Column(h, width={6: 30, 7: 50}.get(j, 14))
                    for j, h in enumerate(ui_table("error_rows", lang)))
    table = Table(columns, tuple(tuple(safe(x) for x in (
                                     e.row, e.finding_id, e.provider_id, e.case_id, e.code,
                                     e.detected_on, _error_title(e.error, lang), e.error))
                                 for e in rows),
                  total_line=u["error_rows_total"].format(count=len(rows)))
    return (Section(u["error_rows_title"], (table,), sheet=u["error_rows_sheet"]),)


def _error_title(error: str, lang: str) -> str:
    """The title of the error's kind in ``lang`` (data/messages.yaml): the deduct output's
    error reads «kind: detail»; the detail, the engine's own words, follows in its column."""
    from ..deductions.messages import error_title
    from ..deductions.model import ErrorKind

    kind = error.split(":", 1)[0].strip()
    if kind not in {k.value for k in ErrorKind}:
        return ""
    return error_title(kind, lang)


_FILL: dict[type, Callable[[Any, str], dict[str, Value]]] = {
    Conclusion: _conclusion_2022, DeathConclusion: _death_2022,
    UnconfirmedConclusion: _conclusion_2026, ContractConclusion: _conclusion_2026,
    DeathConclusion2026: _death_2026, UnconfirmedRegister: _register, MonitoringReport: _report,
}


def _form_of(obj: Renderable) -> str:
    if isinstance(obj, MonitoringReport):
        return obj.form.form
    return obj.form


def document(obj: Renderable, *, lang: str = "ru", show_iin: bool = False,
             gloss: str | None = None, notes: Sequence[str] = ()) -> Document:
    """The document of a conclusion, register or report, in ``lang`` (``ru``, ``kk`` where the
    form has a Kazakh text), its ИИН masked unless ``show_iin``, with an English gloss of the
    printed texts if ``gloss="en"``. ``notes``: what the document must say about its edition
    (``reports.editions.chosen_edition``: E20 «chosen by the caller …», E18, E19), printed
    under the form as they are."""
    values = _FILL[type(obj)](obj, lang)
    edition = getattr(obj, "edition", None)
    annexes = error_rows_annex(tuple(getattr(obj, "error_rows", ())), lang, show_iin)
    if notes:
        annexes += (Section(ui(lang)["edition_notes"], tuple(
            Para((Run(n),), "note") for n in notes)),)
    return compose(_form_of(obj), values, lang=lang, show_iin=show_iin, gloss=gloss,
                   annexes=annexes, edition=edition if isinstance(edition, str) else None)


def to_html(obj: Renderable, *, lang: str = "ru", show_iin: bool = False,
            gloss: str | None = None, fragment: bool = False, notes: Sequence[str] = ()) -> str:
    """A printable HTML page (no external assets) of the document."""
    doc = document(obj, lang=lang, show_iin=show_iin, gloss=gloss, notes=notes)
    return render_html(doc, fragment=fragment)


def to_xlsx(obj: Renderable, path: str | Path, *, lang: str = "ru", show_iin: bool = False,
            gloss: str | None = None, notes: Sequence[str] = ()) -> None:
    """The document as a workbook (amounts exact to the tiyn, printed fitted to the page)."""
    write_xlsx(document(obj, lang=lang, show_iin=show_iin, gloss=gloss, notes=notes), path)


# --- the register as CSV (Прил. 2 of 2026) ------------------------------------------------------------


def register_frame(
    r: UnconfirmedRegister, *, show_iin: bool = False, csv_guard: bool = True, lang: str = "ru"
) -> pl.DataFrame:
    """The register's printed columns, headers verbatim in ``lang``; empty cells stay empty; ИИН
    in free text masked unless ``show_iin``; text cells guarded against formulas unless not
    ``csv_guard``."""
    check_lang(r.form, lang, r.edition)
    df = r.frame(show_iin=show_iin)
    if not show_iin:
        df = df.with_columns(
            pl.col(c).map_elements(mask_iin_text, return_dtype=pl.String)
            for c, t in df.schema.items() if t == pl.String
        )
    if lang != "ru":
        df = df.rename({h: register_header(h, lang, r.edition) for h in df.columns})
    return guard_csv_frame(df) if csv_guard else df


def write_register_csv(
    r: UnconfirmedRegister, path: str | Path, *, show_iin: bool = False, csv_guard: bool = True,
    lang: str = "ru",
) -> None:
    register_frame(r, show_iin=show_iin, csv_guard=csv_guard, lang=lang).write_csv(path)
