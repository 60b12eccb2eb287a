"""Extract Annex 1 (the Unified Classifier of Defects) of the 2022 edition from the seed text.

The seed ``shared/seeds/001_98e3829c3dd618e7.txt`` prints the table as one cell per line, each
ending in " |", in two halves (columns 1–7, then "продолжение таблицы" with columns 8–13).
This script reads those lines back into rows, verbatim, and is used by
``tests/test_transcription.py`` to check that ``data/classifier.yaml`` says exactly what the
source prints. It does not write the YAML (the YAML carries hand-written English glosses).

Usage: python tools/transcribe_2022.py [SEED]   (prints the rows as JSON)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "001_98e3829c3dd618e7.txt"
FIRST_HALF_COLUMNS = ("ambulatory_capitation", "ambulatory_service", "inpatient", "emergency")
SECOND_HALF_COLUMNS = (
    "rural",
    "mental_health",
    "tuberculosis",
    "hiv",
    "pathology",
    "blood_services",
)
# Code 11.0 is one merged cell across every column in both halves.
MERGED_TEXT_PREFIX = "Снятие на сумму затрат"


def _cells(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if not line.endswith("|"):
            raise ValueError(f"not a table cell: {line!r}")
        out.append(line[:-1].strip())
    return out


def extract(seed: Path = SEED) -> list[dict[str, object]]:
    """Rows of Annex 1 as printed: row, code, name and the ten cells by care-type id."""
    text = seed.read_text(encoding="utf-8").splitlines()
    start = text.index("Единый классификатор дефектов")
    split = text.index("продолжение таблицы", start)
    end = text.index("Примечание:", split)
    first = _cells(text[start + 1 : split])
    second = _cells(text[split + 1 : end])
    # Skip the header rows: the data begins after the column numbers "1".."7" / "8".."13".
    i = first.index("7") + 1
    rows: list[dict[str, object]] = []
    while i < len(first):
        row, code, name = first[i], first[i + 1], first[i + 2]
        if first[i + 3].startswith(MERGED_TEXT_PREFIX):
            merged = first[i + 3]
            if first[i + 4] != "||":  # "|||" printed: the merged cell's continuation marks
                raise ValueError(f"unexpected layout after merged cell of row {row}")
            cells = dict.fromkeys(FIRST_HALF_COLUMNS, merged)
            i += 5
        else:
            cells = dict(zip(FIRST_HALF_COLUMNS, first[i + 3 : i + 7], strict=True))
            i += 7
        rows.append({"row": row, "code": code, "name": name, "cells": cells})
    j = second.index("13") + 2  # the header line "13 |" is followed by an empty cell "|"
    k = 0
    while j < len(second):
        row = second[j]
        if row != rows[k]["row"]:
            raise ValueError(
                f"second half row {row!r} does not match first half {rows[k]['row']!r}"
            )
        cells_out = rows[k]["cells"]
        assert isinstance(cells_out, dict)
        if second[j + 1].startswith(MERGED_TEXT_PREFIX):
            cells_out.update(dict.fromkeys(SECOND_HALF_COLUMNS, second[j + 1]))
            j += 3
        else:
            cells_out.update(dict(zip(SECOND_HALF_COLUMNS, second[j + 1 : j + 7], strict=True)))
            j += 7
        k += 1
    if k != len(rows):
        raise ValueError(f"second half has {k} rows, first half {len(rows)}")
    return rows


if __name__ == "__main__":
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else SEED
    json.dump(extract(seed), sys.stdout, ensure_ascii=False, indent=1)
