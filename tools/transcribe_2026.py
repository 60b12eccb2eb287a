"""Extract Annex 1 of the 2026 edition (order No. 19 of 27.02.2026) from the shared sources.

The sources ``shared/sources/monitoring-rules_2026-02-27.{ru,kk}.txt`` are a secondary copy: the
table «Единый классификатор дефектов и нарушений» is flattened to text lines. The first half
("Столбцы таблицы: …", columns 1–11) prints one line per row::

    <№> <code> <name> — <cell>, <cell>, …            (columns 4–11: 8 cells)

and the second half ("Продолжение таблицы (столбцы 12-19): …")::

    <№> <cell>, <cell>, … — <grade>                   (columns 12–18: 7 cells, then column 19)

Cells are separated by ", " (a decimal comma has no space after it: "0,5 КТ"). Some rows print
fewer cells than columns (rows 17 and 28 of the first half); this script keeps them as printed,
places them from the first column on (reading E3 in docs/readings.md) and reports the columns it
could not fill. Cells such as "1 КТ / 100%" are kept as printed (two readings, reading E4).

The script reads both languages: codes, cells and grades from the Russian text; the Kazakh text
gives the Kazakh names, which must line up row by row (same row numbers, same codes up to a final
dot, the same cell pattern with Kazakh unit letters). ``tests/test_edition_2026_transcription.py``
re-runs it and compares with ``data/classifier.yaml``.

Usage: python tools/transcribe_2026.py [RU_TEXT [KK_TEXT]]   (prints the extraction as JSON)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"
RU = SOURCES / "monitoring-rules_2026-02-27.ru.txt"
KK = SOURCES / "monitoring-rules_2026-02-27.kk.txt"

# The project's ids of the fifteen care-type columns (4–18), in printed order.
FIRST_HALF = (
    "phc_capitation",  # гр. 4
    "specialised_outpatient",  # гр. 5
    "rail_medical_train",  # гр. 6
    "inpatient_case_group",  # гр. 7
    "inpatient_actual_costs",  # гр. 8
    "inpatient_bed_day",  # гр. 9
    "inpatient_average_cost",  # гр. 10
    "inpatient_met_tariff",  # гр. 11
)
SECOND_HALF = (
    "emergency_1_4",  # гр. 12
    "rural",  # гр. 13
    "mental_health",  # гр. 14
    "tuberculosis",  # гр. 15
    "hiv",  # гр. 16
    "pathology",  # гр. 17
    "blood_services",  # гр. 18
)
COLUMNS = {ct: n for n, ct in enumerate(FIRST_HALF + SECOND_HALF, start=4)}

_MARKERS = {
    "ru": {
        "title": "Единый классификатор дефектов и нарушений*",
        "header": "Столбцы таблицы: ",
        "continuation": "Продолжение таблицы (столбцы 12-19): ",
        "note": "Примечание:",
        "first_numbers": "1 2 3 4 5 6 7 8 9 10 11",
        "second_numbers": "1 12 13 14 15 16 17 18 19",
    },
    "kk": {
        "title": "Ақаулар мен бұзушылықтардың* бірыңғай сыныптамасы",
        "header": "Кесте бағандары: ",
        "continuation": "кестенің жалғасы (12-19 бағандар): ",
        "note": "Ескертпе:",
        "first_numbers": "1 2 3 4 5 6 7 8 9 10 11",
        "second_numbers": "1 12 13 14 15 16 17 18 19",
    },
}
_FIRST = re.compile(r"^(\d+) (\d+\.\d*\.?) (.+) — (.*)$")
_SECOND = re.compile(r"^(\d+) (.+) — (.+)$")


def _split_top(text: str) -> list[str]:
    """Split a header on " | " outside square brackets."""
    parts, depth, cur, i = [], 0, "", 0
    while i < len(text):
        ch = text[i]
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if depth == 0 and text.startswith(" | ", i):
            parts.append(cur)
            cur, i = "", i + 3
            continue
        cur += ch
        i += 1
    parts.append(cur)
    return parts


def _columns(header: str) -> list[dict[str, str | None]]:
    """Header segments → [{group, name}], one per printed column, in order."""
    out: list[dict[str, str | None]] = []
    for seg in _split_top(header):
        m = re.match(r"^(.*?) \[(.*)\]$", seg)
        if m:
            out += [{"group": m.group(1), "name": n} for n in m.group(2).split(" | ")]
        else:
            out.append({"group": None, "name": seg})
    return out


def _cells(text: str) -> list[str]:
    return [c.strip() for c in text.split(", ")]


def extract_lang(path: Path, lang: str) -> dict[str, Any]:
    """One language: the column headers and the rows as printed, with their source lines."""
    mk = _MARKERS[lang]
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(mk["title"])
    head_i = next(i for i in range(start, len(lines)) if lines[i].startswith(mk["header"]))
    cont_i = next(i for i in range(head_i, len(lines)) if lines[i].startswith(mk["continuation"]))
    note_i = lines.index(mk["note"], cont_i)
    first_cols = _columns(lines[head_i][len(mk["header"]) :])
    second_cols = _columns(lines[cont_i][len(mk["continuation"]) :])
    if len(first_cols) != 11 or len(second_cols) != 9:
        raise ValueError(
            f"{path}: expected 11 + 9 header columns, got {len(first_cols)} + {len(second_cols)}"
        )
    rows: list[dict[str, Any]] = []
    i = lines.index(mk["first_numbers"], head_i) + 1
    for n in range(i, cont_i):
        line = lines[n]
        if not line.strip():
            continue
        m = _FIRST.match(line)
        if m is None:
            raise ValueError(f"{path}:{n + 1}: not a first-half row: {line!r}")
        cells = _cells(m.group(4))
        rows.append(
            {
                "row": m.group(1),
                "code": m.group(2),
                "name": m.group(3),
                "first": cells,
                "line_first": n + 1,
            }
        )
    j = lines.index(mk["second_numbers"], cont_i) + 1
    k = 0
    for n in range(j, note_i):
        line = lines[n]
        if not line.strip():
            continue
        m = _SECOND.match(line)
        if m is None:
            raise ValueError(f"{path}:{n + 1}: not a second-half row: {line!r}")
        if k >= len(rows) or m.group(1) != rows[k]["row"]:
            raise ValueError(f"{path}:{n + 1}: second-half row {m.group(1)} out of step")
        rows[k].update(second=_cells(m.group(2)), grade=m.group(3), line_second=n + 1)
        k += 1
    if k != len(rows):
        raise ValueError(f"{path}: second half has {k} rows, first half {len(rows)}")
    note = [ln for ln in lines[note_i + 1 : note_i + 8] if ln.strip()]
    return {
        "columns": first_cols[3:] + second_cols[1:],  # gr. 4–11, 12–19
        "rows": rows,
        "note": note[0],
        "lines": {
            "title": start + 1,
            "header": head_i + 1,
            "continuation": cont_i + 1,
            "note": note_i + 1,
        },
    }


def place(printed: list[str], ids: tuple[str, ...]) -> tuple[dict[str, str], list[str]]:
    """Cells placed from the first column on (reading E3); returns (cells, unfilled column ids)."""
    if len(printed) > len(ids):
        raise ValueError(f"{len(printed)} cells for {len(ids)} columns: {printed}")
    return dict(zip(ids, printed, strict=False)), list(ids[len(printed) :])


def extract(ru: Path = RU, kk: Path = KK) -> dict[str, Any]:
    """Both languages lined up: per row the Russian cells and both names."""
    r, k = extract_lang(ru, "ru"), extract_lang(kk, "kk")
    if len(r["rows"]) != len(k["rows"]):
        raise ValueError(f"ru has {len(r['rows'])} rows, kk {len(k['rows'])}")
    rows = []
    for a, b in zip(r["rows"], k["rows"], strict=True):
        if a["row"] != b["row"] or a["code"].rstrip(".") != b["code"].rstrip("."):
            raise ValueError(f"row {a['row']} code {a['code']} vs kk {b['row']} {b['code']}")
        if len(a["first"]) != len(b["first"]) or len(a["second"]) != len(b["second"]):
            raise ValueError(f"row {a['row']}: ru and kk print different numbers of cells")
        first, missing1 = place(a["first"], FIRST_HALF)
        second, missing2 = place(a["second"], SECOND_HALF)
        rows.append(
            {
                "row": a["row"],
                "code": a["code"],
                "code_kk": b["code"],
                "name_ru": a["name"],
                "name_kk": b["name"],
                "cells": {**first, **second},
                "not_printed": missing1 + missing2,
                "short_half": (["first"] if missing1 else []) + (["second"] if missing2 else []),
                "grade_ru": a["grade"],
                "grade_kk": b["grade"],
                "lines": {
                    "ru": [a["line_first"], a["line_second"]],
                    "kk": [b["line_first"], b["line_second"]],
                },
            }
        )
    care_types = [
        {
            "id": ct,
            "column": COLUMNS[ct],
            "group_ru": rc["group"],
            "name_ru": rc["name"],
            "group_kk": kc["group"],
            "name_kk": kc["name"],
        }
        for ct, rc, kc in zip(FIRST_HALF + SECOND_HALF, r["columns"], k["columns"], strict=False)
    ]
    return {
        "care_types": care_types,
        "grade_column": {"ru": r["columns"][-1]["name"], "kk": k["columns"][-1]["name"]},
        "rows": rows,
        "note": {"ru": r["note"], "kk": k["note"]},
        "lines": {"ru": r["lines"], "kk": k["lines"]},
    }


# ---- Rendering the edition for data/classifier.yaml (run once; the YAML is then reviewed) ----
# English glosses: not law, written by hand.
NAME_EN = {
    "1.0": "Unjustified provision of medical care",
    "1.1": "Hospitalisation of a patient without medical indications",
    "1.2": "Unjustified referral to / provision of consultative-diagnostic services",
    "2.0": "Defects in medical records: incorrect / late / poor-quality entry of data into health information systems",
    "3.0": "Unjustified overstatement of the volume of care provided",
    "3.1": "Unjustified increase in the number of treatment and diagnostic services",
    "3.2": "Raising the cost of clinical-diagnostic services by providing dearer services where alternatives exist",
    "3.3": "Raising the cost of the care provided",
    "3.4": "Overstating the cost of a treated case by round-the-clock inpatient care where day-hospital care was indicated",
    "4.0": "Unjustified readmission (within 30 calendar days of the end of inpatient treatment), except palliative care providers",
    "5.0": "Unconfirmed case of care",
    "5.1": "Unconfirmed cases of care, medicines and devices included in the invoice register",
    "5.2": "Attaching a consumer to another primary-care organisation without notice and consent",
    "6.0": "Unjustified deviation of treatment and diagnostics from health-care standards and rules",
    "6.1": "Late and/or improper diagnostics/treatment leading to complications / deterioration / no change",
    "6.2": "Non-compliance with health-care regulations in providing care",
    "6.3": "Late supply of medicines and devices of the list, including outpatient drug provision (АЛО)",
    "6.4": "Unjustified prescription of medicines and medical devices",
    "7.0": "Waiting for services longer than 15 working days",
    "8.0": "Complaints about the quality, volume, accessibility of care",
    "9.0": "Death not payable at the inpatient level / death at the outpatient or emergency level",
    "10.0": "Discrepancy of the clinical diagnosis with the morphological or pathological diagnosis",
    "11.0": "Care not included in the service purchase contract",
    "12.0": "Charging for care covered by ГОБМП/ОСМС",
    "12.1": "Drawing on the patient's medicines or medical devices for care covered by ГОБМП/ОСМС",
    "12.2": "Drawing on the patient's money for care covered by ГОБМП/ОСМС",
    "12.3": "Including paid services in the invoice register",
    "14.0": "Unjustified refusal of hospitalisation at the admission department",
}
CARE_EN = {
    "phc_capitation": ("Primary health care services (multiples of БКПН / ПН)", "KPN", ["PN"]),
    "specialised_outpatient": ("Specialised outpatient care (% of the service's cost)", "COST", []),
    "rail_medical_train": (
        "Services of medical trains on the railway (ПМК на ЖД транспорте; % of the cost per person)",
        "COST",
        [],
    ),
    "inpatient_case_group": (
        "Inpatient / day-hospital / admission department: per treated case by clinical cost group (КЗГ) with the cost-intensity factor (% of the case's cost)",
        "COST",
        [],
    ),
    "inpatient_actual_costs": (
        "Inpatient: per treated case at actual costs (% of the service's and/or medicines' cost)",
        "COST",
        [],
    ),
    "inpatient_bed_day": ("Inpatient: per bed-day (% of the cost of one bed-day)", "COST", []),
    "inpatient_average_cost": (
        "Inpatient: per treated case at the estimated average cost (% of the cost of one case)",
        "COST",
        [],
    ),
    "inpatient_met_tariff": (
        "Inpatient: per treated case at medico-economic tariffs (% of the cost of one case)",
        "COST",
        [],
    ),
    "emergency_1_4": (
        "Emergency care, call categories 1–4 (multiples of the emergency per-capita norm ПН per person per month)",
        "PN",
        [],
    ),
    "rural": (
        "Care for the rural population (multiples of БКПН per rural resident per month)",
        "KPN",
        [],
    ),
    "mental_health": (
        "Medico-social care: mental and behavioural disorders (multiples of the complex tariff КТ)",
        "KT",
        [],
    ),
    "tuberculosis": ("Medico-social care: tuberculosis (multiples of КТ)", "KT", []),
    "hiv": (
        "Medico-social care: HIV infection (multiples of КТ / % of the service's cost)",
        "KT",
        ["COST"],
    ),
    "pathology": ("Pathological-anatomical diagnostics (% of the service's cost)", "COST", []),
    "blood_services": (
        "Procurement, processing, storage and sale of blood and its components, production of blood preparations (% of the service's cost)",
        "COST",
        [],
    ),
}
GRADES = {"значительные нарушения": "significant", "не значительные нарушения": "minor"}


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def doubts(row: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The doubtful cells of a row, derived from what the copy prints (not chosen by hand)."""
    out: dict[str, dict[str, str]] = {}
    for half, ids in (("first", FIRST_HALF), ("second", SECOND_HALF)):
        if half not in row["short_half"]:
            continue
        n = sum(1 for ct in ids if ct in row["cells"])
        for ct in ids:
            if ct in row["cells"]:
                out[ct] = {
                    "kind": "short_row",
                    "reason": f"the copy prints {n} cells for {len(ids)} columns (columns "
                    f"{COLUMNS[ids[0]]}–{COLUMNS[ids[-1]]}); placed from column {COLUMNS[ids[0]]} on, "
                    "which columns the missing cells belong to is unknown",
                    "reading": "E3",
                }
            else:
                out[ct] = {
                    "kind": "not_printed",
                    "reason": f"the copy prints {n} cells for {len(ids)} columns; placed from "
                    f"column {COLUMNS[ids[0]]} on, column {COLUMNS[ct]} has no cell",
                    "reading": "E3",
                }
    for ct, cell in row["cells"].items():
        if " / " in cell:
            out[ct] = {
                "kind": "two_readings",
                "reason": f"the cell prints {cell!r}: two amounts in the two units of the column's "
                "header «(КТ) / от стоимости услуги»; which applies is not said",
                "reading": "E4",
            }
    return out


def render_yaml(data: dict[str, Any] | None = None) -> str:
    """The ``care_types:`` and ``defects:`` blocks of the 2026 edition, 4-space indented."""
    data = data or extract()
    out = ["    care_types:"]
    for ct in data["care_types"]:
        en, unit, other = CARE_EN[ct["id"]]
        out += [f"      - id: {ct['id']}", f"        column: {ct['column']}"]
        if ct["group_ru"]:
            out.append(f"        group_ru: {_q(ct['group_ru'])}")
        out += [
            f"        name_ru: {_q(ct['name_ru'])}",
            f"        name_en: {_q(en)}",
            f"        unit: {unit}",
        ]
        if other:
            out.append(f"        other_units: [{', '.join(other)}]")
        if ct["group_kk"]:
            out.append(f"        group_kk: {_q(ct['group_kk'])}")
        out.append(f"        name_kk: {_q(ct['name_kk'])}")
    out.append("    defects:")
    for r in data["rows"]:
        code = r["code"].rstrip(".")
        out += [
            f"      - row: {_q(r['row'])}",
            f"        code: {_q(r['code'])}",
            f"        name_ru: {_q(r['name_ru'])}",
            f"        name_en: {_q(NAME_EN[code])}",
            f"        name_kk: {_q(r['name_kk'])}",
            f"        grade: {GRADES[r['grade_ru']]}",
            f"        grade_ru: {_q(r['grade_ru'])}",
            f"        grade_kk: {_q(r['grade_kk'])}",
            f"        reference: {_q('ru.txt:' + ', '.join(map(str, r['lines']['ru'])) + '; kk.txt:' + ', '.join(map(str, r['lines']['kk'])))}",
            "        cells:",
        ]
        out += [f"          {ct}: {_q(v)}" for ct, v in r["cells"].items()]
        d = doubts(r)
        if d:
            out.append("        doubtful:")
            for ct, note in d.items():
                out.append(
                    f"          {ct}: {{kind: {note['kind']}, reading: {note['reading']}, reason: {_q(note['reason'])}}}"
                )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--yaml"]:
        sys.stdout.write(render_yaml())
    else:
        args = [Path(a) for a in sys.argv[1:]]
        json.dump(extract(*args), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
