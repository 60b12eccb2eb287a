"""Deadlines as a property of the edition of the Rules (issue 7): hand-worked 2026 terms, the
error for a term an edition does not have, the gap error, the edition override.

Expected dates are counted by hand on the Kazakhstan calendar of 2026. Days off used (Labour
Code art. 84–85 and the 2026 transfers, data/calendar_kz.yaml): Mon 9 March (8 March fell on a
Sunday), Mon 23 – Wed 25 March (Nauryz), Fri 1 May, Thu 7 May (Defender of the Fatherland
Day), Mon 11 May (9 May fell on a Saturday), Wed 27 May (Kurban Ait), Mon 6 July (Capital Day),
Mon 26 October (Republic Day 25 October fell on a Sunday), Wed 16 December (Independence Day).
The 2026 edition is in force from 2026-03-14 (data/classifier.yaml, unverified start).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osms_defects import deadlines as dl
from osms_defects.calendar import kazakhstan
from osms_defects.errors import (
    EditionGapError,
    NoEditionError,
    TermNotInEditionError,
    UnknownDeadlineError,
)

D = dt.date


# --- hand-worked 2026 terms -----------------------------------------------------------------


def test_potential_defect_objection_over_nauryz() -> None:
    # п. 26: detected Fri 20 March 2026; 23–25 March off: 26, 27, 30, 31 March, 1 April.
    d = dl.potential_defect_objection(D(2026, 3, 20))
    assert d.due == D(2026, 4, 1)
    assert d.edition == "2026" and d.reference == "п. 26 Правил"
    assert d.citation == "п. 26 Правил (ред. 2026)"
    assert d.unit is dl.TermUnit.WORKING_DAYS and d.term == 5


def test_potential_objection_review_runs_from_detection() -> None:
    # п. 30: «в течение пяти рабочих дней, после дня их выявления» — counted from the day of
    # detection, as printed (reading E8): the same 1 April 2026 as the objection's term.
    d = dl.potential_objection_review(D(2026, 3, 20))
    assert d.due == D(2026, 4, 1) and d.reference == "п. 30 Правил"


def test_repeat_objection_over_1_may() -> None:
    # п. 32: confirmation received Wed 29 April 2026: Thu 30 April, (Fri 1 May off), Mon 4,
    # Tue 5 May.
    assert dl.repeat_objection(D(2026, 4, 29)).due == D(2026, 5, 5)


def test_repeat_objection_review_over_7_and_11_may() -> None:
    # п. 34: sent Tue 5 May 2026: Wed 6, (Thu 7 off), Fri 8, (Mon 11 off), Tue 12 May.
    d = dl.repeat_objection_review(D(2026, 5, 5))
    assert d.due == D(2026, 5, 12) and d.reference == "п. 34 Правил"


def test_central_review_over_kurban_ait() -> None:
    # п. 37: sent Mon 25 May 2026: Tue 26, (Wed 27 Kurban Ait), Thu 28, Fri 29 May.
    assert dl.central_review(D(2026, 5, 25)).due == D(2026, 5, 29)


def test_death_case_sequence() -> None:
    # п. 44: the decision reached the provider Wed 1 July 2026: Thu 2, Fri 3, (Mon 6 Capital
    # Day), Tue 7, Wed 8, Thu 9 July.
    obj = dl.death_case_objection(D(2026, 7, 1))
    assert obj.due == D(2026, 7, 9) and obj.reference == "п. 44 Правил" and obj.term == 5
    # п. 45: objection sent Thu 9 July: Fri 10, Mon 13, Tue 14 July.
    assert dl.death_case_objection_review(D(2026, 7, 9)).due == D(2026, 7, 14)
    # п. 46: confirmation received Fri 23 October: (Mon 26 off), Tue 27, Wed 28, Thu 29.
    assert dl.death_case_repeat_objection(D(2026, 10, 23)).due == D(2026, 10, 29)
    # п. 47: sent to the central office Thu 29 October: Fri 30, Mon 2, Tue 3 November.
    c = dl.death_case_central_review(D(2026, 10, 29))
    assert c.due == D(2026, 11, 3) and c.reference == "п. 47 Правил"


def test_conclusion_terms_of_chapter_3() -> None:
    # п. 55: signed Tue 15 December 2026: (Wed 16 off), Thu 17, Fri 18 December.
    d = dl.conclusion_delivery(D(2026, 12, 15))
    assert d.due == D(2026, 12, 18) and d.reference == "п. 55 Правил" and d.edition == "2026"
    # п. 56, 57: objections within 3 working days after signing on Fri 20 March 2026:
    # (23–25 off) 26, 27, 30 March.
    o = dl.conclusion_objection(D(2026, 3, 20))
    assert o.due == D(2026, 3, 30) and o.reference == "п. 56, 57 Правил"
    # п. 58: objections received Mon 30 March: 31 March, 1, 2 April.
    r = dl.objection_review(D(2026, 3, 30))
    assert r.due == D(2026, 4, 2) and r.reference == "п. 58 Правил" and r.edition == "2026"


def test_notices_of_paragraph_7() -> None:
    # п. 7 ч. 1: a visit on Thu 26 March 2026: one working day before — (25, 24, 23 off,
    # Sun 22, Sat 21) — Fri 20 March.
    v = dl.visit_notice(D(2026, 3, 26))
    assert v.due == D(2026, 3, 20) and v.reference == "п. 7 Правил"
    # п. 7 ч. 2: a suspension effective Wed 6 May: (Thu 7 off), Fri 8, (Mon 11 off), Tue 12,
    # Wed 13 May.
    s = dl.suspension_notice(D(2026, 5, 6))
    assert s.due == D(2026, 5, 13) and s.reference == "п. 7 Правил" and s.edition == "2026"
    # п. 7 ч. 3: withdrawal registered Fri 26 June: not later than 1 working day — Mon 29 June.
    assert dl.unplanned_termination_notice(D(2026, 6, 26)).due == D(2026, 6, 29)


def test_information_terms() -> None:
    # п. 17: detected Mon 16 March 2026: 17, 18, 19, 20, (21–25), 26, 27, 30, 31 March, 1, 2
    # April → the 10th working day is Thu 2 April.
    assert dl.violation_information(D(2026, 3, 16)).due == D(2026, 4, 2)
    # п. 19: signed Thu 14 May: 15, 18, 19, 20, 21, 22, 25, 26, (27 off), 28, 29 → Fri 29 May.
    assert dl.law_enforcement_information(D(2026, 5, 14)).due == D(2026, 5, 29)


def test_hidden_defect_and_refund_in_months() -> None:
    # п. 53: discovered Fri 26 June 2026; one month → Sun 26 July → Mon 27 July (C3).
    h = dl.hidden_defect_notice(D(2026, 6, 26))
    assert h.due == D(2026, 7, 27) and h.rolled and h.unit is dl.TermUnit.MONTHS
    assert dl.hidden_defect_notice(D(2026, 6, 26), roll_to_workday=False).due == D(2026, 7, 26)
    # п. 53-1: detected Tue 31 March 2026; six months → 30 September (the last day of the
    # shorter month), a Wednesday.
    r = dl.refund(D(2026, 3, 31))
    assert r.due == D(2026, 9, 30) and not r.rolled and r.reference == "п. 53-1 Правил"


def test_same_name_two_editions() -> None:
    # objection_review: п. 36 in 2022 (Wed 5 July 2023 → Wed 12 July, test_deadlines.py),
    # п. 58 in 2026; conclusion_delivery: п. 13, 31 and п. 55.
    a = dl.objection_review(D(2023, 7, 5))
    assert (a.due, a.reference, a.edition) == (D(2023, 7, 12), "п. 36 Правил", "2022-10-16")
    b = dl.deadline("conclusion_delivery", "2026-12-15")
    assert (b.reference, b.edition) == ("п. 55 Правил", "2026")


# --- a term the edition does not have ---------------------------------------------------------


def test_proactive_remedy_in_2026_names_the_2022_edition() -> None:
    with pytest.raises(TermNotInEditionError) as exc:
        dl.proactive_remedy(D(2026, 6, 1))
    msg = str(exc.value)
    for part in ("п. 58", "2022-10-16", "2024-01-13", "edition 2026", "proactive", "п. 4"):
        assert part in msg
    assert exc.value.editions_with == ("2022-10-16",)
    assert exc.value.edition == "2026" and exc.value.term == "proactive_remedy"


def test_missing_term_points_to_the_counterpart() -> None:
    with pytest.raises(TermNotInEditionError, match=r"provider_objection.*conclusion_objection"):
        dl.provider_objection(D(2026, 4, 1))
    with pytest.raises(TermNotInEditionError, match="visit_notice"):
        dl.unplanned_notice(D(2026, 4, 1))
    with pytest.raises(TermNotInEditionError, match="death_case_objection"):
        dl.mortality_objection(D(2026, 4, 1))
    # a 2026 term asked of a 2022 date names the 2026 edition
    with pytest.raises(TermNotInEditionError, match="edition 2026") as exc:
        dl.potential_defect_objection(D(2023, 5, 2))
    assert exc.value.editions_with == ("2025-08-01", "2026") and exc.value.edition == "2022-10-16"
    # п. 32 (2022) sets the report's day; the 2026 text does not (п. 16: quarterly)
    with pytest.raises(TermNotInEditionError, match=r"п\. 32"):
        dl.monitoring_report("2026-Q2")


def test_unknown_term_lists_every_edition_s_terms() -> None:
    with pytest.raises(UnknownDeadlineError, match="potential_defect_objection"):
        dl.deadline("objection", D(2026, 4, 1))


# --- dates with no edition: the classifier's gap error, never a neighbour's term ------------


def test_gap_dates_raise_the_classifier_gap_error() -> None:
    with pytest.raises(EditionGapError, match="№ 174") as exc:
        dl.conclusion_delivery(D(2024, 6, 14))
    assert any("174" in o for o in exc.value.orders) and any("103" in o for o in exc.value.orders)
    with pytest.raises(EditionGapError, match="№ 174"):
        dl.conclusion_delivery(D(2025, 7, 31))
    # order No. 68 from 01.08.2025 (п. 4: ten calendar days after publication on 21.07.2025)
    assert dl.potential_defect_objection(D(2025, 8, 1)).edition == "2025-08-01"
    # order No. 19: default boundary 16.03.2026 inside 14–17.03.2026 (reading E18)
    assert dl.conclusion_delivery(D(2026, 3, 15)).edition == "2025-08-01"
    assert dl.conclusion_delivery(D(2026, 3, 16)).edition == "2026"
    # before the first edition of the data
    with pytest.raises(NoEditionError, match="2022-10-16"):
        dl.conclusion_delivery(D(2022, 3, 4))


# --- the edition override -------------------------------------------------------------------


def test_edition_override_by_id_and_alias() -> None:
    # a gap date asked of an edition explicitly: п. 55 of 2026 applied to Fri 14 June 2024 —
    # Mon 17 June works (Kurban Ait fell on Sunday 16 June 2024): 17, 18 June.
    d = dl.conclusion_delivery(D(2024, 6, 14), edition="2026")
    assert d.due == D(2024, 6, 18) and d.edition == "2026" and d.reference == "п. 55 Правил"
    assert dl.conclusion_delivery(D(2024, 6, 14), edition="2026-02-27").edition == "2026"
    assert dl.proactive_remedy(D(2026, 6, 1), edition="2022").edition == "2022-10-16"
    with pytest.raises(TermNotInEditionError):
        dl.proactive_remedy(D(2023, 6, 1), edition="2026")
    with pytest.raises(NoEditionError, match="2022-10-16"):
        dl.conclusion_delivery(D(2023, 6, 1), edition="2019")


def test_a_fund_s_corrected_start_moves_the_terms_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # reading E6: the periods come from the classifier and its override file
    f = tmp_path / "fund.yaml"
    f.write_text(
        'schema_version: 1\nin_force:\n  - edition: "2026"\n    from: "2026-03-19"\n'
        '    effective_from_verified: true\n    reference: "test"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("OSMS_DEFECTS_CLASSIFIER_OVERRIDES", str(f))
    # the day before the corrected start is the edition of order No. 68's (its end moves too)
    assert dl.conclusion_objection(D(2026, 3, 18)).edition == "2025-08-01"
    assert dl.conclusion_objection(D(2026, 3, 20)).due == D(2026, 3, 30)


# --- properties -------------------------------------------------------------------------------

_PERIODS = {
    "2022-10-16": (D(2022, 10, 16), D(2024, 1, 13)),
    "2025-08-01": (D(2025, 8, 1), D(2026, 3, 15)),
    "2026": (D(2026, 3, 16), D(2026, 6, 15)),
}


@st.composite
def _edition_term_date(draw: st.DrawFn) -> tuple[str, str, dt.date]:
    proc = dl.load_procedure()
    ed = draw(st.sampled_from(proc.editions))
    t = draw(st.sampled_from([t for t in ed.terms if t.name != "monitoring_report"]))
    lo, hi = _PERIODS[ed.id]
    return ed.id, t.name, draw(st.dates(min_value=lo, max_value=hi))


@settings(max_examples=80, deadline=None)
@given(_edition_term_date())
def test_every_term_of_the_edition_in_force(case: tuple[str, str, dt.date]) -> None:
    ed_id, name, d = case
    due = dl.deadline(name, d)  # no edition given: the one in force on d
    assert due.edition == ed_id and due.name == name
    assert due.reference.startswith("п. ") and due.citation.endswith(f"(ред. {ed_id})")
    assert kazakhstan().is_workday(due.due)
    before = dl.load_procedure().edition(ed_id)
    assert before is not None
    t = before.term(name)
    assert t is not None
    assert (due.due < d) if t.direction == "before" else (due.due >= d)
