"""Printable HTML and XLSX of the 2026 forms (Прил. 2–5 of the Rules in the edition of order
No. 68); labels and headers are the verbatim constants of ``conclusion_2026`` (with their
ru.txt lines). ИИН are masked unless ``show_iin`` (docs/reports.md, reading P8)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape
from pathlib import Path

import polars as pl

from ..outputs import guard_csv_frame, mask_iin_text
from .conclusion_2026 import (
    ACK_TEXT,
    ANNEX3_CONCLUSIONS,
    ANNEX3_ITEMS,
    ANNEX3_NOTE,
    ANNEX3_RESULT_HEADERS,
    ANNEX3_RESULTS,
    ANNEX3_TOTAL,
    ANNEX4_CLAUSE_HEADERS,
    ANNEX4_CLAUSE_TOTAL,
    ANNEX4_CLAUSES,
    ANNEX4_CONCLUSIONS,
    ANNEX4_ITEMS,
    ANNEX4_RESULT_HEADERS,
    ANNEX4_RESULTS,
    ANNEX4_TOTAL,
    ANNEX5_ITEMS,
    ANNEX5_SIGN,
    KIND_LABELS_2026,
    OBJECTIONS_TEXT,
    REGISTER_COLUMNS,
    SIGN_FUND,
    SIGN_NAME,
    SIGN_PROVIDER,
    ContractConclusion,
    DeathConclusion2026,
    Row2026,
    UnconfirmedConclusion,
    UnconfirmedRegister,
)
from .numbers import format_money
from .render import (
    IIN_MASKED_NOTE,
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

Conclusion26 = UnconfirmedConclusion | ContractConclusion


def _money(v: Decimal | None) -> str:
    return format_money(v)


def _kind_html(c: Conclusion26) -> str:
    # item 5: «текущий, внеплановый (нужное подчеркнуть)» — the chosen kind underlined
    parts = [f"<u><b>{v}</b></u>" if k == c.monitoring_kind else v for k, v in KIND_LABELS_2026.items()]
    sep = ", " if c.form == "2026-annex3" else " /"
    return sep.join(parts)


def items(c: Conclusion26) -> list[tuple[str, str]]:
    """Items 1–8 (Прил. 3: with 2.1–2.4) as (printed label, value)."""
    values = {
        "branch": c.branch, "provider": c.provider, "care_type": c.care_type,
        "grounds": c.grounds, "kind": c.monitoring_kind_ru,
        "staff": "; ".join(f"{s.name} / {s.position}" for s in c.staff), "period": c.period,
        "held": f"с {_d(c.held_from)} по {_d(c.held_to)}",
    }
    if isinstance(c, UnconfirmedConclusion):
        values |= {"head": c.head, "bin": c.bin, "address": c.address,
                   "contract": f"{c.contract_no}, сумма {_money(c.contract_sum)} тг"}
    spec = ANNEX3_ITEMS if isinstance(c, UnconfirmedConclusion) else ANNEX4_ITEMS
    return [(label, values[key]) for key, label, _ in spec]


def table9(rows: Sequence[Row2026], show_iin: bool) -> list[list[str]]:
    return [[str(r.no), r.record, _iin(r.iin, show_iin), _d(r.date), r.codes, _money(r.amount)]
            for r in rows]


def _sign_html(c: Conclusion26) -> str:
    ack = ACK_TEXT
    if c.acknowledged == "without_objections":
        ack = "Ознакомлен <u>без возражений</u>/с возражениями (нужное подчеркнуть)"
    elif c.acknowledged == "with_objections":
        ack = "Ознакомлен без возражений/<u>с возражениями</u> (нужное подчеркнуть)"
    objections = "".join(f"<br>{i}. {escape(t)}" for i, t in enumerate(c.objections, 1))
    return (
        "<table class='sign'><tr>"
        f"<td>{escape(SIGN_FUND[c.form][0])}<br>{escape('; '.join(c.experts))}<br>"
        f"{escape(SIGN_NAME)}</td>"
        f"<td>{ack} {escape(SIGN_PROVIDER[c.form][0])}<br>{escape(c.provider_signatory)}<br>"
        f"{escape(SIGN_NAME)}<br>{escape(OBJECTIONS_TEXT)}{objections}</td></tr></table>"
    )


def conclusion_2026_html(c: Conclusion26, *, show_iin: bool = False, fragment: bool = False) -> str:
    """A printable page of Прил. 3 or Прил. 4 of the 2026 Rules."""
    a3 = isinstance(c, UnconfirmedConclusion)
    b = f"<p class='ref'>{escape(c.reference)}</p><h1>{escape(c.title)}</h1>"
    b += f"<p class='num'>№ {escape(c.number)} от {_d(c.signed_on)} года</p>"
    for label, value in items(c):
        v = _kind_html(c) if label.startswith("5.") else f"<b>{escape(value)}</b>"
        b += f"<p>{escape(label)} {v}</p>"
    title9, headers, total = (
        (ANNEX3_RESULTS, ANNEX3_RESULT_HEADERS, ANNEX3_TOTAL) if a3
        else (ANNEX4_RESULTS, ANNEX4_RESULT_HEADERS, ANNEX4_TOTAL))
    b += f"<p>{escape(title9[0])}:</p>"
    b += _table(headers, table9(c.results, show_iin), f"{total} {c.total_defects}")
    if isinstance(c, ContractConclusion):
        b += f"<p>{escape(ANNEX4_CLAUSES[0])}:</p>"
        b += _table(ANNEX4_CLAUSE_HEADERS,
                    ([v.contract, v.clause, v.description, _money(v.penalty)]
                     for v in c.contract_violations),
                    f"{ANNEX4_CLAUSE_TOTAL} {c.total_clauses}")
    concl = ANNEX3_CONCLUSIONS if a3 else ANNEX4_CONCLUSIONS
    b += f"<p>{escape(concl[0])}</p>" + "".join(f"<p>{escape(t)}</p>" for t in c.conclusions)
    b += _sign_html(c)
    if a3:
        b += f"<p class='ref'>{escape(ANNEX3_NOTE)}</p>"
    b += error_rows_html(c.error_rows)
    if not show_iin:
        b += IIN_MASKED_NOTE
    return _masked(_page(c.title, b, fragment), show_iin)


def death_2026_items(c: DeathConclusion2026, show_iin: bool) -> list[tuple[str, list[str]]]:
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
    return [(label, values[key]) for key, label, _ in ANNEX5_ITEMS]


def death_2026_html(c: DeathConclusion2026, *, show_iin: bool = False, fragment: bool = False) -> str:
    """A printable page of Прил. 5 of the 2026 Rules (п. 49)."""
    b = f"<p class='ref'>{escape(c.reference)}</p><h1>{escape(c.title)}</h1>"
    b += f"<p class='num'>№ {escape(c.number)} от {_d(c.signed_on)} года</p>"
    for label, values in death_2026_items(c, show_iin):
        b += f"<p>{escape(label)}</p>" + "".join(f"<p><b>{escape(v)}</b></p>" for v in values)
    b += (f"<p>{escape(c.signed_by)}</p><p class='ref'>{escape(ANNEX5_SIGN)}</p>"
          f"<p>Дата {_d(c.signed_on)}</p>")
    return _masked(_page(c.title, b, fragment), show_iin)


def register_html(r: UnconfirmedRegister, *, show_iin: bool = False) -> str:
    b = f"<p class='ref'>{escape(r.reference)}</p><h1>{escape(r.title)}</h1>"
    b += f"<p class='num'>выявлены с {_d(r.detected_from)} по {_d(r.detected_to)}</p>"
    b += _table([h for _, h in REGISTER_COLUMNS], r.table(show_iin=show_iin))
    b += "".join(f"<p class='ref'>Не заполнено: «{escape(e.header)}» — {e.empty_rows} строк(и): "
                 f"{escape(e.reason)}</p>" for e in r.empty_columns)
    b += error_rows_html(r.error_rows)
    return _masked(_page(r.title, b, False), show_iin)


def write_register_csv(
    r: UnconfirmedRegister, path: str | Path, *, show_iin: bool = False, csv_guard: bool = True
) -> None:
    """The register's printed columns, headers verbatim; empty cells stay empty; ИИН in free
    text masked unless show_iin; text cells guarded against formulas unless not csv_guard."""
    register_frame(r, show_iin=show_iin, csv_guard=csv_guard).write_csv(path)


def register_frame(r: UnconfirmedRegister, *, show_iin: bool = False, csv_guard: bool = True) -> pl.DataFrame:
    """The register as written to CSV (see write_register_csv)."""
    df = r.frame(show_iin=show_iin)
    if not show_iin:
        df = df.with_columns(
            pl.col(c).map_elements(mask_iin_text, return_dtype=pl.String)
            for c, t in df.schema.items() if t == pl.String
        )
    return guard_csv_frame(df) if csv_guard else df


def write_2026_xlsx(
    doc: Conclusion26 | DeathConclusion2026 | UnconfirmedRegister, path: str | Path, *,
    show_iin: bool = False,
) -> None:
    """A 2026 form as a one-sheet workbook; amounts are numbers (exact to the tiyn)."""
    sheet = SheetWriter(doc.form, show_iin=show_iin)
    put = sheet.put
    put(doc.reference)
    put(doc.title, bold=True)
    if isinstance(doc, UnconfirmedRegister):
        put(f"выявлены с {_d(doc.detected_from)} по {_d(doc.detected_to)}")
        put(*(h for _, h in REGISTER_COLUMNS), bold=True)
        for row, line in zip(doc.rows, doc.table(show_iin=show_iin), strict=True):
            put(row.no, *line[1:7], row.cost, *line[8:])
        for e in doc.empty_columns:
            put(f"Не заполнено: «{e.header}» — {e.empty_rows} строк(и): {e.reason}")
        put_error_rows(sheet, doc.error_rows)
    elif isinstance(doc, DeathConclusion2026):
        put(f"№ {doc.number} от {_d(doc.signed_on)} года")
        for label, values in death_2026_items(doc, show_iin):
            put(label, *values[:1], bold=False)
            for v in values[1:]:
                put("", v)
        put(doc.signed_by)
        put(ANNEX5_SIGN)
        put("Дата", _d(doc.signed_on))
    else:
        a3 = isinstance(doc, UnconfirmedConclusion)
        put(f"№ {doc.number} от {_d(doc.signed_on)} года")
        for label, value in items(doc):
            put(label, value)
        title9, headers, total = (
            (ANNEX3_RESULTS, ANNEX3_RESULT_HEADERS, ANNEX3_TOTAL) if a3
            else (ANNEX4_RESULTS, ANNEX4_RESULT_HEADERS, ANNEX4_TOTAL))
        put(f"{title9[0]}:", bold=True)
        put(*headers, bold=True)
        for r9 in doc.results:
            put(r9.no, r9.record, _iin(r9.iin, show_iin), _d(r9.date), r9.codes, r9.amount)
        put(total, doc.total_defects, bold=True)
        if isinstance(doc, ContractConclusion):
            put(f"{ANNEX4_CLAUSES[0]}:", bold=True)
            put(*ANNEX4_CLAUSE_HEADERS, bold=True)
            for cv in doc.contract_violations:
                put(cv.contract, cv.clause, cv.description, cv.penalty)
            put(ANNEX4_CLAUSE_TOTAL, doc.total_clauses, bold=True)
        put((ANNEX3_CONCLUSIONS if a3 else ANNEX4_CONCLUSIONS)[0], bold=True)
        for t in doc.conclusions:
            put("", t)
        put(SIGN_FUND[doc.form][0], "; ".join(doc.experts))
        ack = {"without_objections": "без возражений", "with_objections": "с возражениями",
               None: ""}[doc.acknowledged]
        put(ACK_TEXT, ack)
        put(SIGN_PROVIDER[doc.form][0], doc.provider_signatory)
        put(OBJECTIONS_TEXT, *[f"{i}. {t}" for i, t in enumerate(doc.objections, 1)][:1])
        for i, t in enumerate(doc.objections[1:], 2):
            put("", f"{i}. {t}")
        if a3:
            put(ANNEX3_NOTE)
        put_error_rows(sheet, doc.error_rows)
    sheet.save(path, (40, 40, 18, 16, 30, 16, 16, 16, 14, 16))

