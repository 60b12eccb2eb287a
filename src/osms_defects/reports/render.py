"""Printable HTML (no external assets) and XLSX renderings of the conclusions (Прил. 2, 5)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from html import escape
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..iin import mask_iin
from ..outputs import mask_iin_text
from .conclusion import (
    CLAUSE_HEADERS,
    DEATH_ITEMS,
    FOLLOWUP_CLAUSE_HEADERS,
    RESULT_HEADERS,
    Conclusion,
    DeathConclusion,
    Expert,
    ResultRow,
)
from .form_texts import forms_2022
from .inputs import ERROR_ROWS_HEADERS, ERROR_ROWS_TITLE, ErrorRow
from .numbers import format_date, format_money

_CSS = """
body { font-family: "Times New Roman", serif; font-size: 12pt; max-width: 190mm; margin: 10mm auto; }
h1 { font-size: 13pt; text-align: center; } .num { text-align: center; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; font-size: 11pt; }
.ref { font-size: 9pt; color: #444; } .sign td { border: none; padding-top: 18pt; }
@media print { .ref { color: #000; } }
"""


def _d(d: date | None) -> str:
    return format_date(d)


def _iin(iin: str, show: bool) -> str:
    return iin if show else mask_iin(iin)


#: said under every page whose ИИН are masked (reading P8)
_A2 = forms_2022().annex2
IIN_MASKED_NOTE = "<p class='ref'>ИИН скрыты (видны 4 последние цифры); полный ИИН: --show-iin.</p>"


def expert_line(e: Expert) -> str:
    """Who carried out the monitoring of a death case, on one line (Прил. 5, item 1; 2022 and 2026)."""
    accreditation = f"свидетельство об аккредитации № {e.accreditation_no}" if e.accreditation_no else ""
    return ", ".join(x for x in (e.name, e.position, e.specialty, e.category, e.degree, accreditation) if x)


def _defects_text(row: ResultRow) -> str:
    parts = []
    for d in row.defects:
        extra = [f"{format_money(d.amount)} тг"] if d.amount is not None else []
        if d.reference:
            extra.append(d.reference)
        parts.append(d.code + (f" ({'; '.join(extra)})" if extra else ""))
    return "; ".join(parts)


def result_table(rows: Sequence[ResultRow], show_iin: bool) -> list[list[str]]:
    return [[str(r.no), r.record, _iin(r.iin, show_iin), _d(r.date), _defects_text(r)] for r in rows]


def error_rows_html(rows: Sequence[ErrorRow], lang: str = "ru") -> str:
    """The annex listing the deduct output's error rows (not in the document; issue 20); ""
    when there are none."""
    if not rows:
        return ""
    return (f"<h2>{escape(ERROR_ROWS_TITLE[lang])}</h2>"
            + _table(ERROR_ROWS_HEADERS[lang], ([e.row, e.finding_id, e.provider_id, e.case_id,
                                                 e.code, e.detected_on, e.error] for e in rows),
                     f"Всего строк с ошибками: {len(rows)}" if lang == "ru"
                     else f"Қателері бар жолдар саны: {len(rows)}"))


def put_error_rows(sheet: SheetWriter, rows: Sequence[ErrorRow], lang: str = "ru") -> None:
    """The same annex in a workbook, below the form."""
    if not rows:
        return
    sheet.put(ERROR_ROWS_TITLE[lang], bold=True)
    sheet.put(*ERROR_ROWS_HEADERS[lang], bold=True)
    for e in rows:
        sheet.put(e.row, e.finding_id, e.provider_id, e.case_id, e.code, e.detected_on, e.error)


def _table(headers: Iterable[str], rows: Iterable[Sequence[str]], total: str | None = None) -> str:
    hs = list(headers)
    out = "<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in hs) + "</tr>"
    for r in rows:
        out += "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>"
    if total is not None:
        out += f"<tr><td colspan='{len(hs)}'><b>{escape(total)}</b></td></tr>"
    return out + "</table>"


def _page(title: str, body: str, fragment: bool, lang: str = "ru") -> str:
    if fragment:
        return f"<div lang='{escape(lang)}'>{body}</div>"
    return (
        f"<!DOCTYPE html><html lang='{escape(lang)}'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>{body}</body></html>"
    )


def conclusion_sections(c: Conclusion) -> list[tuple[str, str]]:
    """Sections 1–8 as (printed label, value); labels from data/forms/2022-10-16.yaml."""
    values = {
        "branch": c.branch, "provider": c.provider, "care_type": c.care_type,
        "grounds": c.grounds, "kind": c.monitoring_kind_ru,
        "staff": "; ".join(f"{s.name} / {s.position}" for s in c.staff), "period": c.period,
        "held": f"с {_d(c.held_from)} по {_d(c.held_to)}",
    }
    return [(i.ru, values[i.key]) for i in _A2.items]


def _colon(label: str) -> str:
    return label if label.endswith(":") else label + ":"


def conclusion_html(c: Conclusion, *, show_iin: bool = False, fragment: bool = False) -> str:
    """A printable page of the conclusion of Прил. 2 (ИИН masked unless ``show_iin``)."""
    a = _A2
    b = f"<p class='ref'>{escape(c.reference)}</p><h1>{escape(c.title)}</h1>"
    b += f"<p class='num'>№ {escape(c.number)} от {_d(c.signed_on)} года</p>"
    for label, value in conclusion_sections(c):
        b += f"<p>{escape(label)} <b>{escape(value)}</b></p>"
    b += f"<p>{escape(a.results.ru)}</p>"
    b += _table(RESULT_HEADERS, result_table(c.results, show_iin),
                f"{a.total.ru} {c.total_defects}")
    b += f"<p class='ref'>{escape(a.star_note.ru)}</p>"
    b += f"<p>{escape(a.clauses.ru)}</p>"
    b += _table(CLAUSE_HEADERS,
                ([str(i), v.clause, v.description] for i, v in enumerate(c.contract_violations, 1)),
                f"{_colon(a.clause_total.ru)} {c.total_clauses}")
    b += f"<p>{escape(a.conclusions.ru)}</p>" + "".join(f"<p>{escape(t)}</p>" for t in c.conclusions)
    if c.follow_up is not None:
        f = c.follow_up
        b += f"<p>{escape(a.follow_up.ru)}</p>"
        b += _table(RESULT_HEADERS, result_table(f.results, show_iin),
                    f"{a.total.ru} {f.total_defects}")
        b += _table(FOLLOWUP_CLAUSE_HEADERS,
                    ([str(i), x.clause, "устранен" if x.remedied else "не устранен"]
                     for i, x in enumerate(f.clauses, 1)),
                    f"{_colon(a.clause_total.ru)} {f.total_clauses}")
        b += f"<p>{escape(a.follow_up_conclusions.ru)}</p>" + "".join(
            f"<p>{escape(t)}</p>" for t in f.conclusions)
    b += f"<p class='ref'>{escape(a.abbreviations.ru)}</p>"
    name = escape(a.sign_name.ru)
    b += (
        f"<table class='sign'><tr><td>{escape(a.sign_fund.ru)}<br>"
        f"{escape(c.fund_specialist)}</td><td>{escape(a.sign_provider.ru)}<br>"
        f"{escape(c.provider_head)}</td></tr><tr><td>{name}</td><td>{name}</td></tr></table>"
    )
    b += error_rows_html(c.error_rows)
    if not show_iin:
        b += IIN_MASKED_NOTE
    return _masked(_page(c.title, b, fragment), show_iin)


def death_items(c: DeathConclusion, show_iin: bool) -> list[tuple[str, list[str]]]:
    experts = [expert_line(e) for e in c.experts]
    subject = [c.subject] + ([f"ИИН пациента: {_iin(c.patient_iin, show_iin)}"] if c.patient_iin else [])
    values = [experts, [c.organization], [c.period], subject, list(c.results),
              list(c.conclusions), list(c.recommendations)]
    return [(f"{i}. {label}", v) for i, (label, v) in enumerate(zip(DEATH_ITEMS, values, strict=True), 1)]


def death_html(c: DeathConclusion, *, show_iin: bool = False, fragment: bool = False) -> str:
    """A printable page of the conclusion of Прил. 5 (п. 74)."""
    b = f"<p class='ref'>{escape(c.reference)}</p><h1>{escape(c.title)}</h1>"
    for label, values in death_items(c, show_iin):
        b += f"<p>{escape(label)}</p>" + "".join(f"<p><b>{escape(v)}</b></p>" for v in values)
    b += (f"<p>{escape(c.signed_by)}</p>"
          f"<p class='ref'>{escape(forms_2022().annex5.sign_name.ru)}</p>"
          f"<p>Дата {_d(c.signed_on)}</p>")
    return _masked(_page(c.title, b, fragment), show_iin)


def _masked(page: str, show_iin: bool) -> str:
    """A page with every ИИН in free text masked (unless show_iin): fields the form knows
    to be ИИН are masked where they are put; this catches one typed into a note."""
    return page if show_iin else mask_iin_text(page)


class SheetWriter:
    """A one-sheet workbook filled row by row, as the printed forms read: a label in column A,
    values and table cells beside it; wrapped text; a Decimal amount stays a number with two
    decimals (exact to the tiyn)."""

    def __init__(self, title: str, *, show_iin: bool = False) -> None:
        #: free text is scanned for ИИН and masked unless show_iin (osms_defects.outputs)
        self.show_iin = show_iin
        self.workbook = Workbook()
        self.sheet = self.workbook.active
        self.sheet.title = title
        self.row = 1
        self._wrap = Alignment(wrap_text=True, vertical="top")

    def put(self, *values: object, bold: bool = False) -> None:
        for j, v in enumerate(values, start=1):
            if isinstance(v, str) and not self.show_iin:
                v = mask_iin_text(v)
            cell = self.sheet.cell(self.row, j, v)
            if isinstance(v, str):
                cell.data_type = "s"  # text from the data is never a formula (issue 18)
            cell.alignment = self._wrap
            if isinstance(v, Decimal):
                cell.number_format = "#,##0.00"
            if bold:
                cell.font = Font(bold=True)
        self.row += 1

    def save(self, path: str | Path, widths: Sequence[int]) -> None:
        """Column widths from A onwards, then write the file."""
        for j, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(j)].width = width
        self.workbook.save(path)


def write_conclusion_xlsx(c: Conclusion | DeathConclusion, path: str | Path, *, show_iin: bool = False) -> None:
    """The conclusion as a one-sheet workbook: labels in column A, values and tables beside."""
    sheet = SheetWriter("annex2" if isinstance(c, Conclusion) else "annex5", show_iin=show_iin)
    put = sheet.put
    put(c.reference)
    put(c.title, bold=True)
    if isinstance(c, DeathConclusion):
        for label, values in death_items(c, show_iin):
            put(label, bold=True)
            for v in values:
                put("", v)
        put("Подпись:", c.signed_by)
        put(forms_2022().annex5.sign_name.ru)
        put("Дата:", _d(c.signed_on))
    else:
        put(f"№ {c.number} от {_d(c.signed_on)} года")
        for label, value in conclusion_sections(c):
            put(label, value)
        put(_A2.results.ru, bold=True)
        put(*RESULT_HEADERS, bold=True)
        for row in result_table(c.results, show_iin):
            put(int(row[0]), *row[1:])
        put(_A2.total.ru, c.total_defects, bold=True)
        put(_A2.clauses.ru, bold=True)
        put(*CLAUSE_HEADERS, bold=True)
        for i, cv in enumerate(c.contract_violations, 1):
            put(i, cv.clause, cv.description)
        put(_A2.clause_total.ru, c.total_clauses, bold=True)
        put(_A2.conclusions.ru, bold=True)
        for t in c.conclusions:
            put("", t)
        if c.follow_up is not None:
            f = c.follow_up
            put(_A2.follow_up.ru, bold=True)
            put(*RESULT_HEADERS, bold=True)
            for row in result_table(f.results, show_iin):
                put(int(row[0]), *row[1:])
            put(_A2.total.ru, f.total_defects, bold=True)
            put(*FOLLOWUP_CLAUSE_HEADERS, bold=True)
            for i, x in enumerate(f.clauses, 1):
                put(i, x.clause, "устранен" if x.remedied else "не устранен")
            put(_A2.clause_total.ru, f.total_clauses, bold=True)
            put(_A2.follow_up_conclusions.ru, bold=True)
            for t in f.conclusions:
                put("", t)
        put(_A2.sign_fund.ru, c.fund_specialist)
        put(_A2.sign_provider.ru, c.provider_head)
        put_error_rows(sheet, c.error_rows)
    sheet.save(path, (40, 40, 16, 14, 50))
