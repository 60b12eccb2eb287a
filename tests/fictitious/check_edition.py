"""Run with OSMS_DEFECTS_DATA pointing at the files of make_edition.py: every path of the
library under the fictitious edition "2027-07-01", each value worked by hand from the changes
make_edition.py makes (see its docstring). Prints OK or raises."""

from __future__ import annotations

import datetime as dt

import polars as pl

import osms_defects as od
from osms_defects import deadlines as dl
from osms_defects.deductions import deduct_frame, penalty_table, record
from osms_defects.screening import REGISTER_COLUMNS, screen

NEW = "2027-07-01"
PARAGRAPH = "п. 10 Правил в ред. приказа № 999 (вымышленного)"
ON = dt.date(2027, 8, 2)  # a Monday; no holiday in August 2027


def main() -> None:
    clf = od.load_classifier()
    # its own dates: 30.06.2027 is still the 2026 edition
    assert clf.edition(on=ON).id == NEW
    assert clf.edition(on=dt.date(2027, 6, 30)).id == "2026"

    # deduct: код 5.1 takes the group's amount; 5.0 in «стационар, КЗГ» now 200%: 2 × 1000.00
    f = od.Finding(code="5.1", care_type="inpatient_case_group", base_amount="1000.00",
                   monitoring_kind="current", detected_on=ON)  # fmt: skip
    d = od.deduct(f)
    assert (d.status.value, str(d.amount), d.edition) == ("deducted", "2000.00", NEW), d
    assert PARAGRAPH in d.reference and "п. 12, 30" not in d.reference
    assert PARAGRAPH in d.explain("ru")
    # the same finding under the 2026 edition (detected before 01.07.2027): 300%
    assert str(od.deduct(f.model_copy(update={"detected_on": dt.date(2027, 6, 30)})).amount) == "3000.00"

    # deduct_frame gives the same row; penalty_table cites the new paragraph
    row = {"code": "5.1", "care_type": "inpatient_case_group", "base_amount": "1000.00",
           "monitoring_kind": "current", "detected_on": ON.isoformat()}  # fmt: skip
    got = deduct_frame(pl.DataFrame([row])).to_dicts()[0]
    want = record(d)
    assert {k: got[k] for k in want if k != "row"} == {k: v for k, v in want.items() if k != "row"}
    t = penalty_table(clf).filter(
        (pl.col("edition") == NEW) & (pl.col("code") == "5.1")
        & (pl.col("care_type") == "inpatient_case_group")
    ).to_dicts()[0]
    assert t["factor"] == "2" and PARAGRAPH in t["ref_current"], t

    # every term of the edition is its own; п. 26 is now seven working days:
    # 03–06 August (1–4), 09–11 August (5–7) → 11.08.2027
    proc = dl.load_procedure()
    ped = proc.edition(NEW)
    assert ped is not None
    for term in ped.terms:
        fn = dl.TERM_FUNCTIONS.get(term.name)
        if fn is not None:
            assert fn(ON).edition == NEW, term.name
    p26 = dl.potential_defect_objection(ON)
    assert (p26.due, p26.term, p26.edition) == (dt.date(2027, 8, 11), 7, NEW), p26
    assert p26.calendar_provisional  # 2027 has no transfer act in the shipped calendar
    tl = dl.timeline(ON)
    assert tl.edition == NEW and tl.steps[0].due == dt.date(2027, 8, 11)

    # screening: a wait of 18 working days — over 15 (2026), not over 20 (the new edition)
    # referral Mon 02.08.2027; 03–06 (4), 09–13 (9), 16–20 (14), 23–26 Aug (18) → 26.08.2027
    recs = [dict.fromkeys(REGISTER_COLUMNS) | {
        "record_id": "S1", "record_type": "service", "patient_id": "P1", "provider_id": "A",
        "care_type": "outpatient", "service_code": "K01", "referred_on": "2027-08-02",
        "service_date": "2027-08-26"}]  # fmt: skip
    reg = pl.DataFrame(recs, schema=dict.fromkeys(REGISTER_COLUMNS, pl.String))
    new = screen(reg, detected_on=dt.date(2027, 9, 1))
    assert new.defects.filter(pl.col("rule") == "long_wait_kdu").height == 0
    old = screen(reg, detected_on=dt.date(2027, 6, 30))
    hit = old.defects.filter(pl.col("rule") == "long_wait_kdu")
    assert hit.height == 1 and hit.get_column("workdays").to_list() == [18]

    # lint and the diff see the edition
    assert isinstance(clf.edition(id=NEW).lint(), list)
    print("OK")


if __name__ == "__main__":
    main()
