"""Hand-worked boundaries of every screening rule, both sides (issue 5; docs/readings.md S1–S6).

Expected values are worked out by hand from the calendar and the rules' texts, not from the code.
"""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from osms_defects.screening import REGISTER_COLUMNS, load_rules, screen
from osms_defects.screening.rules import ScreeningRules

from .screening_reference import D2022


def rec(rid: str, kind: str, patient: str = "P1", provider: str = "A", **kw: Any) -> dict[str, Any]:
    r: dict[str, Any] = dict.fromkeys(REGISTER_COLUMNS)
    r.update(record_id=rid, record_type=kind, patient_id=patient, provider_id=provider, **kw)
    return r


def run(recs: list[dict[str, Any]], rules: ScreeningRules | None = None) -> pl.DataFrame:
    df = pl.DataFrame(recs, schema=dict.fromkeys(REGISTER_COLUMNS, pl.String))
    res = screen(df, rules, detected_on=D2022)
    assert res.errors.height == 0, res.errors
    return res.defects


def flagged(defects: pl.DataFrame, rule: str) -> dict[str, dict[str, Any]]:
    return {r["record_id"]: r for r in defects.filter(pl.col("rule") == rule).iter_rows(named=True)}


def hosp(rid: str, adm: str, dis: str, **kw: Any) -> dict[str, Any]:
    return rec(rid, "hospitalization", admitted_on=adm, discharged_on=dis, care_type="inpatient", **kw)


# ---------------------------------------------------------------- 4.0 (reading S1)
@pytest.mark.parametrize(
    ("admitted", "days", "inside"),
    [
        ("2023-01-11", 1, True),  # the day after the discharge: day 1 of the term
        ("2023-02-09", 30, True),  # Прил. 1, код 4.0: «30 календарных дней» — the 30th day
        ("2023-02-10", 31, False),  # the 31st day is outside
    ],
)
def test_repeat_hospitalization_30_days(admitted: str, days: int, inside: bool) -> None:
    """код 4.0: discharged 10 Jan 2023; the term runs 11 Jan .. 9 Feb (30 days)."""
    d = run([hosp("h1", "2023-01-02", "2023-01-10"), hosp("h2", admitted, "2023-02-20")])
    got = flagged(d, "repeat_hospitalization")
    assert ("h2" in got) is inside
    if inside:
        assert got["h2"]["days"] == days
        assert got["h2"]["evidence_ids"] == "h1"
        assert got["h2"]["code"] == "4.0"
        assert "код 4.0" in got["h2"]["reference"]


def test_same_day_transfer_is_an_option_off_by_default() -> None:
    """Reading S1: admitted on the discharge day (day 0) is not a readmission by default."""
    recs = [hosp("h1", "2023-01-02", "2023-01-10"), hosp("h2", "2023-01-10", "2023-01-12")]
    assert flagged(run(recs), "repeat_hospitalization") == {}
    base = load_rules()
    opt = base.rules.repeat_hospitalization.model_copy(update={"include_same_day": True})
    rules = base.model_copy(update={"rules": base.rules.model_copy(update={"repeat_hospitalization": opt})})
    got = flagged(run(recs, rules), "repeat_hospitalization")
    assert got["h2"]["days"] == 0 and got["h2"]["evidence_ids"] == "h1"


def test_readmission_cites_latest_discharge_and_other_patients_do_not_count() -> None:
    recs = [
        hosp("h1", "2023-01-01", "2023-01-05"),
        hosp("h2", "2023-01-10", "2023-01-20"),
        hosp("h3", "2023-01-25", "2023-01-26"),
        hosp("x1", "2023-01-20", "2023-01-24", patient="P2"),
    ]
    got = flagged(run(recs), "repeat_hospitalization")
    assert got["h2"]["evidence_ids"] == "h1" and got["h2"]["days"] == 5
    assert got["h3"]["evidence_ids"] == "h2" and got["h3"]["days"] == 5
    assert "x1" not in got and "h1" not in got


def test_readmission_during_an_earlier_stay_still_open() -> None:
    """код 4.0 with overlapping stays (the exact path of the rule): h1 runs 1–20 Jan, h2
    (5–8 Jan) lies inside it, h3 is admitted 15 Jan while h1 is still open. The treatment that
    had ended before 15 Jan is h2 (discharged 8 Jan): h3 is 7 days after it. h1's discharge
    (20 Jan) is after h3's admission and is not an earlier end of treatment. h2 itself was
    admitted during h1 with no stay ended before 5 Jan: not flagged."""
    recs = [
        hosp("h1", "2023-01-01", "2023-01-20"),
        hosp("h2", "2023-01-05", "2023-01-08"),
        hosp("h3", "2023-01-15", "2023-01-16"),
    ]
    got = flagged(run(recs), "repeat_hospitalization")
    assert set(got) == {"h3"}
    assert got["h3"]["evidence_ids"] == "h2" and got["h3"]["days"] == 7


# ---------------------------------------------------------------- 6.12 (reading S2)
@pytest.mark.parametrize(
    ("second", "hours", "inside"),
    [
        ("2023-05-02T08:29", 23 + 59 / 60, True),
        ("2023-05-02T08:30", 24.0, True),  # код 6.12 «в течение 24 часов»: 24 h 00 min inside
        ("2023-05-02T08:31", None, False),  # 24 h 01 min outside
    ],
)
def test_repeat_emergency_call_24_hours(second: str, hours: float | None, inside: bool) -> None:
    recs = [
        rec("c1", "emergency_call", call_at="2023-05-01T08:30"),
        rec("c2", "emergency_call", call_at=second),
    ]
    got = flagged(run(recs), "repeat_emergency_call")
    assert ("c2" in got) is inside
    assert "c1" not in got
    if inside:
        assert got["c2"]["hours"] == pytest.approx(hours)
        assert got["c2"]["evidence_ids"] == "c1"


# ---------------------------------------------------------------- 2.3 (reading S3)
@pytest.mark.parametrize(("registered", "late"), [("2023-06-11", False), ("2023-06-12", True)])
def test_death_registration_10_days(registered: str, late: bool) -> None:
    """код 2.3 «позднее 10 дней с момента смерти»: died 1 June; 11 June (10 days) on time,
    12 June (11 days) late."""
    d = run([rec("d1", "death", died_on="2023-06-01", death_registered_on=registered)])
    got = flagged(d, "late_death_registration")
    assert ("d1" in got) is late
    if late:
        assert got["d1"]["days"] == 11 and got["d1"]["evidence_ids"] is None


# ---------------------------------------------------------------- 7.1 (reading S4)
@pytest.mark.parametrize(
    ("service", "workdays", "late"),
    [
        # referral Wed 1 March 2023. Working days after it: 2, 3 | 6, 7 (8 March, International
        # Women's Day, is a holiday) 9, 10 | 13, 14, 15, 16 → 16 March is the 10th working day.
        ("2023-03-16", 10, False),
        ("2023-03-17", 11, True),  # the 11th working day: «более 10 рабочих дней»
    ],
)
def test_long_wait_kdu_10_working_days(service: str, workdays: int, late: bool) -> None:
    d = run([rec("s1", "service", service_code="B03", service_date=service, referred_on="2023-03-01")])
    got = flagged(d, "long_wait_kdu")
    assert ("s1" in got) is late
    if late:
        assert got["s1"]["workdays"] == workdays


def test_long_wait_kdu_weekend_after_10th_workday_is_on_time() -> None:
    """Reading S4: Saturday 18 March follows the 10th working day (16 March is the 10th, 17 the
    11th) — use a referral of Thu 2 March: 3 | 6, 7, 9, 10 | 13, 14, 15, 16, 17 → the 10th is
    Fri 17 March; Sat 18 and Sun 19 March still count 10 working days: on time."""
    for day in ("2023-03-17", "2023-03-18", "2023-03-19"):
        d = run([rec("s1", "service", service_code="B03", service_date=day, referred_on="2023-03-02")])
        assert flagged(d, "long_wait_kdu") == {}, day
    d = run([rec("s1", "service", service_code="B03", service_date="2023-03-20", referred_on="2023-03-02")])
    assert flagged(d, "long_wait_kdu")["s1"]["workdays"] == 11


def test_long_wait_outside_calendar_is_a_data_error() -> None:
    # 2019 is before the plausible range (osms_defects.dates, issue 18): a data error before
    # the calendar is asked
    df = pl.DataFrame(
        [rec("s1", "service", service_code="B03", service_date="2019-03-20", referred_on="2019-03-01")],
        schema=dict.fromkeys(REGISTER_COLUMNS, pl.String),
    )
    res = screen(df, detected_on=D2022)
    assert res.defects.height == 0
    assert set(res.errors["field"]) == {"referred_on", "service_date"}
    assert res.errors["row"].to_list() == [1, 1]
    assert "not a plausible date" in res.errors["message"][0]
    # after the calendar's last day but plausible (if the calendar ends before today + 366)
    import datetime as dt

    from osms_defects.calendar import kazakhstan
    from osms_defects.dates import latest_plausible

    after = kazakhstan().last + dt.timedelta(days=20)
    if after > latest_plausible():
        return
    df = pl.DataFrame(
        [rec("s1", "service", service_code="B03", service_date=after.isoformat(),
             referred_on=(after - dt.timedelta(days=5)).isoformat())],
        schema=dict.fromkeys(REGISTER_COLUMNS, pl.String),
    )  # fmt: skip
    res = screen(df, detected_on=D2022)
    assert res.defects.height == 0
    assert "outside the working-day calendar" in res.errors["message"][0]


# ---------------------------------------------------------------- item 13 (readings S5, S6)
def test_duplicate_group_flags_every_record_citing_the_others() -> None:
    recs = [
        rec("s1", "service", service_code="A02", service_date="2023-07-10"),
        rec("s2", "service", service_code="A02", service_date="2023-07-10"),
        rec("s3", "service", service_code="A02", service_date="2023-07-10"),
        rec("s4", "service", service_code="A02", service_date="2023-07-11"),  # another day
        rec("s5", "service", service_code="A02", service_date="2023-07-10", provider="B"),
        rec("s6", "service", service_code="A03", service_date="2023-07-10"),  # another code
    ]
    got = flagged(run(recs), "duplicate_service")
    assert set(got) == {"s1", "s2", "s3"}
    assert got["s1"]["evidence_ids"] == "s2;s3"
    assert got["s2"]["evidence_ids"] == "s1;s3"
    assert got["s3"]["evidence_ids"] == "s1;s2"
    assert {r["count"] for r in got.values()} == {3}


@pytest.mark.parametrize(("third", "span", "flag"), [("2023-01-30", 29, True), ("2023-01-31", 30, False)])
def test_pcr_three_within_30_days_flag_the_third(third: str, span: int, flag: bool) -> None:
    """Item 13: «более 2-х … ПЦР … в течении 30 календарных дней»: 1 Jan .. 30 Jan is 30
    calendar days (span 29): the third is flagged; 1 Jan .. 31 Jan spans 31 days: not."""
    recs = [
        rec("p1", "service", service_code="PCR-COVID19", service_date="2023-01-01"),
        rec("p2", "service", service_code="PCR-COVID19", service_date="2023-01-15"),
        rec("p3", "service", service_code="PCR-COVID19", service_date=third),
    ]
    got = flagged(run(recs), "pcr_over_limit")
    assert set(got) == ({"p3"} if flag else set())
    if flag:
        assert got["p3"]["days"] == span and got["p3"]["evidence_ids"] == "p1;p2"


def test_two_pcr_are_within_the_limit() -> None:
    recs = [
        rec("p1", "service", service_code="PCR-COVID19", service_date="2023-01-01"),
        rec("p2", "service", service_code="PCR-COVID19", service_date="2023-01-01"),
    ]
    assert flagged(run(recs), "pcr_over_limit") == {}


def test_example_register_has_one_hit_per_planted_pattern() -> None:
    from .conftest import REPO

    res = screen(REPO / "examples" / "register.csv", detected_on=D2022)
    assert res.errors.height == 0
    got = sorted(res.defects.select("rule", "record_id").iter_rows())
    assert got == sorted(
        [
            ("repeat_hospitalization", "H-002"),
            ("repeat_emergency_call", "C-002"),
            ("late_death_registration", "D-002"),
            ("long_wait_kdu", "S-002"),
            ("duplicate_service", "S-003"),
            ("duplicate_service", "S-004"),
            ("pcr_over_limit", "P-003"),
        ]
    )
    assert res.by_rule()["potential_defects"].sum() == 7
    assert res.by_provider()["potential_defects"].sum() == 7
