"""Exports of a classifier edition: the stable JSON shape for other fund systems, YAML, a table.

The JSON shape (``format: osms-defects/classifier-edition``, ``version: 1``) is documented in
``docs/classifier.md`` and only grows by new keys; every factor is a decimal *string* so that
no consumer reads money through a binary float.
"""

from __future__ import annotations

import html
import json
from typing import Any

import yaml

from ..errors import (
    DoubtfulCellError,
    GroupCodeNotAssignableError,
    NotApplicableError,
    OsmsDefectsError,
    PenaltyUndefinedError,
    ReadingRequiredError,
)
from .model import Classifier, Edition

JSON_FORMAT = "osms-defects/classifier-edition"
JSON_VERSION = 1

# Status of a (code, care type) pair in the resolved export.
_STATUS_OF: dict[type[OsmsDefectsError], str] = {
    NotApplicableError: "not_applicable",
    PenaltyUndefinedError: "penalty_undefined",
    GroupCodeNotAssignableError: "group_not_assignable",
    DoubtfulCellError: "doubtful",
    ReadingRequiredError: "reading_required",
}


def edition_record(ed: Edition) -> dict[str, Any]:
    return {
        "id": ed.id,
        "title_ru": ed.title_ru,
        "title_en": ed.title_en,
        "order": ed.order.model_dump(mode="json"),
        "registration": ed.registration.model_dump(mode="json"),
        "in_force": _in_force(ed),
        "source": ed.source if isinstance(ed.source, str) else str(ed.source),
        **_edition_extras(ed),
    }


def _in_force(ed: Edition) -> dict[str, Any]:
    # The unverified-start keys appear only when the start is unverified (the shape only grows).
    extra = ("effective_from_verified", "effective_from_earliest", "effective_from_latest")
    data = ed.in_force.model_dump(mode="json", by_alias=True)
    if data.get("until_edition") is None:
        data.pop("until_edition", None)
    if ed.in_force.effective_from_verified:
        data = {k: v for k, v in data.items() if k not in extra}
    return data


def _edition_extras(ed: Edition) -> dict[str, Any]:
    """Keys of editions that have them (2026): source details, confidence, notes, doubts."""
    out: dict[str, Any] = {}
    if not isinstance(ed.source, str):
        out["source_detail"] = ed.source.model_dump(mode="json")
    if ed.transcription_confidence is not None:
        out["transcription_confidence"] = ed.transcription_confidence
        out["transcription_note"] = ed.transcription_note
    if ed.footnotes:
        out["footnotes"] = [f.model_dump(mode="json") for f in ed.footnotes]
    return out


def to_resolved_dict(ed: Edition) -> dict[str, Any]:
    """Every code × care type with its effective basis and factor (or why there is none)."""
    penalties: dict[tuple[str, str], dict[str, Any]] = {}
    for code, ct, result in ed.penalties():
        if isinstance(result, OsmsDefectsError):
            penalties[code, ct] = {"status": _STATUS_OF[type(result)], "message": str(result)}
        else:
            penalties[code, ct] = {
                "status": "penalty",
                "basis": result.basis.value,
                "factor": str(result.factor),
                "printed": result.printed,
                "amount_code": result.amount_code,
                "reference": result.reference,
            }
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "edition": edition_record(ed),
        "care_types": [c.model_dump(mode="json") for c in ed.care_types],
        "defects": [
            {
                "row": d.row,
                "code": d.id,
                "code_printed": d.code,
                "group": d.group,
                "name_ru": d.name_ru,
                "name_en": d.name_en,
                "cells": {c.id: d.cells.get(c.id) for c in ed.care_types},
                "penalties": {c.id: penalties[d.id, c.id] for c in ed.care_types},
            }
            for d in ed.defects
        ],
    }


def to_json(ed: Edition) -> str:
    return json.dumps(to_resolved_dict(ed), ensure_ascii=False, indent=2) + "\n"


def to_yaml(ed: Edition) -> str:
    """The edition in the classifier file's own schema (a file loadable by load_classifier)."""
    data = Classifier(schema_version=1, editions=[ed]).model_dump(mode="json", by_alias=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the classifier YAML file, from the pydantic models."""
    schema = Classifier.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "osms-defects classifier file (data/classifier.yaml)"
    return schema


def _amount_text(ed: Edition, code: str, ct: str) -> str:
    """The printed cell that carries the amount of ``code`` in ``ct`` ("+" → its group's)."""
    d = ed.row(code)
    printed = d.cells.get(ct)
    if printed is not None and printed.strip() == "+" and d.group is not None:
        printed = ed.row(d.group).cells.get(ct)
    return "∅" if printed is None else printed


def to_table(ed: Edition, *, resolved: bool = True, lang: str = "ru") -> str:
    """A plain-text table: one line per code, one column per care type.

    With ``resolved`` each cell shows the effective penalty ("300%" for a "+" under a group of
    300 %), "-" where the code does not apply, "?" where Annex 1 leaves the amount undefined,
    "grp" for a group with sub-codes, "0" for recorded-only and "расх." for code 11.0. Edition
    2026: "~x" a doubtful cell (accept it explicitly), "x|y" a cell with two readings (choose
    one), "∅" a column the source copy does not print. ``lang`` (ru, kk, en) picks the labels.
    """
    head, header, lines, legend = table_parts(ed, resolved=resolved, lang=lang)
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    for r in lines:
        out.append("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)).rstrip())
    return head + "\n".join(out) + "\n" + (legend + "\n" if legend else "")


def table_parts(
    ed: Edition, *, resolved: bool = True, lang: str = "ru"
) -> tuple[str, list[str], list[list[str]], str]:
    """The parts of :func:`to_table`: the heading (title, period, columns), the header, one row
    per code and the legend ("" when not ``resolved``); the terminal view draws them too."""
    cols = [c.id for c in ed.care_types]
    graded = any(d.grade is not None for d in ed.defects)
    header = [
        "№",
        "code",
        *[f"{c.column}:{c.id}" for c in ed.care_types],
        *(["grade"] if graded else []),
        "name",
    ]
    lines: list[list[str]] = []
    resolved_cells = {(code, ct): r for code, ct, r in ed.penalties()} if resolved else {}
    for d in ed.defects:
        cells = []
        for ct in cols:
            if not resolved:
                text = d.cells.get(ct, "∅")
            else:
                res = resolved_cells[d.id, ct]
                own = d.cells.get(ct, "∅")
                if isinstance(res, GroupCodeNotAssignableError):
                    text = f"[{own}]" if own != "-" else "-"
                elif isinstance(res, DoubtfulCellError):
                    text = "∅" if own == "∅" else "~" + _amount_text(ed, d.id, ct)
                elif isinstance(res, ReadingRequiredError):
                    text = _amount_text(ed, d.id, ct).replace(" / ", "|").replace("/", "|")
                elif isinstance(res, OsmsDefectsError):
                    text = "-" if isinstance(res, NotApplicableError) else "?"
                elif res.basis.value == "PATIENT_EXPENSES":
                    text = "расх."
                else:
                    text = res.printed
            cells.append(text if len(text) < 20 else text[:17] + "...")
        label = d.label(lang)
        name = label if len(label) <= 60 else label[:57] + "..."
        grade = [d.grade or ""] if graded else []
        lines.append([d.row, d.id, *cells, *grade, name])
    legend = (
        "Legend: effective penalty per code and care type (Прил. 1, Примечание); "
        "[x] group row with sub-codes (assign a sub-code); ? '+' whose group has no amount; "
        "расх. patient's documented expenses (code 11.0)."
    )
    marked = any(d.doubtful for d in ed.defects) or any(
        "/" in v for d in ed.defects for v in d.cells.values()
    )
    if resolved and marked:
        legend += (
            " ~x doubtful cell (accept_doubtful / accept_reading); x|y two readings "
            "(accept_reading=basis); ∅ not printed in the source copy."
        )
    columns = "\n".join(f"  {c.column}:{c.id} = {c.label(lang)}" for c in ed.care_types)
    head = (
        f"{ed.label(lang)}\nIn force {ed.in_force.describe()}; edition id {ed.id}\n"
        f"Columns:\n{columns}\n"
    )
    return head, header, lines, (legend if resolved else "")


def to_html(ed: Edition) -> str:
    """An HTML table of the effective penalties (for notebooks)."""
    esc = html.escape
    resolved = {(code, ct): r for code, ct, r in ed.penalties()}
    head = "".join(
        f"<th title='{esc(c.name_ru)}'>{c.column}<br>{esc(c.id)}</th>" for c in ed.care_types
    )
    rows = []
    for d in ed.defects:
        cells = []
        for c in ed.care_types:
            r = resolved[d.id, c.id]
            if isinstance(r, GroupCodeNotAssignableError):
                own = d.cells.get(c.id, "∅")
                text = f"<i>{esc(own)}</i>" if own != "-" else "-"
            elif isinstance(r, OsmsDefectsError):
                text = "-" if isinstance(r, NotApplicableError) else "<b>?</b>"
            elif r.basis.value == "PATIENT_EXPENSES":
                text = "расходы пациента"
            else:
                text = esc(r.printed)
            cells.append(f"<td>{text}</td>")
        rows.append(
            f"<tr><td>{esc(d.row)}</td><td>{esc(d.id)}</td>{''.join(cells)}<td>{esc(d.name_ru)}</td></tr>"
        )
    return (
        f"<p><b>{esc(ed.title_ru)}</b><br>in force {esc(ed.in_force.describe())}</p>"
        f"<table><thead><tr><th>№</th><th>code</th>{head}<th>name</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        "<p><i>italic</i>: group amount (assign a sub-code); <b>?</b>: '+' whose group has no amount.</p>"
    )
