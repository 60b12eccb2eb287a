"""The columnar path gives exactly the scalar path's results (amounts, statuses, error kinds,
references, remedy dates), on random findings with .5-tiyn ties (reading D2: ROUND_HALF_UP on
each finding; п. 54, 58, 59)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import osms_defects as od
from osms_defects.deductions import deduct_many
from osms_defects.deductions.frame import (
    RESULT_COLUMNS,
    deduct_frame,
    deduct_frame_summary,
    deductions_frame,
    penalty_table,
)
from osms_defects.deductions.io import summary
from osms_defects.errors import FindingsInputError

CODES = ["1.1", "3.4", "12.3", "6.3", "14.0", "2.1", "3.1", "3.3", "4.0", "5.2", "5.4", "6.1", "6.12", "7.1", "8.1", "8.2",
         "9.0", "10.0", "11.0", "12.0", "5.0", "1.2", "99.9", " 5.2. ", ""]  # fmt: skip
CARES = [c.value for c in od.CareType] + ["dentistry", "", "phc_capitation", "inpatient_case_group", "inpatient_bed_day",
                                          "emergency_1_4"]  # fmt: skip
KINDS = ["current", "unplanned", "proactive", "targeted", "mortality", "проактивный", "Proactive",
         "sometimes", ""]  # fmt: skip
# the 2022 edition, before it, unreadable dates, a gap in the data (2024-06-01), the 2026 edition
DATES = ["2022-10-16", "2023-05-15", "2024-01-13", "2020-01-01", "2023-13-01", "2023-5-1", "",
         "2024-06-01", "2026-05-04", "2026-03-13", "2026-03-14",
         "9999-12-31", "0001-01-01", "2019-12-31"]  # implausible (issue 18)  # fmt: skip


@st.composite
def amount(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["tiyn"] * 6 + ["tie", "bad"]))
    if kind == "tiyn":
        t = draw(st.integers(0, 10**11))
        return f"{t // 100}.{t % 100:02d}"
    if kind == "tie":  # odd tiyn ending in 5: factor 0.5 or 0.3 lands on half a tiyn
        t = draw(st.integers(0, 10**6)) * 10 + 5
        return f"{t // 100}.{t % 100:02d}"
    return draw(st.sampled_from(
        ["", "0", "0.00", "-1.00", "abc", "1.005", "1.500", "1e3", "12", " 7.1 ", "NaN",
         "1" + "0" * 18, "999999999999999999.99"]
    ))  # fmt: skip


@st.composite
def finding_row(draw: st.DrawFn) -> dict[str, Any]:
    return {
        # repeated ids (issue 18: later occurrences are duplicate_finding errors in both
        # paths), also with whitespace Python strips and polars' default does not (\x1c)
        "finding_id": draw(st.one_of(
            st.integers(1, 10**6).map(str),
            st.sampled_from(["F1", " F1 ", "F1\u3000", "\x1cF1", "F2", "", "  "]),
        )),
        "provider_id": draw(st.sampled_from(["P1", "P2", ""])),
        "case_id": draw(st.sampled_from(["A", "B", "C", ""])),
        "code": draw(st.sampled_from(CODES)),
        "care_type": draw(st.sampled_from(CARES)),
        "base_amount": draw(amount()),
        "documented_amount": draw(amount()),
        "monitoring_kind": draw(st.sampled_from(KINDS)),
        "detected_on": draw(st.sampled_from(DATES)),
        "conclusion_signed_on": draw(
            st.sampled_from(["", "2023-05-20", "2023-11-01", "2026-12-01", "bad", "9999-12-31"])
        ),
        "defect_class": draw(st.sampled_from(
            ["", "", "", "general", "potential", "additional", "Общие", "дополнительный",
             "bogus"]
        )),  # п. 11 (ред. 2026), reading D10; an error under 2022
        "extra": "x",
    }


_RESOLVERS: dict[tuple[str | None, bool], Any] = {}


def _resolvers(reading: str | None, doubtful: bool) -> Any:
    from osms_defects.deductions import Resolver

    key = (reading, doubtful)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = Resolver(od.load_classifier(), accept_reading=reading,
                                   accept_doubtful=doubtful)  # fmt: skip
    return _RESOLVERS[key]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(finding_row(), min_size=1, max_size=40),
    policy=st.sampled_from(["each", "max_per_case"]),
    unremedied=st.booleans(),
    options=st.sampled_from([(None, False), ("KPN", True), ("PN", False), ("KT", True)]),
)
def test_columnar_equals_scalar(
    rows: list[dict[str, Any]], policy: str, unremedied: bool, options: tuple[str | None, bool]
) -> None:
    """Both paths, every input column including defect_class (D10), under the 2026 options
    accept_reading / accept_doubtful (E3, E4)."""
    from osms_defects.deductions import Resolver

    res = _resolvers(*options)
    assert isinstance(res, Resolver)
    df = pl.DataFrame(rows, schema={k: pl.String for k in rows[0]})
    got = deduct_frame(df, res, case_policy=policy, unremedied=unremedied)  # type: ignore[arg-type]
    assert got.columns == [*df.columns, *RESULT_COLUMNS]
    assert got.select(df.columns).equals(df)  # carried through untouched
    want = deductions_frame(list(deduct_many(rows, res, case_policy=policy, unremedied=unremedied)))  # type: ignore[arg-type]
    assert got.select(RESULT_COLUMNS).to_dicts() == want.to_dicts()
    # the CLI's summary, counted from integer tiyn, equals the summary of the text output
    same, counted = deduct_frame_summary(df, res, case_policy=policy, unremedied=unremedied)  # type: ignore[arg-type]
    assert same.equals(got)
    assert counted == summary(got)


@given(t=st.integers(1, 10**15), code_care=st.sampled_from(
    [("10.0", "tuberculosis"), ("6.1", "inpatient"), ("5.2", "inpatient"), ("8.2", "emergency")]))  # fmt: skip
@settings(max_examples=80, deadline=None)
def test_tiyn_arithmetic_equals_decimal(t: int, code_care: tuple[str, str]) -> None:
    base = f"{t // 100}.{t % 100:02d}"
    row = {"code": code_care[0], "care_type": code_care[1], "base_amount": base,
           "monitoring_kind": "current", "detected_on": "2023-05-15"}  # fmt: skip
    got = deduct_frame(pl.DataFrame([row])).get_column("amount")[0]
    (d,) = deduct_many([row])
    assert got == str(d.amount)
    assert d.factor is not None
    assert Decimal(got) == (d.factor * Decimal(base)).quantize(Decimal("0.01"), "ROUND_HALF_UP")


def test_penalty_table_has_every_cell(clf: od.Classifier) -> None:
    table = penalty_table(clf)
    n_cells = sum(len(ed.defects) * len(ed.care_types) for ed in clf.editions)
    assert table.height == n_cells
    priced = table.filter(pl.col("error_kind").is_null() & (pl.col("basis") != "NONE"))
    assert priced.get_column("num").min() > 0  # type: ignore[operator]


def test_float_money_column_is_refused() -> None:
    df = pl.DataFrame({"code": ["5.2"], "care_type": ["inpatient"], "base_amount": [1.5],
                       "monitoring_kind": ["current"], "detected_on": ["2023-05-15"]})  # fmt: skip
    with pytest.raises(FindingsInputError, match="never a float"):
        deduct_frame(df)


def test_missing_and_clashing_columns() -> None:
    with pytest.raises(FindingsInputError, match="required column"):
        deduct_frame(pl.DataFrame({"code": ["5.2"]}))
    df = pl.DataFrame({c: ["x"] for c in ["code", "care_type", "base_amount", "monitoring_kind",
                                           "detected_on", "status"]})  # fmt: skip
    with pytest.raises(FindingsInputError, match="result column"):
        deduct_frame(df)


def test_typed_columns_are_read_as_text() -> None:
    import datetime as dt

    df = pl.DataFrame({"code": ["5.2"], "care_type": ["inpatient"],
                       "base_amount": pl.Series([Decimal("10.05")], dtype=pl.Decimal(12, 2)),
                       "monitoring_kind": ["current"], "detected_on": [dt.date(2023, 5, 15)]})  # fmt: skip
    out = deduct_frame(df)
    assert out.get_column("amount").to_list() == ["30.15"]  # 3 × 10.05, Прил. 1 код 5.0 гр. 6


def test_arrow_and_pandas_inputs() -> None:
    pa = pytest.importorskip("pyarrow")
    pd = pytest.importorskip("pandas")
    cols = {"code": ["5.2"], "care_type": ["inpatient"], "base_amount": ["10.05"],
            "monitoring_kind": ["current"], "detected_on": ["2023-05-15"]}  # fmt: skip
    for table in (pa.table(cols), pd.DataFrame(cols), cols):
        # Прил. 1 код 5.2 гр. 6 «300%»: 3 × 10.05 = 30.15
        assert deduct_frame(table).get_column("amount").to_list() == ["30.15"]


@pytest.mark.parametrize(
    ("reading", "doubtful"), [(None, False), ("KPN", True), ("PN", False), ("COST", True)]
)
def test_2026_every_cell_both_paths_with_reading_options(
    clf: od.Classifier, reading: str | None, doubtful: bool
) -> None:
    """Every (code, care type) of the 2026 edition, under the options for its doubtful and
    two-reading cells (readings E3, E4): the columnar path equals the scalar path."""
    from osms_defects.deductions import Resolver

    ed = clf.edition(id="2026")
    res = Resolver(clf, accept_reading=reading, accept_doubtful=doubtful)
    rows = [
        {"code": d.id, "care_type": c.id, "base_amount": "1000.05", "monitoring_kind": "current",
         "detected_on": "2026-05-04"}
        for d in ed.defects for c in ed.care_types
    ]  # fmt: skip
    want = deductions_frame(list(deduct_many(rows, res)))
    got = deduct_frame(pl.DataFrame(rows), res).select(RESULT_COLUMNS)
    assert got.to_dicts() == want.to_dicts()
    errors = set(
        want.filter(pl.col("status") == "error").get_column("error").str.split(":").list.first()
    )
    if reading == "KPN":
        assert "reading_required" not in errors or "[E4: KPN]" in "".join(
            want.get_column("reference")
        )
        assert any("[E4: KPN]" in r for r in want.get_column("reference"))
    if reading is None and not doubtful:
        assert {"reading_required", "doubtful_cell"} <= errors


def test_python_whitespace_set_is_what_str_strip_removes() -> None:
    from osms_defects.deductions.frame import PY_WHITESPACE

    assert set(PY_WHITESPACE) == {chr(i) for i in range(0x110000) if chr(i).isspace()}
