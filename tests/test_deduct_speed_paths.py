"""The scalar engine's shortcuts give the general path's results exactly, and the CLI's help
names every input column.

The shortcuts (engine._fast: a plan cached per edition, code, care type, kind, unremedied and
defect class; finding_from_row: the repeating cells parsed once; _trusted_finding instead of
model_construct) exist only for speed (issue 3: ≥ 200,000 findings per second,
benchmarks/bench_deductions.py); these tests hold them to the rules of the general path
(п. 12, 30, 54, 58, 59; Прил. 1; readings D2, D6, D9, D10).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import osms_defects as od
from osms_defects.cli import main
from osms_defects.deductions import INPUT_COLUMNS, REQUIRED_COLUMNS, Finding, Resolver, engine
from osms_defects.deductions.engine import _compute, _trusted_finding, deduct_many

REPO = Path(__file__).resolve().parents[1]

CODES = ["5.2", "6.1", "3.3", "2.1", "11.0", "8.2", "1.1", "12.3", "3.4", "5.0", " 6.1 ", "99.9"]
CARES = ["inpatient", "ambulatory_capitation", "emergency", "tuberculosis", "phc_capitation",
         "inpatient_case_group", "specialised_outpatient", "rural", " inpatient"]  # fmt: skip
DATES = [dt.date(2022, 10, 16), dt.date(2023, 5, 15), dt.date(2024, 1, 13),
         dt.date(2025, 6, 1), dt.date(2026, 3, 14), dt.date(2026, 5, 4), dt.date(2019, 1, 1)]  # fmt: skip
SIGNED = [None, dt.date(2023, 5, 20), dt.date(2026, 12, 1), dt.date(2040, 1, 1)]


def money() -> st.SearchStrategy[Decimal | None]:
    return st.one_of(
        st.none(),
        st.integers(0, 10**12).map(lambda t: Decimal(t).scaleb(-2)),  # whole tiyn, 0 included
        st.sampled_from(
            [
                Decimal("-3"),
                Decimal("1.234"),
                Decimal("1.230"),
                Decimal("NaN"),
                Decimal("1e18"),
                Decimal("0.005"),
                Decimal("-0"),
            ]
        ),
    )


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    return Finding(
        code=draw(st.sampled_from(CODES)),
        care_type=draw(st.sampled_from(CARES)),
        detected_on=draw(st.sampled_from(DATES)),
        monitoring_kind=draw(st.sampled_from(list(od.MonitoringKind))),
        base_amount=draw(money()),
        documented_amount=draw(money()),
        conclusion_signed_on=draw(st.sampled_from(SIGNED)),
        defect_class=draw(st.sampled_from([None, None, *od.DefectClass])),
        case_id=draw(st.sampled_from([None, "A", "B"])),
    )


_RES: dict[tuple[str | None, bool], Resolver] = {}


def _res(reading: str | None, doubtful: bool) -> Resolver:
    if (reading, doubtful) not in _RES:
        _RES[(reading, doubtful)] = Resolver(
            od.load_classifier(), accept_reading=reading, accept_doubtful=doubtful
        )
    return _RES[(reading, doubtful)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fs=st.lists(findings(), min_size=1, max_size=30),
    unremedied=st.booleans(),
    options=st.sampled_from([(None, False), ("KPN", True), ("KT", False)]),
)
def test_fast_path_equals_general_path(
    fs: list[Finding], unremedied: bool, options: tuple[str | None, bool]
) -> None:
    """deduct() twice (the second time every known key takes the cached plan) gives what the
    general path gives, field for field (repr: a NaN base is compared as text)."""
    res = _res(*options)
    for f in fs:
        general = _compute(f, res, unremedied, 7, {})
        for _ in range(2):
            got = od.deduct(f, res, unremedied=unremedied, row=7)
            assert repr(got) == repr(general)
    many = list(deduct_many(fs, res, unremedied=unremedied))
    assert [repr(d) for d in many] == [
        repr(_compute(f, res, unremedied, i, {})) for i, f in enumerate(fs, start=1)
    ]


def _row(**over: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "finding_id": "F1",
        "provider_id": "P1",
        "case_id": "C1",
        "code": "5.2",
        "care_type": "inpatient",
        "base_amount": "287450.00",
        "documented_amount": "",
        "monitoring_kind": "current",
        "detected_on": "2023-05-03",
        "conclusion_signed_on": "",
        "defect_class": "",
    }
    row.update(over)
    return row


def test_trusted_finding_is_what_model_construct_builds() -> None:
    f, bad, problem = engine.finding_from_row(_row(base_amount=" 1,5 ", defect_class=""))
    assert f is not None and problem is None and bad == {"base_amount": "1,5"}
    values = dict(f.__dict__)
    built = Finding.model_construct(**values)
    assert list(f.__dict__) == list(Finding.model_fields) == list(built.__dict__)
    assert repr(f.__dict__) == repr(built.__dict__)
    assert f.model_fields_set == built.model_fields_set == set(Finding.model_fields)
    assert f.__pydantic_extra__ is built.__pydantic_extra__ is None
    assert f.__pydantic_private__ is built.__pydantic_private__ is None
    again = _trusted_finding(dict(values))
    assert repr(again) == repr(built)


def test_trusted_finding_equals_a_validated_finding() -> None:
    """The 5.2 example of docs/deductions.md (Прил. 1, код 5.2, гр. 6: 300% of the case)."""
    f, bad, _ = engine.finding_from_row(_row())
    valid = Finding(code="5.2", care_type="inpatient", base_amount="287450.00",
                    detected_on=dt.date(2023, 5, 3), finding_id="F1", provider_id="P1",
                    case_id="C1")  # fmt: skip
    assert f == valid and not bad
    assert od.deduct(valid).amount == Decimal("862350.00")  # 3 × 287450.00


def test_row_cache_never_mixes_numbers_and_text() -> None:
    """1, 1.0 and True are equal as keys but read differently: a float is refused (D6 is for
    amounts; a float code is not text), an int is its text."""
    engine._PARSED.clear()
    d_text = engine.deduct_row(_row(code="1", care_type="inpatient"))
    d_float = engine.deduct_row(_row(code=1.0, care_type="inpatient"))
    d_int = engine.deduct_row(_row(code=1, care_type="inpatient"))
    assert d_float.status is od.Status.ERROR and "float" in (d_float.error_message or "")
    assert repr(d_int) == repr(d_text)
    assert all(type(v) is str or v is None for k in engine._PARSED for v in k)


def test_row_with_an_unhashable_cell_is_still_read() -> None:
    d = engine.deduct_row(_row(code=["5.2"]))
    assert d.status is od.Status.ERROR and d.error_kind is od.ErrorKind.UNKNOWN_CODE


def test_row_cache_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_PARSED_MAX", 5)
    engine._PARSED.clear()
    for day in range(1, 20):
        d = engine.deduct_row(_row(detected_on=f"2023-05-{day:02d}"))
        assert d.status is od.Status.DEDUCTED and d.amount == Decimal("862350.00")
        assert len(engine._PARSED) <= 5


def test_deduct_help_names_every_input_column(capsys: pytest.CaptureFixture[str]) -> None:
    """The help lists the columns the reader accepts (engine.INPUT_COLUMNS), defect_class of
    the 2026 edition (п. 11–14 of the Rules as rewritten by order No. 68) included."""
    with pytest.raises(SystemExit) as exc:
        main(["deduct", "--help"])
    assert exc.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "defect_class" in INPUT_COLUMNS
    for column in INPUT_COLUMNS:
        assert re.search(rf"\b{column}\b", text), column
    required = text.split("required: ", 1)[1].split(";", 1)[0]
    assert required.split(", ") == list(REQUIRED_COLUMNS)


def test_docs_name_every_input_column() -> None:
    doc = (REPO / "docs" / "deductions.md").read_text(encoding="utf-8")
    columns_line = " ".join(doc.split("Columns: `", 1)[1].split("`", 1)[0].split())
    assert columns_line.split(", ") == list(INPUT_COLUMNS)
