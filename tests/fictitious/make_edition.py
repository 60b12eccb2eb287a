"""Build a FICTITIOUS third edition of the Rules purely from data, for tests and for
docs/editions.md ("Adding an edition"): copies of the shipped data files with one more edition.

The fictitious edition "2027-07-01" is the 2026 edition with, changed on purpose:
* its own dates: in force from 01.07.2027 (the 2026 edition then ends on 30.06.2027);
* a changed factor: Прил. 1, код 5.0 (and so 5.1, which takes the group's amount), column
  «стационар, КЗГ» (inpatient_case_group): 300% → 200%;
* a renamed paragraph: the ground of a deduction «п. 10 Правил в ред. приказа № 999»;
* one term changed: п. 26 potential_defect_objection, five → seven working days;
* a screening threshold changed: long_wait_kdu (код 7.0) 15 → 20 working days;
* a form relabelled and reordered: Прил. 4 (2026-annex4) gets another title and prints the
  conclusions (item 11) before the table of contract violations (item 10) — its own file
  ``forms/2027-07-01/2026-annex4.yaml``; the 2026 edition keeps printing its own.

Nothing here is law. ``python tests/fictitious/make_edition.py DIR`` writes the files to DIR;
``OSMS_DEFECTS_DATA=DIR`` then makes every command and function use them.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).resolve().parents[2] / "data"
NEW = "2027-07-01"
BASE = "2026"
PARAGRAPH = "п. 10 Правил в ред. приказа № 999 (вымышленного)"


def _load(name: str) -> Any:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def _dump(data: Any, path: Path) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def classifier() -> Any:
    clf = _load("classifier.yaml")
    base = next(e for e in clf["editions"] if e["id"] == BASE)
    new = copy.deepcopy(base)
    new["id"] = NEW
    new["aliases"] = ["№ 999"]
    new["order"] = {**base["order"], "number": "№ 999", "date": "2027-06-01"}
    new["in_force"] = {"from": "2027-07-01", "reference": "FICTITIOUS: test data, not law"}
    new["registration"] = {"number": "0", "date": "2027-06-05", "reference": "FICTITIOUS"}
    base["in_force"]["until_edition"] = NEW
    for d in new["defects"]:
        if d["code"].rstrip(".") == "5.0":
            d["cells"]["inpatient_case_group"] = "200%"
    clf["editions"].append(new)
    # its columns are the 2026 edition's, one for one (for classifier --diff)
    clf["correspondences"].append({
        "from": BASE, "to": NEW, "reference": "FICTITIOUS: the same columns",
        "care_types": [
            {"from": c["id"], "to": [c["id"]], "note": "same column"} for c in base["care_types"]
        ],
    })
    return clf


def procedure() -> Any:
    proc = _load("procedure.yaml")
    base = next(e for e in proc["editions"] if e["id"] == BASE)
    new = copy.deepcopy(base)
    new["id"] = NEW
    new["deduction"]["reference"] = PARAGRAPH
    for t in new["terms"]:
        if t["name"] == "potential_defect_objection":
            t["amount"] = 7
    proc["editions"].append(new)
    return proc


def screening() -> Any:
    scr = _load("screening.yaml")
    scr["notes"][NEW] = copy.deepcopy(scr["notes"][BASE])
    for rule in scr["rules"].values():
        eds = rule.get("editions", {})
        if BASE in eds:
            eds[NEW] = copy.deepcopy(eds[BASE])
    scr["rules"]["long_wait_kdu"]["editions"][NEW]["max_workdays"] = 20
    return scr


#: the title of the fictitious edition's Прил. 4 (not law)
FORM_TITLE = "Заключение по мониторингу исполнения условий договора закупа (вымышленная форма)"


def form_annex4() -> Any:
    form = _load("forms/2025-08-01/2026-annex4.yaml")
    form["texts"]["title"]["ru"] = FORM_TITLE
    layout = form["layout"]
    keys = [next(iter(b.values())) for b in layout]
    at_clauses = next(i for i, b in enumerate(layout) if b.get("heading", {}).get("text") == "clauses")
    at_conclusions = next(i for i, k in enumerate(keys) if k == {"text": "conclusions"})
    moved = layout[at_conclusions:at_conclusions + 2]  # the heading and the paragraphs
    del layout[at_conclusions:at_conclusions + 2]
    layout[at_clauses:at_clauses] = moved
    return form


def write(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "forms" / NEW).mkdir(parents=True, exist_ok=True)
    _dump(form_annex4(), directory / "forms" / NEW / "2026-annex4.yaml")
    _dump(classifier(), directory / "classifier.yaml")
    _dump(procedure(), directory / "procedure.yaml")
    _dump(screening(), directory / "screening.yaml")
    return directory


if __name__ == "__main__":  # pragma: no cover
    print(write(Path(sys.argv[1])))
