"""Extract Annex 1 of the edition of order No. 68 of 18.07.2025 from the shared sources.

The source ``shared/sources/order-68_2025-07-18.ru.txt`` is a secondary copy (Russian only; no
Kazakh text of this edition is available) with the same flattened table as the 2026 text read by
``tools/transcribe_2026.py``: a first half (columns 1–11, one line per row) and a second half
«Продолжение таблицы (столбцы 12-19)». Two differences:

* the first half prints 29 rows: the 28 codes of the 2026 table plus row 4, code 1.3
  «Отсутствие документов разрешительного порядка при оказании медицинской помощи»;
* the second half prints only 28 numbered rows, and the copyist put two notes of their own
  inside it (lines starting «Примечание к сквозной нумерации» and «(Примечание: вторая часть
  таблицы…»). They are not law: this script skips them and reports their lines. The block after
  the final ``---`` is the copyist's commentary too and is never read.

Which code each second-half row belongs to is therefore not printed. The script derives it by
comparing the printed rows with the second half of the 2026 table (``difflib`` on the rows'
texts, cells and grade): rows 1–3 agree with the 2026 rows 1–3; row 4 has no 2026 counterpart
(code 1.3); rows 5–9 are the 2026 rows 4–8 (codes 2.0–3.3); the 2026 row 9 (code 3.4, «-, 10
КПН, -, -, -, -, -») is not printed; rows 10–28 are the 2026 rows 10–28 (codes 4.0–14.0).
That is reading E17 (docs/readings.md); the other reading — the printed row numbers taken as
the first half's (row n = code of first-half row n, code 14.0 without cells) — is given for each
cell in its doubt. A second-half cell is certain only where both readings give the same code and
the cell agrees with the 2026 table for that code (rows 1–3); every other printed cell of
columns 12–19 is marked doubtful (kind ``row_alignment``, reading E17), and code 3.4 has no
cells there (kind ``not_printed``). The first half is compared with the 2026 table cell by cell:
every cell of the 28 shared codes agrees (high confidence); code 1.3 has nothing to agree with.

``tests/test_edition_2025_transcription.py`` re-runs it and compares with data/classifier.yaml.

Usage: python tools/transcribe_68.py [--yaml | --check]   (JSON extraction, the YAML block, or
the cell-by-cell comparison with the 2026 table)
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from transcribe_2026 import (
    CARE_EN,
    COLUMNS,
    FIRST_HALF,
    GRADES,
    NAME_EN,
    SECOND_HALF,
    _cells,
    _columns,
    _q,
    place,
)
from transcribe_2026 import extract_lang as extract_2026

SOURCES = Path(__file__).resolve().parents[2] / "shared" / "sources"
RU = SOURCES / "order-68_2025-07-18.ru.txt"
RU_2026 = SOURCES / "monitoring-rules_2026-02-27.ru.txt"
READING = "E17"

TITLE = "Единый классификатор дефектов и нарушений*"
HEADER = "Столбцы таблицы: "
CONTINUATION = "Продолжение таблицы (столбцы 12-19): "
NOTE = "Примечание:"
COPYIST = ("Примечание к сквозной нумерации", "(Примечание: вторая часть таблицы")
_FIRST = re.compile(r"^(\d+) (\d+\.\d*\.?) (.+) — (.*)$")
_SECOND = re.compile(r"^(\d+) (.+) — (.+)$")

NAME_EN_68 = {
    **NAME_EN,
    "1.3": "No permit documents (licence) for the medical care provided",
}


def extract_raw(path: Path = RU) -> dict[str, Any]:
    """The two halves as printed: first-half rows, second-half rows, the copyist's lines."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = max(i for i, ln in enumerate(lines) if ln.strip() == "---")  # copyist's block after
    start = lines.index(TITLE)
    head_i = next(i for i in range(start, end) if lines[i].startswith(HEADER))
    cont_i = next(i for i in range(head_i, end) if lines[i].startswith(CONTINUATION))
    note_i = lines.index(NOTE, cont_i)
    first_cols = _columns(lines[head_i][len(HEADER) :])
    second_cols = _columns(lines[cont_i][len(CONTINUATION) :])
    if len(first_cols) != 11 or len(second_cols) != 9:
        raise ValueError(f"{path}: expected 11 + 9 header columns")
    first: list[dict[str, Any]] = []
    for n in range(lines.index("1 2 3 4 5 6 7 8 9 10 11", head_i) + 1, cont_i):
        line = lines[n]
        if not line.strip():
            continue
        m = _FIRST.match(line)
        if m is None:
            raise ValueError(f"{path}:{n + 1}: not a first-half row: {line!r}")
        first.append(
            {"row": m.group(1), "code": m.group(2), "name": m.group(3),
             "cells": _cells(m.group(4)), "line": n + 1}
        )  # fmt: skip
    second: list[dict[str, Any]] = []
    copyist: list[int] = []
    for n in range(cont_i + 1, note_i):
        line = lines[n]
        if not line.strip() or line == "1 12 13 14 15 16 17 18 19":
            continue
        if line.startswith(COPYIST):
            copyist.append(n + 1)
            continue
        m = _SECOND.match(line)
        if m is None:
            raise ValueError(f"{path}:{n + 1}: not a second-half row: {line!r}")
        second.append(
            {"row": m.group(1), "cells": _cells(m.group(2)), "grade": m.group(3), "line": n + 1}
        )
    return {
        "columns": first_cols[3:] + second_cols[1:],
        "first": first,
        "second": second,
        "copyist_lines": copyist,
        "note_line": note_i + 1,
        "lines": {"title": start + 1, "header": head_i + 1, "continuation": cont_i + 1},
    }


def align(raw: dict[str, Any], ref: dict[str, Any]) -> dict[str, int | None]:
    """Reading E17: code → index of its printed second-half row (None: not printed).

    The printed rows are matched with the 2026 second half (cells and grade) by
    ``difflib``; an unmatched printed row belongs to the code the 2026 table lacks."""
    ours = [", ".join(r["cells"]) + " — " + r["grade"] for r in raw["second"]]
    theirs = [", ".join(r["second"]) + " — " + r["grade"] for r in ref["rows"]]
    codes_26 = [r["code"].rstrip(".") for r in ref["rows"]]
    codes_68 = [r["code"].rstrip(".") for r in raw["first"]]
    new_codes = [c for c in codes_68 if c not in codes_26]
    out: dict[str, int | None] = {c: None for c in codes_68}
    sm = difflib.SequenceMatcher(a=ours, b=theirs, autojunk=False)
    for tag, i1, i2, j1, _j2 in sm.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                out[codes_26[j1 + k]] = i1 + k
        elif tag in ("delete", "replace"):  # printed rows with no 2026 counterpart
            if tag == "replace" or len(new_codes) < i2 - i1:
                raise ValueError(f"printed rows {i1 + 1}–{i2} match no 2026 row and no new code")
            for k in range(i2 - i1):
                out[new_codes.pop(0)] = i1 + k
    return out


def extract(path: Path = RU, ref_path: Path = RU_2026) -> dict[str, Any]:
    """The edition of order No. 68, per code: the cells (reading E17) and their doubts."""
    raw = extract_raw(path)
    ref = extract_2026(ref_path, "ru")
    ref_rows = {r["code"].rstrip("."): r for r in ref["rows"]}
    alignment = align(raw, ref)
    second = raw["second"]
    rows = []
    for i, r in enumerate(raw["first"]):
        code = r["code"].rstrip(".")
        first_cells, missing1 = place(r["cells"], FIRST_HALF)
        k = alignment[code]
        s = second[k] if k is not None else None
        cells = dict(first_cells)
        missing2: list[str] = list(SECOND_HALF)
        if s is not None:
            second_cells, missing2 = place(s["cells"], SECOND_HALF)
            cells.update(second_cells)
        # the other reading: the printed row numbers are the first half's
        by_number = next((x for x in second if x["row"] == r["row"]), None)
        r26 = ref_rows.get(code)
        agree_first = None if r26 is None else r26["first"] == r["cells"]
        certain = (
            s is not None and by_number is s and r26 is not None
            and r26["second"] == s["cells"] and r26["grade"] == s["grade"]
        )  # fmt: skip
        rows.append(
            {
                "row": r["row"],
                "code": r["code"],
                "name_ru": r["name"],
                "cells": cells,
                "grade_ru": s["grade"] if s else None,
                "not_printed": missing1 + missing2,
                "short_first": bool(missing1),
                "second_row": s["row"] if s else None,
                "second": s,
                "second_by_number": by_number,
                "second_certain": certain,
                "agrees_with_2026_first": agree_first,
                "lines": [r["line"]] + ([s["line"]] if s else []),
                "index": i,
            }
        )
    care_types = [
        {"id": ct, "column": COLUMNS[ct], "group_ru": c["group"], "name_ru": c["name"]}
        for ct, c in zip(FIRST_HALF + SECOND_HALF, raw["columns"], strict=False)
    ]
    return {
        "care_types": care_types,
        "grade_column": raw["columns"][-1]["name"],
        "rows": rows,
        "copyist_lines": raw["copyist_lines"],
        "lines": raw["lines"],
        "printed_second_rows": len(second),
    }


def doubts(row: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The doubtful cells of a row, derived from the comparison (not chosen by hand)."""
    out: dict[str, dict[str, str]] = {}
    if row["short_first"]:
        n = sum(1 for ct in FIRST_HALF if ct in row["cells"])
        for ct in FIRST_HALF:
            if ct in row["cells"]:
                out[ct] = {"kind": "short_row", "reading": "E3", "reason":
                           f"the copy prints {n} cells for 8 columns (columns 4–11); placed from "
                           "column 4 on, which columns the missing cells belong to is unknown"}
            else:
                out[ct] = {"kind": "not_printed", "reading": "E3", "reason":
                           f"the copy prints {n} cells for 8 columns; placed from column 4 on, "
                           f"column {COLUMNS[ct]} has no cell"}  # fmt: skip
    for ct in FIRST_HALF:
        cell = row["cells"].get(ct, "")
        if " / " in cell:
            out[ct] = _two(cell)
    if row["second_row"] is None:
        for ct in SECOND_HALF:
            out[ct] = {"kind": "not_printed", "reading": READING, "reason":
                       "the second half (columns 12–19) prints 28 rows for 29 codes; matched with "
                       "the 2026 table, no printed row is this code's (the 2026 row of code "
                       f"{row['code'].rstrip('.')} is absent from the copy), so columns 12–19 "
                       "have no cell"}  # fmt: skip
        return out
    other = row["second_by_number"]
    for ct in SECOND_HALF:
        cell = row["cells"][ct]
        if row["second_certain"]:
            if " / " in cell:
                out[ct] = _two(cell)
            continue
        if other is row_second(row):
            out[ct] = {"kind": "row_alignment", "reading": READING, "reason":
                       "the second half (columns 12–19) prints 28 rows for 29 codes; printed row "
                       f"{row['second_row']} is this code's by its number and by the comparison "
                       "with the 2026 table, but the code is not in the 2026 table, so the cell "
                       "cannot be checked against it (the copyist's note beside it is not law)"
                       + ("; the cell also prints two amounts (reading E4: pass accept_reading "
                          "too)" if " / " in cell else "")}  # fmt: skip
            continue
        alt = (
            f"by the printed row numbers (row {row['row']}) it would be "
            f"{other['cells'][SECOND_HALF.index(ct)]!r}"
            if other is not None
            else f"by the printed row numbers row {row['row']} has no second half"
        )
        extra = (
            "; the cell also prints two amounts (reading E4: pass accept_reading too)"
            if " / " in cell
            else ""
        )
        out[ct] = {"kind": "row_alignment", "reading": READING, "reason":
                   "the second half (columns 12–19) prints 28 rows for 29 codes, out of step "
                   f"from row 10 (the 2026 row of code 3.4 is not printed); the data takes printed row {row['second_row']} for this code "
                   f"(matched with the 2026 table, reading {READING}); {alt}{extra}"}  # fmt: skip
    return out


def row_second(row: dict[str, Any]) -> dict[str, Any] | None:
    """The printed second-half row the data takes for a row (reading E17), or None."""
    return row["second"]


def _two(cell: str) -> dict[str, str]:
    return {"kind": "two_readings", "reading": "E4", "reason":
            f"the cell prints {cell!r}: two amounts in the two units of the column's header "
            "«(КТ) / от стоимости услуги»; which applies is not said"}  # fmt: skip


def compare(data: dict[str, Any] | None = None) -> list[str]:
    """The cell-by-cell comparison with the 2026 table, one line per code."""
    data = data or extract()
    ref = {r["code"].rstrip("."): r for r in extract_2026(RU_2026, "ru")["rows"]}
    out = []
    for r in data["rows"]:
        code = r["code"].rstrip(".")
        if code not in ref:
            out.append(f"{code}: not in the 2026 table (no cell to agree with)")
            continue
        r26 = ref[code]
        first, _ = place(r26["first"], FIRST_HALF)
        second, _ = place(r26["second"], SECOND_HALF)
        both = {**first, **second}
        diff = [ct for ct in both if r["cells"].get(ct) != both[ct]]
        state = "certain" if r["second_certain"] else "row alignment doubtful (E17)"
        out.append(
            f"{code}: columns 4–11 {'agree' if r['agrees_with_2026_first'] else 'DIFFER'}; "
            f"columns 12–19: {state}; cells differing from 2026: {', '.join(diff) or 'none'}"
        )
    return out


def render_yaml(data: dict[str, Any] | None = None) -> str:
    """The ``care_types:`` and ``defects:`` blocks of the edition, 4-space indented."""
    data = data or extract()
    out = ["    care_types:"]
    for ct in data["care_types"]:
        en, unit, other = CARE_EN[ct["id"]]
        out += [f"      - id: {ct['id']}", f"        column: {ct['column']}"]
        if ct["group_ru"]:
            out.append(f"        group_ru: {_q(ct['group_ru'])}")
        out += [f"        name_ru: {_q(ct['name_ru'])}", f"        name_en: {_q(en)}",
                f"        unit: {unit}"]  # fmt: skip
        if other:
            out.append(f"        other_units: [{', '.join(other)}]")
    out.append("    defects:")
    for r in data["rows"]:
        code = r["code"].rstrip(".")
        out += [
            f"      - row: {_q(r['row'])}",
            f"        code: {_q(r['code'])}",
            f"        name_ru: {_q(r['name_ru'])}",
            f"        name_en: {_q(NAME_EN_68[code])}",
        ]
        if r["grade_ru"] is not None:
            out += [f"        grade: {GRADES[r['grade_ru']]}",
                    f"        grade_ru: {_q(r['grade_ru'])}"]  # fmt: skip
        out += [
            f"        reference: {_q('order-68.ru.txt:' + ', '.join(map(str, r['lines'])))}",
            "        cells:",
        ]
        out += [f"          {ct}: {_q(v)}" for ct, v in r["cells"].items()]
        d = doubts(r)
        if d:
            out.append("        doubtful:")
            for ct, note in d.items():
                out.append(
                    f"          {ct}: {{kind: {note['kind']}, reading: {note['reading']}, "
                    f"reason: {_q(note['reason'])}}}"
                )
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--yaml"]:
        sys.stdout.write(render_yaml())
    elif sys.argv[1:2] == ["--check"]:
        sys.stdout.write("\n".join(compare()) + "\n")
    else:
        json.dump(extract(), sys.stdout, ensure_ascii=False, indent=1, default=str)
        sys.stdout.write("\n")
