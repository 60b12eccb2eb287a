"""Terms of the Rules as deadlines: hand-worked examples, each citing its paragraph.

Expected dates were counted by hand on the 2020–2026 calendar (see tests/test_calendar.py for
the days off and working weekend days used)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from osms_defects import deadlines as dl
from osms_defects.calendar import CalendarRangeError, kazakhstan
from osms_defects.errors import (
    BadPeriodError,
    EditionGapError,
    ScreeningEditionError,
    UnknownDeadlineError,
)

D = dt.date

# The terms below are those of the 2022 edition (in force 2022-10-16..2024-01-13). Since the
# deadlines became a property of the edition in force (issue 7), a date outside that period
# names the edition explicitly (edition=E2022): the hand-worked due dates are unchanged; only
# the edition they are asked of is said. Without it such a date raises (see
# tests/test_deadlines_editions.py).
E2022 = "2022"


def test_conclusion_delivery_reaches_a_working_saturday() -> None:
    # п. 13, 31: two working days after signing on Thu 29 June 2023: Fri 30 June, Sat 1 July
    # (a working Saturday by the 2023 transfer decree).
    d = dl.conclusion_delivery(D(2023, 6, 29))
    assert d.due == D(2023, 7, 1)
    assert d.reference == "п. 13, 31 Правил"
    assert d.term == 2 and d.unit is dl.TermUnit.WORKING_DAYS
    assert d.description
    # start_next_day=False counts the signing day itself (Thu 29, Fri 30)
    assert dl.conclusion_delivery(D(2023, 6, 29), start_next_day=False).due == D(2023, 6, 30)


def test_provider_objection_after_kurban_ait_on_sunday() -> None:
    # п. 36: received Fri 14 June 2024; Mon 17 June works (Kurban Ait was Sunday 16 June):
    # 17, 18, 19 June.
    d = dl.provider_objection(D(2024, 6, 14), edition=E2022)
    assert d.due == D(2024, 6, 19)
    assert "п. 36" in d.reference
    assert d.met_by(D(2024, 6, 19)) and not d.met_by(D(2024, 6, 20))


def test_objection_review_over_capital_day_2023() -> None:
    # п. 36: received Wed 5 July 2023; 6 July (Capital Day) and 7 July (transferred) off:
    # Mon 10, Tue 11, Wed 12.
    assert dl.objection_review(D(2023, 7, 5)).due == D(2023, 7, 12)


def test_council_decision_notice_over_new_year() -> None:
    # п. 36: decided Tue 30 Dec 2025: Wed 31 Dec, Mon 5 Jan, Tue 6 Jan 2026.
    assert dl.council_decision_notice(D(2025, 12, 30), edition=E2022).due == D(2026, 1, 6)


def test_suspension_notice_march_2022() -> None:
    # п. 43: effective Fri 4 March 2022: Sat 5 March worked; 7, 8 March off; Wed 9, Thu 10.
    assert dl.suspension_notice(D(2022, 3, 4), edition=E2022).due == D(2022, 3, 10)


def test_unplanned_notice_one_working_day_before() -> None:
    # п. 51: start Mon 17 June 2024 → notify by Fri 14 June.
    assert dl.unplanned_notice(D(2024, 6, 17), edition=E2022).due == D(2024, 6, 14)
    # start Mon 10 July 2023 → 7 and 6 July off → Wed 5 July.
    assert dl.unplanned_notice(D(2023, 7, 10)).due == D(2023, 7, 5)


def test_targeted_notice_five_working_days_before() -> None:
    # п. 64: start Fri 10 Jan 2025: Thu 9, Wed 8, (Tue 7 Christmas), Mon 6, Sun 5 (worked),
    # (3, 2, 1 Jan off) → Tue 31 Dec 2024.
    assert dl.targeted_notice(D(2025, 1, 10), edition=E2022).due == D(2024, 12, 31)


def test_visit_last_day_counts_the_first_day() -> None:
    # п. 29: visit starts Thu 2 May 2024: 2, 3, Sat 4 (worked), 6, (7–9 off), 10, 13, 14, 15,
    # 16, 17 → the 10th working day is Fri 17 May.
    d = dl.visit_last_day(D(2024, 5, 2), edition=E2022)
    assert d.due == D(2024, 5, 17)
    assert d.reference == "п. 29 Правил"
    # a visit starting on Sunday 5 May is counted from Monday 6 May: 6, (7–9 off), 10, 13, 14,
    # 15, 16, 17, 20, 21, 22
    assert dl.visit_last_day(D(2024, 5, 5), edition=E2022).due == D(2024, 5, 22)


def test_proactive_remedy_45_calendar_days_rolled() -> None:
    # п. 58: signed Wed 17 July 2024; day 45 is Sat 31 August → rolled to Mon 2 September.
    d = dl.proactive_remedy(D(2024, 7, 17), edition=E2022)
    assert d.due == D(2024, 9, 2) and d.rolled
    assert d.unit is dl.TermUnit.CALENDAR_DAYS and d.reference == "п. 58 Правил"
    assert dl.proactive_remedy(D(2024, 7, 17), edition=E2022, roll_to_workday=False).due == D(2024, 8, 31)
    # signed Sat 29 June 2024: day 45 is Tue 13 August, a working day
    assert dl.proactive_remedy(D(2024, 6, 29), edition=E2022).due == D(2024, 8, 13)


def test_mortality_objection_over_nauryz_2026() -> None:
    # п. 76: provided Fri 20 March 2026; 23–25 March off: 26, 27, 30, 31 March, 1 April.
    assert dl.mortality_objection(D(2026, 3, 20), edition=E2022).due == D(2026, 4, 1)


def test_maternal_death_conclusion_two_months() -> None:
    # п. 70: died 31 Dec 2023 → 29 Feb 2024 (the last day of the shorter month), a Thursday.
    assert dl.maternal_death_conclusion(D(2023, 12, 31)).due == D(2024, 2, 29)
    # died 8 Jan 2024 → 8 March 2024, a holiday → Sat, Sun → Mon 11 March.
    d = dl.maternal_death_conclusion(D(2024, 1, 8), edition=E2022)
    assert d.due == D(2024, 3, 11) and d.rolled and d.unit is dl.TermUnit.MONTHS


def test_monitoring_report_periods() -> None:
    # п. 32: by the 30th of the month after the period.
    q2 = dl.monitoring_report("2023-Q2")  # Sun 30 July 2023 → Mon 31 July
    assert q2.due == D(2023, 7, 31) and q2.rolled
    assert q2.reference == "п. 32, 39 Правил"
    assert dl.monitoring_report("2023-H1").due == D(2023, 7, 31)
    assert dl.monitoring_report("2024", edition=E2022).due == D(2025, 1, 30)
    assert dl.monitoring_report("2024", edition=E2022).reference == "п. 32 Правил"
    # Sat 30 April 2022 → Mon 2 May is the day off for 1 May (a Sunday) → Tue 3 May
    assert dl.monitoring_report("2022-Q1", edition=E2022).due == D(2022, 5, 3)
    assert dl.monitoring_report("2022-Q1", edition=E2022, roll_to_workday=False).due == D(2022, 4, 30)
    with pytest.raises(BadPeriodError, match="2023-Q2"):
        dl.monitoring_report("2023-Q5")


def test_deadline_by_name_and_unknown_names() -> None:
    assert dl.deadline("provider-objection", "2024-06-14", edition=E2022).due == D(2024, 6, 19)
    assert dl.deadline("monitoring_report", "2023-Q2").due == D(2023, 7, 31)
    with pytest.raises(UnknownDeadlineError, match="provider_objection"):
        dl.deadline("objection", D(2024, 1, 1))
    # Wed 30.12.2026 + 3 working days: Thu 31.12 (1); 1–2 January New Year, Mon 4 January the
    # day off moved from Sat 2 January (Law on holidays, ст. 5); Tue 5 (2), Wed 6 (3). 2027 has
    # no transfer act in the data: computed, and marked provisional — refused when strict
    late = dl.provider_objection(D(2026, 12, 30), edition=E2022)
    assert late.due == D(2027, 1, 6)
    assert late.calendar_provisional and "2027" in late.calendar_note
    assert not dl.provider_objection(D(2026, 12, 1), edition=E2022).calendar_provisional
    with pytest.raises(CalendarRangeError):
        dl.provider_objection(
            D(2026, 12, 30), edition=E2022, cal=kazakhstan(strict_calendar=True)
        )


# --- defect terms (Прил. 1) ---------------------------------------------------------------


def test_late_death_registration_code_2_3() -> None:
    # «позднее 10 дней с момента смерти»: the 10th day after death is in time
    assert not dl.late_death_registration(D(2024, 1, 1), D(2024, 1, 11), edition=E2022)
    assert dl.late_death_registration(D(2024, 1, 1), D(2024, 1, 12), edition=E2022)


def test_readmission_code_4_0() -> None:
    # «30 календарных дней со дня завершения лечения в стационаре»
    assert dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 2, 9), edition=E2022)  # day 30
    assert not dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 2, 10), edition=E2022)  # day 31
    # day 0, a same-day transfer: outside by default, inside as an option (issue 5, reading S1)
    assert not dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 1, 10), edition=E2022)
    assert dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 1, 10), include_same_day=True, edition=E2022)
    assert dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 1, 11), edition=E2022)  # day 1
    assert not dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 1, 9), edition=E2022)
    assert not dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 1, 9), include_same_day=True, edition=E2022)


def test_repeat_call_code_6_12() -> None:
    t = dt.datetime(2024, 3, 1, 22, 15)
    assert dl.repeat_call_within_24h(t, t + dt.timedelta(hours=24), edition=E2022)
    assert not dl.repeat_call_within_24h(t, t + dt.timedelta(hours=24, minutes=1), edition=E2022)
    assert not dl.repeat_call_within_24h(t, t, edition=E2022)


def test_defect_thresholds_come_from_the_edition() -> None:
    # Прил. 1 (2026), код 7.0 «более 15 рабочих дней»: referral Mon 2 March 2026; the 15th
    # working day after it is Fri 27 March (9 March and 23–25 March off), the 16th Mon 30 March
    # (worked out in tests/test_screening_editions.py). The edition in force on the service day.
    assert not dl.kdu_wait_exceeded(D(2026, 3, 2), D(2026, 3, 27))
    assert dl.kdu_wait_exceeded(D(2026, 3, 2), D(2026, 3, 30))
    # the same wait under the 2022 edition (7.1, > 10 working days) exceeds
    assert dl.kdu_wait_exceeded(D(2026, 3, 2), D(2026, 3, 27), edition=E2022)
    # an explicit threshold overrides the data
    assert not dl.kdu_wait_exceeded(D(2026, 3, 2), D(2026, 3, 30), workdays=16)
    # the 2026 Annex 1 has no code for a late death registration (2.3 of 2022)
    with pytest.raises(ScreeningEditionError, match="late_death_registration"):
        dl.late_death_registration(D(2026, 6, 1), D(2026, 6, 20))
    # a date in the gap needs the edition named
    with pytest.raises(EditionGapError):
        dl.readmission_within_30_days(D(2024, 1, 10), D(2024, 2, 9))


def test_kdu_wait_code_7_1() -> None:
    # «более 10 рабочих дней»: referred Thu 2 May 2024: 3, Sat 4 (worked), 6, 10, 13, 14, 15,
    # 16, 17, 20 May → served on Mon 20 May is in time, Tue 21 May exceeds.
    assert not dl.kdu_wait_exceeded(D(2024, 5, 2), D(2024, 5, 20), edition=E2022)
    assert dl.kdu_wait_exceeded(D(2024, 5, 2), D(2024, 5, 21), edition=E2022)
    ref = np.array(["2024-05-02", "2024-05-02"], dtype="datetime64[D]")
    srv = np.array(["2024-05-20", "2024-05-21"], dtype="datetime64[D]")
    assert dl.kdu_wait_exceeded_array(ref, srv, detected_on=D(2023, 6, 1), edition=E2022).tolist() == [False, True]


# --- п. 36 objection timeline -------------------------------------------------------------


def test_timeline_silence_means_acceptance() -> None:
    t = dl.objection_timeline(
        D(2024, 6, 13), delivered_on=D(2024, 6, 14), today=D(2024, 6, 20), edition=E2022
    )
    assert t.accepted_by_silence
    steps = {s.name: s for s in t.steps}
    assert steps["conclusion_delivery"].status is dl.StepStatus.MET  # due Mon 17 June
    assert steps["provider_objection"].due == D(2024, 6, 19)
    assert steps["provider_objection"].status is dl.StepStatus.OVERDUE
    assert steps["objection_review"].status is dl.StepStatus.NOT_NEEDED
    assert "accepted" in t.outcome and "п. 36" in t.outcome


def test_timeline_full_procedure() -> None:
    t = dl.objection_timeline(
        D(2024, 6, 13),
        delivered_on=D(2024, 6, 14),
        objection_on=D(2024, 6, 19),
        council_decided_on=D(2024, 6, 24),  # review due 20, 21, 24 June → met
        decision_sent_on=D(2024, 6, 28),  # notice due 25, 26, 27 June → late
        edition=E2022,
    )
    assert not t.accepted_by_silence
    s = {x.name: x for x in t.steps}
    assert s["provider_objection"].status is dl.StepStatus.MET
    assert s["objection_review"].due == D(2024, 6, 24)
    assert s["objection_review"].status is dl.StepStatus.MET
    assert s["council_decision_notice"].due == D(2024, 6, 27)
    assert s["council_decision_notice"].status is dl.StepStatus.LATE
    assert "appeal" in t.outcome


def test_timeline_late_objection_and_pending() -> None:
    late = dl.objection_timeline(
        D(2024, 6, 13), delivered_on=D(2024, 6, 14), objection_on=D(2024, 6, 20), edition=E2022
    )
    assert late.accepted_by_silence
    pending = dl.objection_timeline(
        D(2024, 6, 13), delivered_on=D(2024, 6, 14), today=D(2024, 6, 18), edition=E2022
    )
    assert not pending.accepted_by_silence
    assert {s.name: s for s in pending.steps}["provider_objection"].status is dl.StepStatus.PENDING
    waiting = dl.objection_timeline(D(2024, 6, 13), edition=E2022)
    assert {s.name: s for s in waiting.steps}["provider_objection"].status is dl.StepStatus.WAITING


# --- properties ---------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_dates = st.dates(min_value=D(2020, 2, 1), max_value=D(2026, 10, 1))


@settings(max_examples=60, deadline=None)
@given(_dates, st.sampled_from(sorted(dl.DEADLINES)))
def test_every_deadline_is_due_on_a_working_day(d: dt.date, name: str) -> None:
    cal = kazakhstan()
    due = dl.deadline(name, d, edition=E2022)
    # working-day terms land on working days; C3 rolls the others onto one
    assert cal.is_workday(due.due)
    assert due.reference.startswith("п. ")
    assert due.edition == "2022-10-16"
    if name.endswith("_notice") and name in {"unplanned_notice", "targeted_notice"}:
        assert due.due < d
    else:
        assert due.due >= d
