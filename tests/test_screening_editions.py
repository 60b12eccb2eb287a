"""Screening under the edition in force on the detection date (R4, reading S7).

Hand-worked from Прил. 1 in the edition of order No. 19 of 27.02.2026 (shared/sources/
monitoring-rules_2026-02-27.ru.txt, lines 343–420) and from Прил. 1 of 2022 (ҚР ДСМ-105);
expected values come from those texts and the calendar's holidays, not from the code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from osms_defects.classifier import load_classifier
from osms_defects.cli import main
from osms_defects.errors import DataFileError, NoEditionError, ScreeningEditionError
from osms_defects.screening import REGISTER_COLUMNS, load_rules, screen, screen_file, to_findings
from osms_defects.screening.rules import EditionRules

from .conftest import REPO
from .screening_reference import D2022, D2026

REGISTER = REPO / "examples" / "register.csv"
RULES = REPO / "data" / "screening.yaml"


def rec(rid: str, kind: str, patient: str = "P1", provider: str = "A", **kw: Any) -> dict[str, Any]:
    r: dict[str, Any] = dict.fromkeys(REGISTER_COLUMNS)
    r.update(record_id=rid, record_type=kind, patient_id=patient, provider_id=provider, **kw)
    return r


def frame(recs: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(recs, schema=dict.fromkeys(REGISTER_COLUMNS, pl.String))


def hits(df: pl.DataFrame, on: dt.date, rules: Any = None) -> pl.DataFrame:
    res = screen(df, rules, detected_on=on)
    assert res.errors.height == 0, res.errors
    return res.defects


# ------------------------------------------------------------------ 7.0 (2026): 15 working days
def kdu(rid: str, service: str) -> dict[str, Any]:
    return rec(rid, "service", service_code="K01", referred_on="2026-03-02", service_date=service)


# Referral Monday 2 March 2026. Working days after it (Kazakhstan calendar): 3, 4, 5, 6 March
# (1–4); 7–8 weekend; Monday 9 March off (8 March, a Sunday, moves to Monday); 10–13 (5–8);
# 16–20 (9–13); 21–22 weekend; 23–25 March off (Nauryz 21–23 falls partly on the weekend, the
# days move to Tue–Wed); 26 (14), 27 (15); 28–29 weekend; Monday 30 March is the 16th.
# Прил. 1 (2026), код 7.0 «Длительность ожидания услуг более 15 рабочих дней»: 15 on time,
# 16 a long wait.
@pytest.mark.parametrize(
    ("service", "late"),
    [
        ("2026-03-18", False),  # 11th working day: late under 2022's 7.1 (>10), not under 7.0
        ("2026-03-26", False),  # 14th, right after the Nauryz days off
        ("2026-03-27", False),  # 15th working day: on time
        ("2026-03-28", False),  # Saturday after the 15th: still 15 waited
        ("2026-03-30", True),  # 16th working day: a long wait
    ],
)
def test_code_7_0_fifteen_working_days_across_2026_holidays(service: str, late: bool) -> None:
    d = hits(frame([kdu("S1", service)]), D2026)
    got = d.filter(pl.col("rule") == "long_wait_kdu")
    assert got.height == int(late)
    if late:
        row = got.row(0, named=True)
        assert row["code"] == "7.0" and row["workdays"] == 16 and row["edition"] == "2026"
        assert "более 15 рабочих дней" in row["reference"]
        assert row["detected_on"] == D2026


def test_the_same_wait_is_7_1_under_2022_at_ten_working_days() -> None:
    """Прил. 1 (2022), код 7.1 «… более 10 рабочих дней»: referral Wednesday 1 March 2023, 8 March
    (Wednesday) off; working days 2, 3 (1–2), 6, 7 (3–4), 9, 10 (5–6), 13–16 (7–10): the service
    on Friday 17 March is the 11th — late under 2022; the same 11 days are on time under 2026."""
    df = frame([rec("S1", "service", service_code="K01", referred_on="2023-03-01", service_date="2023-03-17")])
    d22 = hits(df, D2022).filter(pl.col("rule") == "long_wait_kdu")
    assert d22["code"].to_list() == ["7.1"] and d22["workdays"].to_list() == [11]
    assert hits(df, D2026).filter(pl.col("rule") == "long_wait_kdu").height == 0


# ------------------------------------------------------------------ 5.1 (2026), not 5.2
def test_duplicate_service_suggests_5_1_under_2026_never_5_2() -> None:
    """2026: 5.1 «Включение в счет-реестр на оплату неподтвержденных случаев медицинских услуг
    (помощи), ЛС и МИ»; 5.2 there is «Прикрепление к другой организации ПМСП без уведомления и
    согласия …» — a different defect. 2022: 5.2 «… неподтвержденных случаев медицинской услуги»."""
    df = frame([rec(f"S{i}", "service", service_code="X", service_date="2026-04-01") for i in (1, 2)])
    d26 = hits(df, D2026)
    assert d26["code"].to_list() == ["5.1", "5.1"]
    assert all("код 5.1" in r and "ЛС и МИ" in r for r in d26["reference"])
    assert hits(df, D2022)["code"].to_list() == ["5.2", "5.2"]
    name_52 = load_classifier().edition(id="2026").row("5.2").name_ru
    assert "Прикрепление" in name_52  # why 5.2 would be wrong under 2026


def test_pcr_and_readmission_keep_their_codes_under_2026() -> None:
    """2026: 3.1 «Необоснованное увеличение количества проведения лечебных и диагностических
    услуг» and 4.0 «Необоснованная повторная госпитализация (30 календарных дней …), кроме
    поставщиков, оказывающих услуги паллиативной медицинской помощи» (ru.txt:356, 360)."""
    pcr = [rec(f"T{i}", "service", service_code="PCR-COVID19", service_date=f"2026-04-0{i}") for i in (1, 2, 3)]
    stays = [
        rec("H1", "hospitalization", admitted_on="2026-04-01", discharged_on="2026-04-05"),
        rec("H2", "hospitalization", admitted_on="2026-05-05", discharged_on="2026-05-06"),  # day 30
    ]
    d = hits(frame(pcr + stays), D2026)
    assert dict(zip(d["rule"], d["code"], strict=True)) == {
        "repeat_hospitalization": "4.0",
        "pcr_over_limit": "3.1",
    }
    ref = d.filter(pl.col("rule") == "repeat_hospitalization")["reference"][0]
    assert "паллиативной медицинской помощи" in ref


def test_readmission_by_a_listed_palliative_provider_is_not_flagged_under_2026() -> None:
    """2026, код 4.0 «…, кроме поставщиков, оказывающих услуги паллиативной медицинской помощи»:
    the Fund lists them (exempt_provider_ids); a readmission BY such a provider is not flagged,
    one by another provider after a stay there is."""
    base = load_rules().in_force(D2026)
    p = base.get("repeat_hospitalization").model_copy(update={"exempt_provider_ids": ("PALL",)})
    rules = EditionRules(**{**_fields(base), "rules": {**base.rules, "repeat_hospitalization": p}})
    df = frame(
        [
            rec("H1", "hospitalization", provider="A", admitted_on="2026-04-01", discharged_on="2026-04-05"),
            rec("H2", "hospitalization", provider="PALL", admitted_on="2026-04-10", discharged_on="2026-04-20"),
            rec("H3", "hospitalization", provider="B", admitted_on="2026-04-25", discharged_on="2026-04-26"),
        ]
    )
    d = hits(df, D2026, rules).filter(pl.col("rule") == "repeat_hospitalization")
    assert d["record_id"].to_list() == ["H3"] and d["evidence_ids"].to_list() == ["H2"]


def _fields(r: EditionRules) -> dict[str, Any]:
    return {k: getattr(r, k) for k in r.__slots__}  # type: ignore[attr-defined]


# ------------------------------------------------------------------ 6.12 and 2.3: not in 2026
def test_repeat_call_and_late_death_are_not_run_under_2026_and_it_is_said() -> None:
    """2026's Annex 1 has no 6.12 (group 6 ends at 6.4) and no 2.3 (2.0 sets no 10-day term):
    the two rules do not run, the result lists them with their reasons, never silently."""
    recs = [
        rec("C1", "emergency_call", call_at="2026-05-01T08:00"),
        rec("C2", "emergency_call", call_at="2026-05-01T09:00"),  # 1 h later: 6.12 in 2022
        rec("D1", "death", died_on="2026-05-01", death_registered_on="2026-05-20"),  # 19 days
    ]
    res = screen(frame(recs), detected_on=D2026)
    assert res.defects.height == 0
    assert {n.rule for n in res.not_applicable} == {"repeat_emergency_call", "late_death_registration"}
    reasons = {n.rule: n.reason for n in res.not_applicable}
    assert "6.12" in reasons["repeat_emergency_call"]
    assert "2.3" in reasons["late_death_registration"] and "10" in reasons["late_death_registration"]
    s = res.by_rule().filter(pl.col("status") == "not_applicable")
    assert s["rule"].to_list() == ["repeat_emergency_call", "late_death_registration"]
    assert s["code"].null_count() == 2 and s["potential_defects"].null_count() == 2
    # the same records under 2022: both codes flagged
    d22 = screen(frame(recs), detected_on=D2022)
    assert sorted(d22.defects["code"].to_list()) == ["2.3", "6.12"] and not d22.not_applicable


def test_cli_summary_states_the_date_the_edition_and_the_rules_not_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "o.csv"
    assert main(["screen", str(REGISTER), "-o", str(out), "--detected-on", "2026-06-01"]) == 0
    err = capsys.readouterr().err
    assert "detection date 2026-06-01 (given): classifier edition 2026" in err
    assert "repeat_emergency_call    NOT RUN: edition 2026 has no code" in err
    assert "late_death_registration  NOT RUN" in err
    d = pl.read_csv(out, infer_schema=False)
    assert set(d["edition"]) == {"2026"} and set(d["detected_on"]) == {"2026-06-01"}
    assert main(["screen", str(REGISTER), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    today = dt.date.today()
    assert f"detection date {today.isoformat()} (today's date; --detected-on to change)" in err


def test_default_detection_date_is_today() -> None:
    res = screen(REGISTER)
    today = dt.date.today()
    assert res.detected_on == today
    assert res.edition == load_classifier().edition(on=today).id


# ------------------------------------------------------------------ dates no edition covers
@pytest.mark.parametrize("gap", [dt.date(2024, 1, 14), dt.date(2025, 6, 1), dt.date(2025, 7, 31)])
def test_a_date_no_edition_covers_is_an_error(gap: dt.date, tmp_path: Path) -> None:
    """2024-01-14 … 2025-07-31 (the day before order No. 68 came into force): orders No. 174
    and 103, whose tables are not in the sources — never a neighbour's codes."""
    with pytest.raises(NoEditionError):
        screen(REGISTER, detected_on=gap)
    with pytest.raises(NoEditionError):
        screen_file(REGISTER, tmp_path / "o.csv", shards=2, detected_on=gap)
    assert main(["screen", str(REGISTER), "--detected-on", gap.isoformat()]) == 2


def test_bad_detection_date_text_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["screen", str(REGISTER), "--detected-on", "01.06.2026"])
    assert exc.value.code == 2
    assert "not a date YYYY-MM-DD" in capsys.readouterr().err


# ------------------------------------------------------------------ sharded and to_findings
def test_sharded_under_2026_equals_screen(tmp_path: Path) -> None:
    got = screen_file(REGISTER, tmp_path / "o.parquet", shards=3, detected_on=D2026)
    ref = screen(REGISTER, detected_on=D2026)
    assert pl.read_parquet(tmp_path / "o.parquet").equals(ref.defects)
    assert got.by_rule().equals(ref.by_rule()) and got.not_applicable == ref.not_applicable


def test_findings_take_the_rows_detection_date_and_refuse_another_edition() -> None:
    """R4: a finding is deducted under the edition in force on its detection date; a 2026 row's
    code 5.1 under a 2023 date would be read as 2022's 5.1 (visits, bed-days)."""
    res = screen(REGISTER, detected_on=D2026)
    dup = res.defects.filter(pl.col("rule") == "duplicate_service")
    f = to_findings(dup)
    assert set(f["detected_on"]) == {"2026-06-01"} and set(f["code"]) == {"5.1"}
    assert set(f["defect_class"]) == {"potential"}  # п. 11, пп. 2), п. 13 (2026)
    later = to_findings(dup, detected_on=dt.date(2026, 7, 1))  # same edition: allowed
    assert set(later["detected_on"]) == {"2026-07-01"}
    with pytest.raises(ScreeningEditionError, match=r"edition 2022-10-16.*another edition"):
        to_findings(dup, detected_on=dt.date(2023, 4, 1))
    with pytest.raises(ScreeningEditionError, match="give detected_on"):
        to_findings(dup.drop("edition", "detected_on"))
    f22 = to_findings(screen(REGISTER, detected_on=D2022).defects)
    assert f22["defect_class"].null_count() == f22.height  # no classes in the 2022 Rules (D10)


# ------------------------------------------------------------------ rules-file validation
def _edit(tmp_path: Path, old: str, new: str) -> Path:
    text = RULES.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "fund.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, after: str = "") -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines[start:], start + 1) if needle in line)


def test_unknown_edition_id_names_file_line_rule_and_edition(tmp_path: Path) -> None:
    path = _edit(tmp_path, '      "2026":\n        code: "7.0"', '      "2025":\n        code: "7.0"')
    with pytest.raises(DataFileError) as exc:
        load_rules(path)
    msg = str(exc.value)
    # the entry's first line (the YAML loader locates a mapping by its first key)
    line = _line_of(path, 'code: "7.0"', after='"2025":')
    assert f"fund.yaml:{line}" in msg
    assert "rule long_wait_kdu: edition '2025' is not an edition id" in msg


def test_alias_instead_of_id_is_refused_with_the_id(tmp_path: Path) -> None:
    path = _edit(tmp_path, '      "2026":\n        code: "7.0"', '      "2026-02-27":\n        code: "7.0"')
    with pytest.raises(DataFileError, match="write its id '2026'"):
        load_rules(path)


def test_code_not_in_the_edition_names_rule_edition_and_code(tmp_path: Path) -> None:
    """6.12 does not exist in Annex 1 of order No. 68 (the first entry of long_wait_kdu)."""
    path = _edit(tmp_path, '        code: "7.0"', '        code: "6.12"')
    with pytest.raises(DataFileError) as exc:
        load_rules(path)
    msg = str(exc.value)
    line = _line_of(path, 'code: "6.12"', after="long_wait_kdu:")
    assert f"fund.yaml:{line}" in msg
    assert "rule long_wait_kdu, edition 2025-08-01: code 6.12 is not a code of that edition" in msg


def test_missing_edition_parameter_and_reasonless_null_are_errors(tmp_path: Path) -> None:
    path = _edit(tmp_path, "        max_workdays: 15\n", "")
    with pytest.raises(DataFileError, match=r"long_wait_kdu.*2025-08-01.*max_workdays"):
        load_rules(path)
    path = _edit(tmp_path, '        code: "2.3"', "        code: null")
    with pytest.raises(DataFileError, match="code: null needs a reason"):
        load_rules(path)


def test_version_1_file_is_refused_with_how_to_update(tmp_path: Path) -> None:
    path = _edit(tmp_path, "version: 2", "version: 1")
    with pytest.raises(DataFileError, match=r"version 1 .* no longer read"):
        load_rules(path)


def test_rule_silent_on_the_edition_in_force_is_an_error_at_screening(tmp_path: Path) -> None:
    text = RULES.read_text(encoding="utf-8")
    start = text.index('      "2026":\n        code: null\n        reason: >-\n          Прил. 1 (ред. приказа № 19 от 27.02.2026) has no code for a repeat')
    end = text.index("  late_death_registration:")
    path = tmp_path / "fund.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    rules = load_rules(path)
    assert screen(REGISTER, rules, detected_on=D2022).defects.height == 7
    with pytest.raises(ScreeningEditionError, match="repeat_emergency_call says nothing for classifier edition 2026"):
        screen(REGISTER, rules, detected_on=D2026)
