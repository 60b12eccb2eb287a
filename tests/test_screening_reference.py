"""The polars rules agree with the pure-Python reference on random registers (issue 5)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osms_defects.calendar import kazakhstan
from osms_defects.screening import REGISTER_COLUMNS, load_rules, screen
from osms_defects.screening.rules import EditionRules

from .screening_reference import D2022, D2026, reference_screen, reference_screen_extras

START = dt.date(2023, 2, 20)  # spans 8 March and Nauryz (21-23 March): holidays matter
# 2026: spans 8 March (Sunday: Monday 9 March off) and Nauryz (Monday 23 – Wednesday 25 March off)
START_2026 = dt.date(2026, 2, 20)
#: (detection date, register dates from): each edition screened on its own years' dates
EDITIONS = [(D2022, START), (D2026, START_2026)]
PATIENTS = ["P1", "P2", "P3"]
PROVIDERS = ["A", "B"]
CODES = ["PCR-COVID19", "X01", "B03"]


@st.composite
def registers(draw: st.DrawFn, start: dt.date = START) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=0, max_value=40))
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(["service", "hospitalization", "emergency_call", "death"]))
        rec: dict[str, Any] = dict.fromkeys(REGISTER_COLUMNS)
        rec.update(
            record_id=f"r{i:03d}",
            record_type=kind,
            patient_id=draw(st.sampled_from(PATIENTS)),
            provider_id=draw(st.sampled_from(PROVIDERS)),
        )
        day = start + dt.timedelta(days=draw(st.integers(0, 70)))
        if kind == "service":
            rec["service_code"] = draw(st.sampled_from(CODES))
            rec["service_date"] = day
            if draw(st.booleans()):
                rec["referred_on"] = day - dt.timedelta(days=draw(st.integers(0, 25)))
        elif kind == "hospitalization":
            rec["admitted_on"] = day
            rec["discharged_on"] = day + dt.timedelta(days=draw(st.integers(0, 5)))
        elif kind == "emergency_call":
            minutes = draw(st.integers(0, 6 * 24 * 60))
            rec["call_at"] = dt.datetime(2023, 3, 1) + dt.timedelta(minutes=minutes)
        else:
            rec["died_on"] = day
            rec["death_registered_on"] = day + dt.timedelta(days=draw(st.integers(0, 14)))
        out.append(rec)
    return out


def _frame(recs: list[dict[str, Any]], extras: dict[str, Any] | None = None) -> pl.DataFrame:
    schema: dict[str, Any] = dict.fromkeys(REGISTER_COLUMNS, pl.String)
    schema.update(extras or {})
    for c in ("service_date", "admitted_on", "discharged_on", "referred_on", "died_on", "death_registered_on"):
        schema[c] = pl.Date
    schema["call_at"] = pl.Datetime("us")
    return pl.DataFrame(recs, schema=schema)


def _polars_hits(recs: list[dict[str, Any]], rules: EditionRules) -> list[tuple[Any, ...]]:
    res = screen(_frame(recs), rules)
    assert res.errors.height == 0, res.errors
    cols = ["rule", "record_id", "evidence_ids", "days", "hours", "workdays", "count"]
    return sorted(res.defects.select(cols).iter_rows(), key=repr)


def _variant(on: dt.date, **changes: dict[str, Any]) -> EditionRules:
    """The packaged rules in force on ``on`` with some parameters changed (rules the edition
    has no code for stay not run)."""
    base = load_rules().in_force(on)
    rules = {
        k: (rule.model_copy(update=changes[k]) if k in changes else rule)
        for k, rule in base.rules.items()
    }
    return dataclasses.replace(base, rules=rules)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize(("on", "start"), EDITIONS, ids=["2022", "2026"])
@SETTINGS
@given(data=st.data())
def test_polars_agrees_with_reference_default_rules(
    on: dt.date, start: dt.date, data: st.DataObject
) -> None:
    recs = data.draw(registers(start))
    rules = load_rules().in_force(on)
    expected = sorted(reference_screen(recs, rules, kazakhstan().is_workday), key=repr)
    assert _polars_hits(recs, rules) == expected


@pytest.mark.parametrize(("on", "start"), EDITIONS, ids=["2022", "2026"])
@SETTINGS
@given(data=st.data())
def test_polars_agrees_with_reference_options(
    on: dt.date, start: dt.date, data: st.DataObject
) -> None:
    recs = data.draw(registers(start))
    same_day, same_provider = data.draw(st.booleans()), data.draw(st.booleans())
    max_count, window = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 40))
    changes: dict[str, dict[str, Any]] = {
        "repeat_hospitalization": {
            "include_same_day": same_day,
            "same_provider": same_provider,
            "exempt_provider_ids": ("B",) if same_provider != same_day else (),
        },
        "repeat_emergency_call": {"same_provider": same_provider, "window_hours": window},
        "pcr_over_limit": {"max_count": max_count, "window_days": window},
        "long_wait_kdu": {"service_code_prefixes": ("B",)} if same_day else {},
    }
    rules = _variant(on, **{k: v for k, v in changes.items() if k in load_rules().in_force(on).rules})
    expected = sorted(reference_screen(recs, rules, kazakhstan().is_workday), key=repr)
    assert _polars_hits(recs, rules) == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.data())
def test_extra_columns_are_those_of_the_flagged_record(
    recs: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Issue 5: extra columns are carried through — each potential-defect row carries the
    flagged record's own values, under the columns' own names, in the register's order."""
    for rec in recs:
        rec["region"] = data.draw(st.sampled_from(["KZ-ALA", "KZ-AST", None]))
        rec["claim_tiyn"] = data.draw(st.integers(0, 10**12))
    rules = load_rules().in_force(D2022)
    frame = _frame(recs, {"region": pl.String, "claim_tiyn": pl.Int64})
    res = screen(frame, rules)
    assert res.errors.height == 0, res.errors
    assert res.defects.columns[-2:] == ["region", "claim_tiyn"]
    assert res.defects.schema["claim_tiyn"] == pl.Int64  # its own type, untouched
    cols = ["rule", "record_id", "evidence_ids", "days", "hours", "workdays", "count"]
    got = sorted(res.defects.select(*cols, "region", "claim_tiyn").iter_rows(), key=repr)
    expected = reference_screen_extras(
        recs, rules, kazakhstan().is_workday, ["region", "claim_tiyn"]
    )
    assert got == sorted(expected, key=repr)
