"""Tests that kill the mutants of ``deductions/engine.py`` a mutation sample found alive
(issue 18; docs/testing.md, tools/mutation_sample.py): each pins a message or a branch that no
other test looked at."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

import osms_defects as od
from osms_defects.deductions import engine
from osms_defects.deductions.plan import kinds_reference

GRAMMAR = "a decimal number of tenge with a decimal point and at most two decimals, e.g. 12345.67"
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


# ---- the second sample (docs/testing.md): references, the fast path, messages in full -------


def test_references_of_the_2026_edition_by_class() -> None:
    """п. 10 (the ground of a deduction) and п. 11–14 (the classes) of the Rules as rewritten
    by order No. 68; Прил. 1 (ред. 2026), код 5.2, гр. 4, «100 КПН/ПН» read as КПН (E4):
    100 × 1487.35 = 148735.00."""
    from osms_defects.deductions.engine import Resolver

    res = Resolver(od.load_classifier(), accept_reading="KPN")
    rows = [{"code": "5.2", "care_type": "phc_capitation", "base_amount": "1487.35",
             "monitoring_kind": "current", "detected_on": "2026-06-01", "defect_class": c}
            for c in ("", "potential", "additional", "general")]  # fmt: skip
    ds = list(od.deduct_many(rows, res))
    head = "Прил. 1, код 5.2 (сумма группы 5.0), гр. 4 [E4: KPN]; п. 10 Правил в ред. приказа № 68; "
    assert [d.reference for d in ds] == [
        head + "п. 11 Правил в ред. приказа № 68: тип выявления не указан, удержание по таблице (D10)",
        head + "п. 13 Правил в ред. приказа № 68 (потенциальный дефект)",
        head + "п. 14 Правил в ред. приказа № 68 (дополнительный дефект)",
        head + "п. 12 Правил в ред. приказа № 68 (общий дефект: «Применение общих дефектов и "
        "нарушений не влияет на уменьшение суммы, подлежащей оплате»)",
    ]
    assert [str(d.amount) for d in ds] == ["148735.00"] * 3 + ["0.00"]


def test_unremedied_reference() -> None:
    # п. 59: a proactive finding not remedied deducts as under current monitoring
    d = next(iter(od.deduct_many(
        [{**ROW, "code": "6.1", "monitoring_kind": "proactive", "conclusion_signed_on": "2023-05-05"}],
        unremedied=True,
    )))  # fmt: skip
    assert d.reference == (
        "Прил. 1, код 6.1 (сумма группы 6.0), гр. 6; п. 54; п. 58; п. 59 (не устранено: как при "
        "текущем мониторинге); п. 12, 30"
    )


def test_the_fast_path_is_taken_for_a_planned_finding() -> None:
    from osms_defects.deductions.engine import Resolver, _fast

    res = Resolver(od.load_classifier())
    f = od.Finding(code="5.2", care_type="inpatient", base_amount="1000.00",
                   detected_on=dt.date(2023, 5, 3))  # fmt: skip
    assert _fast(f, res, False, 1) is None  # no plan yet
    slow = od.deduct(f, res)
    fast = _fast(f, res, False, 1)
    assert fast is not None and fast._replace(row=None) == slow
    assert fast.amount == od.deduct(f, res).amount == Decimal("3000.00")


def test_whole_messages_of_dates_and_duplicates() -> None:
    d = _one(conclusion_signed_on="0001-01-01")
    assert (d.error_message or "").startswith("conclusion_signed_on 0001-01-01 is not a plausible date")
    _, second = od.deduct_many([{**ROW, "finding_id": "F9"}, {**ROW, "finding_id": "F9"}])
    assert second.error_message == (
        "finding_id F9 was already given in row 1: a finding is deducted once; the first "
        "occurrence is computed, this row is not (remove the repeat or give it its own finding_id)"
    )


def test_whole_messages_of_kind_class_and_signing() -> None:
    d = _one(monitoring_kind="proactive", detected_on="2026-06-01")
    assert d.error_message == (
        "monitoring kind proactive (проактивный) is not a kind of monitoring of the Rules in "
        "force with classifier edition 2026; allowed: current (текущий), unplanned "
        "(внеплановый) (п. 4 Правил; reading D9)"
    )
    d = _one(defect_class="potential")
    assert d.error_message == (
        "defect_class potential (потенциальные) is not a class of defects of the Rules in force "
        "with classifier edition 2022-10-16: the classes общие / потенциальные / дополнительные "
        "are those of п. 11 Правил в ред. приказа № 68 (order-68_2025-07-18.ru.txt:129) "
        "(edition 2025-08-01); п. 11 Правил в ред. приказа № 68 "
        "(monitoring-rules_2026-02-27.ru.txt:125) (edition 2026); leave defect_class empty for "
        "this date (reading D10)"
    )
    d = _one(code="6.1", monitoring_kind="proactive")
    assert d.error_message == (
        "conclusion_signed_on is missing: a proactive finding outside the exempt groups (п. 54) "
        "deducts nothing and must be remedied within the term of п. 58 from the signing of the "
        "conclusion; give the date as YYYY-MM-DD"
    )


def test_a_row_s_signing_date_gives_the_remedy_date() -> None:
    # п. 58: 45 calendar days from the day after signing (C1): 2023-05-05 + 45 = 2023-06-19, a
    # Monday and a working day
    d = _one(code="6.1", monitoring_kind="proactive", conclusion_signed_on="2023-05-05")
    assert d.status is od.Status.WARNING and d.remedy_due == dt.date(2023, 6, 19)


def test_an_edition_without_procedure_data_is_a_located_data_error() -> None:
    from osms_defects.errors import DataFileError

    with pytest.raises(DataFileError) as info:
        kinds_reference("1999")
    assert info.value.problems[0].location == "data/procedure.yaml"
    assert "'1999' has no entry" in info.value.problems[0].message


def test_doubtful_cells_are_refused_by_default() -> None:
    """Reading E3: a cell the secondary copy of the 2026 table is not sure of is refused unless
    the caller accepts it (Прил. 1 ред. 2026, код 6.3 prints 7 cells for 8 columns)."""
    from osms_defects.deductions.engine import Resolver

    row = {**ROW, "code": "6.3", "care_type": "rail_medical_train", "base_amount": "2500.00",
           "detected_on": "2026-06-01"}  # fmt: skip
    clf = od.load_classifier()
    assert Resolver(clf).accept_doubtful is False
    assert next(iter(od.deduct_many([row], Resolver(clf)))).error_kind is od.ErrorKind.DOUBTFUL_CELL
    assert next(iter(od.deduct_many([row]))).error_kind is od.ErrorKind.DOUBTFUL_CELL
    accepted = next(iter(od.deduct_many([row], Resolver(clf, accept_doubtful=True))))
    assert accepted.error_kind is not od.ErrorKind.DOUBTFUL_CELL


def test_not_a_finding_messages() -> None:
    from osms_defects.errors import DataFileError

    with pytest.raises(od.FindingError) as info:
        od.deduct(None)  # type: ignore[arg-type]
    assert str(info.value) == (
        "deduct() takes a Finding (od.Finding(code=..., care_type=..., detected_on=..., "
        "base_amount=...)) or, for deduct_many, a mapping of column → text; got NoneType None"
    )
    with pytest.raises(DataFileError) as err:
        kinds_reference("1999")
    assert err.value.file == "procedure.yaml"


def test_unreadable_dates_and_the_cache_key_has_the_date() -> None:
    assert _one(detected_on="2023-13-01").error_message == (
        "detected_on '2023-13-01' is not a date; write it as YYYY-MM-DD"
    )
    assert _one(conclusion_signed_on="5.5.2023").error_message == (
        "conclusion_signed_on '5.5.2023' is not a date; write it as YYYY-MM-DD"
    )
    # two rows that differ only in the date: the second must not reuse the first's parse
    # (reading R4: 2021-06-01 has no edition in force)
    a, b = od.deduct_many([ROW, {**ROW, "detected_on": "2021-06-01"}])
    assert a.status is od.Status.DEDUCTED and b.error_kind is od.ErrorKind.NO_EDITION


def test_the_resolver_caches_remedy_dates() -> None:
    from osms_defects.deductions.engine import Resolver

    res = Resolver(od.load_classifier())
    signed = dt.date(2023, 5, 5)
    # п. 58, C1: 2023-05-05 + 45 calendar days = 2023-06-19 (a working Monday)
    assert res.remedy_due(signed) == res.remedy_due(signed) == dt.date(2023, 6, 19)
    assert res.remedy_due(dt.date(2099, 1, 1)) is None  # outside the calendar: the general path says so


def test_code_11_names_the_documented_amount() -> None:
    """Прил. 1, код 11.0: the patient's documented expenses are the base (reading R3), and
    the error names that field, not base_amount."""
    row = {**ROW, "code": "11.0"}
    missing, bad, ok = od.deduct_many(
        [row, {**row, "documented_amount": "12,5"}, {**row, "documented_amount": "12500.00"}]
    )
    assert missing.error == f"base_missing: documented_amount is missing; {GRAMMAR}"
    comma_hint = (
        "; a decimal comma is read only in a file separated by ';' or tabs (as Excel saves it "
        "in a Russian or Kazakh locale), and never with three decimals (1,487 could be 1487 "
        "or 1.487)"
    )
    assert bad.error == (
        f"base_not_a_number: documented_amount '12,5' is not a number; {GRAMMAR}{comma_hint}"
    )
    assert ok.amount == Decimal("12500.00")  # 1 × 12500.00, in full


def test_messages_of_floats_exemptions_and_the_case_policy() -> None:
    from osms_defects.errors import DataFileError

    # money is never a float, also in a row of values (D6)
    d = _one(base_amount=1000.0)
    assert d.error == f"base_not_a_number: base_amount '1000.0' is not a number; {GRAMMAR}"
    engine._PARSED.clear()
    d = _one(code=5.2)
    assert d.error == "invalid_field: code: a float 5.2 is not allowed; give text"
    # п. 54: group 5.0 deducts under proactive monitoring, the exemption is cited
    d = _one(monitoring_kind="proactive", conclusion_signed_on="2023-05-05")
    assert d.reference == "Прил. 1, код 5.2 (сумма группы 5.0), гр. 6; п. 54 (исключение: группа 5.0); п. 12, 30"
    # D3: max_per_case keeps the first of equal amounts and says so on the other
    kept, other = od.deduct_many([{**ROW, "case_id": "K", "code": "5.1"}, {**ROW, "case_id": "K"}],
                                 case_policy="max_per_case")  # fmt: skip
    assert kept.status is od.Status.DEDUCTED and other.status is od.Status.RECORDED
    assert other.note == (
        "case K: only the largest deduction of the case is kept (row 1, 3000.00); this finding "
        "would deduct 3000.00"
    )
    with pytest.raises(DataFileError) as info:
        kinds_reference("1999")
    from osms_defects.deadlines.procedure import load_procedure

    described = ", ".join(e.id for e in load_procedure().editions)
    assert info.value.problems[0].message == (
        "classifier edition '1999' has no entry (its kinds of monitoring, terms and deduction "
        f"rules); editions described: {described}"
    )
    assert described.count(", ") >= 1  # at least two editions: the separator is seen


def test_only_the_extended_iso_date_is_a_date() -> None:
    # Python 3.11's date.fromisoformat also reads "20230503" (the basic format); a findings
    # file writes YYYY-MM-DD only
    assert _one(detected_on="20230503").error_message == (
        "detected_on '20230503' is not a date; write it as YYYY-MM-DD"
    )
