"""Printable HTML and XLSX of the 2026 forms (Прил. 2–5 of the Rules in the edition of order
No. 68) in Russian or Kazakh (``lang``): every label and header comes from
``data/forms/2026.yaml`` (verbatim, with its line of the ru/kk text). ИИН are masked unless
``show_iin`` (docs/reports.md, reading P8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path

import polars as pl

from ..outputs import guard_csv_frame, mask_iin_text
from .conclusion_2026 import (
    ContractConclusion,
    DeathConclusion2026,
    Row2026,
    UnconfirmedConclusion,
    UnconfirmedRegister,
)
from .form_texts import FormTexts, Text, Texts, check_lang, form_texts, ui
from .numbers import format_money
from .render import (
    SheetWriter,
    _d,
    _iin,
    _masked,
    _page,
    _table,
    error_rows_html,
    expert_line,
    put_error_rows,
)
from .xlsx import print_setup

Conclusion26 = UnconfirmedConclusion | ContractConclusion


def _money(v: Decimal | None) -> str:
    return format_money(v)


def _t(x: Text | None, lang: str) -> str:
    assert x is not None, "data/forms/2026.yaml: a text of the form is missing"
    return x.get(lang)


def _ts(x: Texts | None, lang: str) -> tuple[str, ...]:
    assert x is not None, "data/forms/2026.yaml: a table header of the form is missing"
    return x.get(lang)


def _kinds(f: FormTexts, lang: str) -> dict[str, str]:
    assert f.kinds is not None
    return f.kinds.get(lang)


def _head(reference: str, f: FormTexts, lang: str) -> str:
    """The form's caption: the library's reference in Russian; the printed annex line in Kazakh."""
    return f.annex.kk if lang == "kk" else reference


def _heading(
    reference: str, number: str, signed_on: dt.date, f: FormTexts, title: str, lang: str
) -> str:
    """The caption, the title and the number line of a conclusion."""
    line = ui(lang).number_line.format(number=number, date=_d(signed_on))
    return (
        f"<p class='ref'>{escape(_head(reference, f, lang))}</p><h1>{escape(title)}</h1>"
        f"<p class='num'>{escape(line)}</p>"
    )


def _iin_note(lang: str) -> str:
    return f"<p class='ref'>{escape(ui(lang).iin_masked)}</p>"


def _kind_html(c: Conclusion26, lang: str = "ru") -> str:
    # item 5: «текущий, внеплановый (нужное подчеркнуть)» — the chosen kind underlined
    kinds = _kinds(form_texts(c.form), lang)
    parts = [f"<u><b>{escape(v)}</b></u>" if k == c.monitoring_kind else escape(v)
             for k, v in kinds.items()]
    sep = ", " if c.form == "2026-annex3" else " /"
    return sep.join(parts)


def items(c: Conclusion26, lang: str = "ru") -> list[tuple[str, str]]:
    """Items 1–8 (Прил. 3: with 2.1–2.4) as (printed label, value), in ``lang``."""
    f = form_texts(c.form)
    u = ui(lang)
    values = {
        "branch": c.branch, "provider": c.provider, "care_type": c.care_type,
        "grounds": c.grounds, "kind": _kinds(f, lang)[c.monitoring_kind],
        "staff": "; ".join(f"{s.name} / {s.position}" for s in c.staff), "period": c.period,
        "held": u.held.format(start=_d(c.held_from), end=_d(c.held_to)),
    }
    if isinstance(c, UnconfirmedConclusion):
        values |= {"head": c.head, "bin": c.bin, "address": c.address,
                   "contract": u.contract_sum.format(number=c.contract_no,
                                                     amount=_money(c.contract_sum))}
    return [(i.get(lang), values[i.key]) for i in f.items]


def table9(rows: Sequence[Row2026], show_iin: bool) -> list[list[str]]:
    return [[str(r.no), r.record, _iin(r.iin, show_iin), _d(r.date), r.codes, _money(r.amount)]
            for r in rows]


def _sign_html(c: Conclusion26, lang: str = "ru") -> str:
    f = form_texts(c.form)
    u = ui(lang)
    ack = escape(_t(f.ack, lang))
    if c.acknowledged is not None:
        word = u.ack_without if c.acknowledged == "without_objections" else u.ack_with
        ack = ack.replace(escape(word), f"<u>{escape(word)}</u>", 1)
    objections = "".join(f"<br>{i}. {escape(t)}" for i, t in enumerate(c.objections, 1))
    name = escape(_t(f.sign_name, lang))
    return (
        "<table class='sign'><tr>"
        f"<td>{escape(_t(f.sign_fund, lang))}<br>{escape('; '.join(c.experts))}<br>"
        f"{name}</td>"
        f"<td>{ack} {escape(_t(f.sign_provider, lang))}<br>{escape(c.provider_signatory)}<br>"
        f"{name}<br>{escape(_t(f.objections, lang))}{objections}</td></tr></table>"
    )


def conclusion_2026_html(
    c: Conclusion26, *, show_iin: bool = False, fragment: bool = False, lang: str = "ru"
) -> str:
    """A printable page of Прил. 3 or Прил. 4 of the 2026 Rules in ``lang`` (ru, kk)."""
    lang = check_lang(lang)
    f = form_texts(c.form)
    title = f.title.get(lang)
    b = _heading(c.reference, c.number, c.signed_on, f, title, lang)
    for i, (label, value) in zip(f.items, items(c, lang), strict=True):
        v = _kind_html(c, lang) if i.key == "kind" else f"<b>{escape(value)}</b>"
        b += f"<p>{escape(label)} {v}</p>"
    b += f"<p>{escape(_t(f.results, lang))}:</p>"
    b += _table(_ts(f.result_headers, lang), table9(c.results, show_iin),
                f"{_t(f.total, lang)} {c.total_defects}")
    if isinstance(c, ContractConclusion):
        b += f"<p>{escape(_t(f.clauses, lang))}:</p>"
        b += _table(_ts(f.clause_headers, lang),
                    ([v.contract, v.clause, v.description, _money(v.penalty)]
                     for v in c.contract_violations),
                    f"{_t(f.clause_total, lang)} {c.total_clauses}")
    b += f"<p>{escape(_t(f.conclusions, lang))}</p>" + "".join(
        f"<p>{escape(t)}</p>" for t in c.conclusions)
    b += _sign_html(c, lang)
    if f.note is not None:
        b += f"<p class='ref'>{escape(f.note.get(lang))}</p>"
    b += error_rows_html(c.error_rows, lang)
    if not show_iin:
        b += _iin_note(lang)
    return _masked(_page(title, b, fragment, lang), show_iin)


def death_2026_items(
    c: DeathConclusion2026, show_iin: bool, lang: str = "ru"
) -> list[tuple[str, list[str]]]:
    experts = [expert_line(e) for e in c.experts]
    p = c.patient
    values: dict[str, list[str]] = {
        "experts": experts, "organization": [c.organization], "department": [c.department],
        "admitted_on": [_d(c.admitted_on)], "died_at": [f"{c.died_at:%d.%m.%Y %H:%M}"],
        "period": [c.period], "subject": [c.subject], "patient": [], "sex": [p.sex],
        "age": [p.age], "iin": [] if p.iin is None else [_iin(p.iin, show_iin)],
        "record": [p.record], "results": [], "anamnesis": [c.anamnesis],
        "examination": [c.examination], "investigations": [c.investigations],
        "diagnosis": [c.diagnosis], "plan": [c.plan], "defects": list(c.defects),
        "conclusions": list(c.conclusions), "recommendations": list(c.recommendations),
    }
    return [(i.get(lang), values[i.key]) for i in form_texts(c.form).items]


def death_2026_html(
    c: DeathConclusion2026, *, show_iin: bool = False, fragment: bool = False, lang: str = "ru"
) -> str:
    """A printable page of Прил. 5 of the 2026 Rules (п. 49) in ``lang``."""
    lang = check_lang(lang)
    f = form_texts(c.form)
    title = f.title.get(lang)
    b = _heading(c.reference, c.number, c.signed_on, f, title, lang)
    for label, values in death_2026_items(c, show_iin, lang):
        b += f"<p>{escape(label)}</p>" + "".join(f"<p><b>{escape(v)}</b></p>" for v in values)
    b += (f"<p>{escape(c.signed_by)}</p><p class='ref'>{escape(_t(f.sign_name, lang))}</p>"
          f"<p>{escape(ui(lang).date)} {_d(c.signed_on)}</p>")
    return _masked(_page(title, b, fragment, lang), show_iin)


def register_headers(lang: str = "ru") -> list[str]:
    return [c.get(lang) for c in form_texts("2026-annex2").columns]


def register_html(r: UnconfirmedRegister, *, show_iin: bool = False, lang: str = "ru") -> str:
    lang = check_lang(lang)
    f = form_texts(r.form)
    u = ui(lang)
    title = f.title.get(lang)
    b = f"<p class='ref'>{escape(_head(r.reference, f, lang))}</p><h1>{escape(title)}</h1>"
    b += (f"<p class='num'>"
          f"{escape(u.detected.format(start=_d(r.detected_from), end=_d(r.detected_to)))}</p>")
    b += _table(register_headers(lang), r.table(show_iin=show_iin))
    b += "".join("<p class='ref'>" + escape(u.empty_column.format(
        header=_register_header(e.header, lang), rows=e.empty_rows, reason=e.reason)) + "</p>"
        for e in r.empty_columns)
    b += error_rows_html(r.error_rows, lang)
    return _masked(_page(title, b, False, lang), show_iin)


def _register_header(ru_header: str, lang: str) -> str:
    """The header of a register column in ``lang`` from its Russian header."""
    cols = form_texts("2026-annex2").columns
    return next((c.get(lang) for c in cols if c.ru == ru_header), ru_header)


def write_register_csv(
    r: UnconfirmedRegister, path: str | Path, *, show_iin: bool = False, csv_guard: bool = True,
    lang: str = "ru",
) -> None:
    """The register's printed columns, headers verbatim; empty cells stay empty; ИИН in free
    text masked unless show_iin; text cells guarded against formulas unless not csv_guard."""
    register_frame(r, show_iin=show_iin, csv_guard=csv_guard, lang=lang).write_csv(path)


def register_frame(
    r: UnconfirmedRegister, *, show_iin: bool = False, csv_guard: bool = True, lang: str = "ru"
) -> pl.DataFrame:
    """The register as written to CSV (see write_register_csv); headers in ``lang``."""
    lang = check_lang(lang)
    df = r.frame(show_iin=show_iin)
    if not show_iin:
        df = df.with_columns(
            pl.col(c).map_elements(mask_iin_text, return_dtype=pl.String)
            for c, t in df.schema.items() if t == pl.String
        )
    if lang != "ru":
        df = df.rename(dict(zip(register_headers("ru"), register_headers(lang), strict=True)))
    return guard_csv_frame(df) if csv_guard else df


def write_2026_xlsx(
    doc: Conclusion26 | DeathConclusion2026 | UnconfirmedRegister, path: str | Path, *,
    show_iin: bool = False, lang: str = "ru",
) -> None:
    """A 2026 form as a one-sheet workbook in ``lang``; amounts are numbers (exact to the
    tiyn); printed on A4 fitted to the page width."""
    lang = check_lang(lang)
    f = form_texts(doc.form)
    u = ui(lang)
    sheet = SheetWriter(doc.form, show_iin=show_iin)
    put = sheet.put
    put(_head(doc.reference, f, lang))
    put(f.title.get(lang), bold=True)
    if isinstance(doc, UnconfirmedRegister):
        put(u.detected.format(start=_d(doc.detected_from), end=_d(doc.detected_to)))
        header_row = sheet.row
        put(*register_headers(lang), bold=True)
        for row, line in zip(doc.rows, doc.table(show_iin=show_iin), strict=True):
            put(row.no, *line[1:7], row.cost, *line[8:])
        for e in doc.empty_columns:
            put(u.empty_column.format(header=_register_header(e.header, lang), rows=e.empty_rows,
                                      reason=e.reason))
        put_error_rows(sheet, doc.error_rows, lang)
        print_setup(sheet.sheet, header_rows=(header_row, header_row), landscape=True)
    elif isinstance(doc, DeathConclusion2026):
        put(u.number_line.format(number=doc.number, date=_d(doc.signed_on)))
        for label, values in death_2026_items(doc, show_iin, lang):
            put(label, *values[:1], bold=False)
            for v in values[1:]:
                put("", v)
        put(doc.signed_by)
        put(_t(f.sign_name, lang))
        put(u.date, _d(doc.signed_on))
        print_setup(sheet.sheet, header_rows=None, landscape=False)
    else:
        put(u.number_line.format(number=doc.number, date=_d(doc.signed_on)))
        for label, value in items(doc, lang):
            put(label, value)
        put(f"{_t(f.results, lang)}:", bold=True)
        header_row = sheet.row
        put(*_ts(f.result_headers, lang), bold=True)
        for r9 in doc.results:
            put(r9.no, r9.record, _iin(r9.iin, show_iin), _d(r9.date), r9.codes, r9.amount)
        put(_t(f.total, lang), doc.total_defects, bold=True)
        if isinstance(doc, ContractConclusion):
            put(f"{_t(f.clauses, lang)}:", bold=True)
            put(*_ts(f.clause_headers, lang), bold=True)
            for cv in doc.contract_violations:
                put(cv.contract, cv.clause, cv.description, cv.penalty)
            put(_t(f.clause_total, lang), doc.total_clauses, bold=True)
        put(_t(f.conclusions, lang), bold=True)
        for t in doc.conclusions:
            put("", t)
        put(_t(f.sign_fund, lang), "; ".join(doc.experts))
        ack = {"without_objections": u.ack_without, "with_objections": u.ack_with,
               None: ""}[doc.acknowledged]
        put(_t(f.ack, lang), ack)
        put(_t(f.sign_provider, lang), doc.provider_signatory)
        put(_t(f.objections, lang), *[f"{i}. {t}" for i, t in enumerate(doc.objections, 1)][:1])
        for i, t in enumerate(doc.objections[1:], 2):
            put("", f"{i}. {t}")
        if f.note is not None:
            put(f.note.get(lang))
        put_error_rows(sheet, doc.error_rows, lang)
        print_setup(sheet.sheet, header_rows=(header_row, header_row), landscape=False)
    sheet.save(path, (40, 40, 18, 16, 30, 16, 16, 16, 14, 16))
