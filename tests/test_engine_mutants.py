"""Tests that kill the mutants of ``deductions/engine.py`` a mutation sample found alive
(issue 18; docs/testing.md, tools/mutation_sample.py): each pins a message or a branch that no
other test looked at."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import osms_defects as od
from osms_defects.deductions import engine
from osms_defects.deductions.plan import kinds_reference

ROW = {"code": "5.2", "care_type": "inpatient", "base_amount": "1000.00",
       "monitoring_kind": "current", "detected_on": "2023-05-03"}  # fmt: skip


def _one(**changes: Any) -> od.Deduction:
    return next(iter(od.deduct_many([{**ROW, **changes}])))


def test_care_type_missing_is_named() -> None:
    # without the check the row would go on and fail later as unknown_care_type
    d = _one(care_type="  ")
    assert d.error_kind is od.ErrorKind.INVALID_FIELD
    assert d.error_message == "care_type is missing; give a column id of Annex 1, e.g. inpatient"


def test_detected_on_missing_is_named() -> None:
    # without the check the empty text would be reported as "'' is not a date"
    d = _one(detected_on="")
    assert d.error_kind is od.ErrorKind.INVALID_FIELD
    assert d.error_message == "detected_on is missing; give the date as YYYY-MM-DD"


def test_code_and_kind_missing_are_named() -> None:
    assert _one(code="").error_message == "code is missing; give a defect code of Annex 1, e.g. 5.2"
    assert (_one(monitoring_kind="").error_message or "").startswith(
        "monitoring_kind is missing; allowed: current, unplanned, proactive"
    )


def test_the_row_cache_keeps_only_rows_of_text() -> None:
    """A row whose six key cells are all non-text must not be cached: 11 (int) and 11.0 (a
    float, refused: money and codes are never floats) are equal keys for a dict."""
    engine._PARSED.clear()
    base = {"care_type": od.CareType.INPATIENT, "detected_on": dt.date(2023, 5, 3),
            "monitoring_kind": od.MonitoringKind.CURRENT, "base_amount": "1.00"}  # fmt: skip
    first, second = od.deduct_many([{**base, "code": 11}, {**base, "code": 11.0}])
    assert first.error_kind is not od.ErrorKind.INVALID_FIELD
    assert second.error_kind is od.ErrorKind.INVALID_FIELD
    assert "a float 11.0 is not allowed" in (second.error_message or "")
    assert engine._PARSED == {}  # neither row is cached
    od.deduct_many([ROW]).__next__()
    assert len(engine._PARSED) == 1  # a row of text is


def test_the_kinds_reference_is_the_paragraph_of_each_edition() -> None:
    assert kinds_reference("2022-10-16") == "п. 18 Правил"
    assert kinds_reference("2026") == "п. 4 Правил"
    d = _one(monitoring_kind="proactive", detected_on="2026-06-01")
    assert d.error_kind is od.ErrorKind.KIND_NOT_IN_FORCE
    assert (d.error_message or "").endswith("(п. 4 Правил; reading D9)")


@pytest.mark.parametrize("kind", ["targeted", "mortality", "proactive"])
def test_kinds_of_2022_are_in_force(kind: str) -> None:
    assert _one(monitoring_kind=kind, conclusion_signed_on="2023-05-10").error_kind is not (
        od.ErrorKind.KIND_NOT_IN_FORCE
    )
