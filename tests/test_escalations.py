"""Escalations of unconfirmed cases (п. 19–20 of the 2026 Rules), worked by hand.

МРП 2026 = 4 325 тенге (Закон РК от 8 декабря 2025 года «О республиканском бюджете на 2026–2028
годы»; data/mrp.yaml). 200 МРП = 865 000,00 тенге (п. 19, ru.txt:157); 800 МРП = 3 460 000,00
тенге (п. 20, ru.txt:159). The information is due within ten working days of the signing of the
conclusion (law_enforcement_information), counted from the next day (reading C1), over the
2026 holidays of data/calendar_kz.yaml.

Provider P-A (contract A-2026, 01.01–31.12.2026, not the only provider):
  April: A1 500 000 (signed 20.04) + A2 400 000 (signed 24.04, Fri) = 900 000 > 865 000 — A2
    takes the sum over; 10 wd from 24.04: 27, 28, 29, 30 Apr (4), [1 May holiday], 4, 5, 6 May
    (7), [7 May Defender's Day], 8 May (8), [9 May Sat, moved to Mon 11 May], 12, 13 May (10)
    → due 13.05.2026; as of 15.06.2026: overdue.
  May: A3 300 000 → not reached. A 5.2 row (attachment without consent, 2 000 000) is no
    unconfirmed case (ESC1) and is not counted.
  June: A4 1 000 000 (signed Wed 10.06) > 865 000 → 11, 12 (2), 15–19 (7), 22, 23, 24 (10) →
    due 24.06.2026: due. June is a second month over 200 МРП after April → п. 20 ч. 3:
    grounds for early termination.
  Contract: 500 000 + 400 000 + 300 000 + 1 000 000 = 2 200 000 ≤ 3 460 000 → not reached.
Provider P-B (contract B-2026, the only provider of its territory):
  April: B1 2 000 000 (signed Fri 10.04) → 13–17 (5), 20–24 (10) → due 24.04.2026: overdue.
  May: B2 1 000 000 (signed Fri 15.05) → 18–22 (5), 25, 26 (7), [27 May Курбан айт], 28, 29
    (9), 1 June (10) → due 01.06.2026: overdue; repeated after April → the exception of п. 20
    ч. 3 (sole provider) applies: status sole_provider.
  June: B3 600 000 (signed Fri 05.06) → not reached for the month; the contract: 2 000 000 +
    1 000 000 + 600 000 = 3 600 000 > 3 460 000, taken over by B3 → 8–12 (5), 15–19 (10) → due
    19.06.2026: due (п. 20 ч. 1, the contract still runs on 15.06.2026).
Provider P-C: July 2026 (contract C-2026): C1 of a ПН cell (no cost in the deductions) and C2
  100 000 → the sum 100 000 is under 865 000 but one case has no cost: undetermined.
Rows not counted, each listed: an error row, a row of the 2022 edition (whose text sets no
escalation, п. 49 1)), a row of a provider without a contract.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osms_defects.cli import main
from osms_defects.deadlines import load_procedure
from osms_defects.errors import ReportInputError
from osms_defects.escalations import (
    ContractPeriod,
    Escalation,
    MrpUnknownError,
    escalations,
    escalations_files,
    load_mrp,
)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

HEAD = ("row,provider_id,case_id,code,basis,base_amount,amount,status,edition,detected_on,"
        "conclusion_signed_on,error\n")
ROWS = [
    "1,P-A,A1,5.1,COST,500000.00,1500000.00,deducted,2026,2026-04-06,2026-04-20,",
    "2,P-A,A2,5.1,COST,400000.00,1200000.00,deducted,2026,2026-04-13,2026-04-24,",
    "3,P-A,A3,5.1,COST,300000.00,900000.00,deducted,2026,2026-05-05,2026-05-20,",
    "4,P-A,A5,5.2,COST,2000000.00,6000000.00,deducted,2026,2026-05-06,2026-05-20,",
    "5,P-A,A4,5.1,COST,1000000.00,3000000.00,deducted,2026,2026-06-02,2026-06-10,",
    "6,P-B,B1,5.1,COST,2000000.00,6000000.00,deducted,2026,2026-04-02,2026-04-10,",
    "7,P-B,B2,5.1,COST,1000000.00,3000000.00,deducted,2026,2026-05-04,2026-05-15,",
    "8,P-B,B3,5.1,COST,600000.00,1800000.00,deducted,2026,2026-06-01,2026-06-05,",
    "9,P-C,C1,5.1,PN,312.45,31245.00,deducted,2026,2026-07-01,2026-07-03,",
    "10,P-C,C2,5.1,COST,100000.00,300000.00,deducted,2026,2026-07-01,2026-07-03,",
    "11,P-C,C3,5.1,COST,,,error,2026,2026-07-02,,base_missing: base_amount is missing",
    "12,P-A,OLD1,5.2,COST,287450.00,862350.00,deducted,2022-10-16,2023-05-03,,",
    "13,P-Z,Z1,5.1,COST,10.00,30.00,deducted,2026,2026-04-01,2026-04-02,",
]
CONTRACTS = (
    "provider_id,contract_no,contract_from,contract_to,sole_provider\n"
    "P-A,A-2026,2026-01-01,2026-12-31,false\n"
    "P-B,B-2026,2026-01-01,2026-12-31,true\n"
    "P-C,C-2026,2026-01-01,2026-12-31,\n"
)
AS_OF = dt.date(2026, 6, 15)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    d = tmp_path / "deductions.csv"
    d.write_text(HEAD + "\n".join(ROWS) + "\n", encoding="utf-8")
    c = tmp_path / "contracts.csv"
    c.write_text(CONTRACTS, encoding="utf-8")
    return d, c


def _by(report_items: list, provider: str, rule: str, period: str):  # type: ignore[no-untyped-def,type-arg]
    found = [e for e in report_items if (e.provider_id, e.rule, e.period) == (provider, rule, period)]
    assert len(found) == 1, (provider, rule, period, found)
    return found[0]


def test_hand_worked_example(files: tuple[Path, Path]) -> None:
    r = escalations_files(*files, as_of=AS_OF)
    D = Decimal
    # P-A
    apr = _by(r.items, "P-A", "monthly", "2026-04")
    assert (apr.threshold, apr.total, apr.exceeded) == (D("865000.00"), D("900000.00"), True)
    assert (apr.signed_on, apr.due, apr.status) == (dt.date(2026, 4, 24), dt.date(2026, 5, 13), "overdue")
    assert apr.reference == "п. 19 Правил (ред. 2026)" and apr.mrp == D(4325)
    may = _by(r.items, "P-A", "monthly", "2026-05")
    assert (may.total, may.exceeded, may.due, may.status) == (D("300000.00"), False, None, "not_reached")
    jun = _by(r.items, "P-A", "monthly", "2026-06")
    assert (jun.total, jun.due, jun.status) == (D("1000000.00"), dt.date(2026, 6, 24), "due")
    rep = _by(r.items, "P-A", "repeated", "2026-06")
    assert rep.status == "grounds" and rep.reference == "п. 20 Правил (ч. 3) (ред. 2026)"
    con = _by(r.items, "P-A", "contract", "2026-01-01..2026-12-31")
    assert (con.threshold, con.total, con.status) == (D("3460000.00"), D("2200000.00"), "not_reached")
    # P-B
    b_apr = _by(r.items, "P-B", "monthly", "2026-04")
    assert (b_apr.due, b_apr.status) == (dt.date(2026, 4, 24), "overdue")
    b_may = _by(r.items, "P-B", "monthly", "2026-05")
    assert (b_may.due, b_may.status) == (dt.date(2026, 6, 1), "overdue")
    assert _by(r.items, "P-B", "repeated", "2026-05").status == "sole_provider"
    b_jun = _by(r.items, "P-B", "monthly", "2026-06")
    assert (b_jun.total, b_jun.status) == (D("600000.00"), "not_reached")
    b_con = _by(r.items, "P-B", "contract", "2026-01-01..2026-12-31")
    assert (b_con.total, b_con.exceeded, b_con.signed_on) == (D("3600000.00"), True, dt.date(2026, 6, 5))
    assert (b_con.due, b_con.status) == (dt.date(2026, 6, 19), "due")
    assert b_con.note.startswith("ч. 1")
    assert not [e for e in r.items if e.provider_id == "P-B" and e.rule == "repeated"
                and e.period == "2026-06"]
    # P-C: one case without a cost
    c_jul = _by(r.items, "P-C", "monthly", "2026-07")
    assert (c_jul.total, c_jul.unknown_cost, c_jul.status) == (D("100000.00"), 1, "undetermined")
    # nothing dropped silently
    assert r.rows_read == 13 and r.rows_other_codes == 1
    assert sorted(p.row for p in r.problems) == [11, 12, 13]
    assert "п. 49" in r.editions_without["2022-10-16"]
    assert len(r.flagged()) == 7  # A: Apr, Jun, repeated Jun; B: Apr, May, repeated May, contract


def test_deduction_basis_sums_the_deducted_amounts(files: tuple[Path, Path]) -> None:
    # --sum deduction: P-A May: 900 000 (3 × 300 000, 300 % of the cost) > 865 000; signed Wed
    # 20.05: 21, 22 (2), 25, 26 (4), [27 May Курбан айт], 28, 29 (6), 1–4 June (10) → 04.06.2026
    r = escalations_files(*files, as_of=AS_OF, basis="deduction")
    may = _by(r.items, "P-A", "monthly", "2026-05")
    assert (may.total, may.exceeded, may.due) == (Decimal("900000.00"), True, dt.date(2026, 6, 4))


def test_unverified_year_requires_the_callers_value(files: tuple[Path, Path]) -> None:
    table = load_mrp()
    with pytest.raises(MrpUnknownError, match="--mrp 2022="):
        table.value(2022)
    with pytest.raises(MrpUnknownError, match="--mrp 2031="):
        table.value(2031)
    assert load_mrp(extra={2031: Decimal(5000)}).value(2031) == Decimal(5000)


def test_a_fund_file_replaces_a_year(tmp_path: Path, files: tuple[Path, Path]) -> None:
    f = tmp_path / "mrp.yaml"
    f.write_text('schema_version: 1\nyears:\n  - year: 2026\n    mrp: "5000"\n'
                 '    law: "test"\n', encoding="utf-8")
    r = escalations_files(*files, as_of=AS_OF, mrp=load_mrp(extra_file=f))
    apr = _by(r.items, "P-A", "monthly", "2026-04")
    assert apr.threshold == Decimal("1000000.00") and not apr.exceeded  # 200 × 5 000


def test_every_year_with_a_figure_cites_its_law_and_sources() -> None:
    table = load_mrp()
    for year, y in table.years.items():
        if y.mrp is not None:
            assert y.law and "республиканском бюджете" in y.law, year
            assert len(y.verified_by) >= 2, year
    assert table.value(2025) == Decimal(3932) and table.value(2026) == Decimal(4325)


def test_escalation_quotes_are_verbatim_in_the_rules() -> None:
    import re

    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip()

    checked = 0
    for ed in load_procedure().editions:
        esc = ed.escalations
        assert esc is not None, ed.id
        path = SHARED / ed.source.removeprefix("shared/")
        if not path.exists():
            pytest.skip(f"{path} not available")
        lines = path.read_text(encoding="utf-8").splitlines()
        for rule in esc.rules:
            assert norm(rule.quote) in norm(lines[rule.source_line - 1]), (ed.id, rule.id)
            assert str(rule.multiple) in rule.quote
            checked += 1
        if not esc.rules:
            assert esc.none_quote and esc.none_source_line
            assert norm(esc.none_quote) in norm(lines[esc.none_source_line - 1])
            text = "\n".join(lines)
            assert "расчетного показател" not in text and "правоохранительн" not in text
    assert checked == 6


def test_cli(files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    d, c = files
    code = main(["escalations", str(d), "--contracts", str(c), "--as-of", "2026-06-15"])
    out, err = capsys.readouterr()
    assert code == 1  # rows not counted: said, exit 1
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 7
    first = rows[0]
    assert (first["provider_id"], first["period"], first["threshold"], first["due"],
            first["status"]) == ("P-A", "2026-04", "865000.00", "2026-05-13", "overdue")
    assert "row 13 (P-Z, 5.1): not counted" in err and "edition 2022-10-16" in err


def test_cli_contracts_without_periods(files: tuple[Path, Path],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    d, _ = files
    code = main(["escalations", str(d), "--contracts", str(ROOT / "examples" / "contracts.csv")])
    assert code == 2
    assert "contract_from" in capsys.readouterr().err


def test_no_signing_date_end_of_contract_and_a_year_without_mrp(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # P-D, contract D-2026 ended 30.09.2026; as of 10.11.2026 (after its end: п. 20 ч. 2).
    # Sept: D1 900 000 with no conclusion_signed_on → over 865 000 but the ten days cannot be
    # counted: no_signing_date. Contract: 900 000 + 2 600 000 (Aug, signed Mon 17.08.2026) =
    # 3 500 000 > 3 460 000, taken over by D1 (unsigned: ordered last) → no_signing_date, ч. 2.
    # P-E in 2027 (no МРП in data): refused until the caller gives it; --mrp 2027=5000 →
    # 200 × 5 000 = 1 000 000 ≥ 900 000: not reached.
    d = tmp_path / "d.csv"
    d.write_text(HEAD + "\n".join([
        "1,P-D,D1,5.1,COST,900000.00,2700000.00,deducted,2026,2026-09-07,,",
        "2,P-D,D2,5.1,COST,2600000.00,7800000.00,deducted,2026,2026-08-03,2026-08-17,",
        "3,P-E,E1,5.1,COST,900000.00,2700000.00,deducted,2026,2027-02-01,2027-02-05,",
    ]) + "\n", encoding="utf-8")
    c = tmp_path / "c.csv"
    c.write_text("provider_id,contract_no,contract_from,contract_to\n"
                 "P-D,D-2026,2026-01-01,2026-09-30\nP-E,E-2027,2027-01-01,2027-12-31\n",
                 encoding="utf-8")
    with pytest.raises(MrpUnknownError, match="2027"):
        escalations_files(d, c, as_of=dt.date(2026, 11, 10))
    r = escalations_files(d, c, as_of=dt.date(2026, 11, 10),
                          mrp=load_mrp(extra={2027: Decimal(5000)}))
    sep = _by(r.items, "P-D", "monthly", "2026-09")
    assert (sep.exceeded, sep.status, sep.due) == (True, "no_signing_date", None)
    aug = _by(r.items, "P-D", "monthly", "2026-08")
    # signed Mon 17.08.2026: 18–21 (4), 24–28 (9), 31 (10) → 31.08.2026 — overdue (no holiday:
    # from 2026 the Constitution Day is 15 March, not 30 August; data/calendar_kz.yaml)
    assert (aug.due, aug.status) == (dt.date(2026, 8, 31), "overdue")
    con = _by(r.items, "P-D", "contract", "2026-01-01..2026-09-30")
    assert (con.total, con.status) == (Decimal("3500000.00"), "no_signing_date")
    assert con.note.startswith("ч. 2")
    # Aug and Sep both over 200 МРП: Sep is a repeated month
    assert _by(r.items, "P-D", "repeated", "2026-09").status == "grounds"
    e = _by(r.items, "P-E", "monthly", "2027-02")
    assert (e.threshold, e.exceeded, e.status) == (Decimal("1000000.00"), False, "not_reached")
    assert main(["escalations", str(d), "--contracts", str(c), "--as-of", "2026-11-10",
                 "--mrp", "2027=5000", "--all"]) == 0
    assert main(["escalations", str(d), "--contracts", str(c), "--as-of", "2026-11-10"]) == 2
    assert "--mrp 2027=" in capsys.readouterr().err


# --- a case found in two months; the МРП of a contract over two years; a month over two contracts;
# --- the due day itself; rows that must not be merged or counted ---------------------------------

CONTRACT_2026 = "P-M,M-2026,2026-01-01,2026-12-31,false\n"


def _write(tmp_path: Path, rows: list[str], contracts: str) -> tuple[Path, Path]:
    d = tmp_path / "d.csv"
    d.write_text(HEAD + "\n".join(rows) + "\n", encoding="utf-8")
    c = tmp_path / "c.csv"
    c.write_text("provider_id,contract_no,contract_from,contract_to,sole_provider\n" + contracts,
                 encoding="utf-8")
    return d, c


# п. 20: «на сумму, в совокупности превышающую 800-кратный размер месячного расчетного показателя
# … в период действия договора закупа услуг» — the sum of the unconfirmed cases of the contract:
# one case is one case, however many findings (or months) it was found in (ESC2, ESC7).
# P-M, contract M-2026 (01.01–31.12.2026). Case K1 (cost 2 000 000) is found on 26.03.2026
# (conclusion signed Mon 30.03.2026) and found again on 07.04.2026 (signed Fri 10.04.2026, code
# 5.0); case K2 (cost 300 000) on 06.04.2026 (signed Fri 10.04.2026).
#   March: K1 2 000 000 > 865 000 (200 × 4 325): signed Mon 30.03 → 31.03 (1), 1–3.04 (4),
#     6–10.04 (9), 13.04 (10) → due 13.04.2026; as of 04.05.2026: overdue.
#   April: K1 is counted in March, the month of its first detection (ESC7), not again: the
#     month's sum is K2 alone, 300 000 ≤ 865 000 → not reached; 1 case, 1 row merged. So no
#     «repeated» month (п. 20 ч. 3) either — counting K1 in April too would have made April a
#     second month over 200 МРП: grounds for early termination from one case.
#   Contract: 2 000 000 (K1, once) + 300 000 = 2 300 000 ≤ 3 460 000 (800 × 4 325): not
#     reached; 2 cases, 1 row merged. Counting K1 twice would give 4 300 000 > 3 460 000.
TWO_MONTHS = [
    "1,P-M,K1,5.1,COST,2000000.00,6000000.00,deducted,2026,2026-03-26,2026-03-30,",
    "2,P-M,K1,5.0,COST,2000000.00,6000000.00,deducted,2026,2026-04-07,2026-04-10,",
    "3,P-M,K2,5.1,COST,300000.00,900000.00,deducted,2026,2026-04-06,2026-04-10,",
]


def test_a_case_found_in_two_months_counts_once(tmp_path: Path) -> None:
    D = Decimal
    r = escalations_files(*_write(tmp_path, TWO_MONTHS, CONTRACT_2026), as_of=dt.date(2026, 5, 4))
    mar = _by(r.items, "P-M", "monthly", "2026-03")
    assert (mar.total, mar.cases, mar.merged, mar.exceeded) == (D("2000000.00"), 1, 0, True)
    assert (mar.signed_on, mar.due, mar.status) == (dt.date(2026, 3, 30), dt.date(2026, 4, 13),
                                                    "overdue")
    apr = _by(r.items, "P-M", "monthly", "2026-04")
    assert (apr.total, apr.cases, apr.merged, apr.status) == (D("300000.00"), 1, 1, "not_reached")
    assert "counted once, in the month of their first detection (2026-03" in apr.note
    assert not [e for e in r.items if e.rule == "repeated"]
    con = _by(r.items, "P-M", "contract", "2026-01-01..2026-12-31")
    assert (con.total, con.cases, con.merged, con.exceeded, con.status) == (
        D("2300000.00"), 2, 1, False, "not_reached")
    assert (r.rows_counted, r.rows_merged, r.cases_several_months) == (3, 1, 1)


def test_the_merges_are_said_in_csv_json_and_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    d, c = _write(tmp_path, TWO_MONTHS, CONTRACT_2026)
    assert main(["escalations", str(d), "--contracts", str(c), "--as-of", "2026-05-04",
                 "--all"]) == 0
    out, err = capsys.readouterr()
    rows = {(x["rule"], x["period"]): x for x in csv.DictReader(io.StringIO(out))}
    assert rows[("monthly", "2026-04")]["merged"] == "1"
    assert rows[("contract", "2026-01-01..2026-12-31")]["merged"] == "1"
    assert rows[("contract", "2026-01-01..2026-12-31")]["total"] == "2300000.00"
    assert "1 row(s) merged into cases counted once" in err
    assert "1 case(s) detected in more than one month" in err
    assert main(["escalations", str(d), "--contracts", str(c), "--as-of", "2026-05-04",
                 "--all", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["rows_merged"] == 1 and doc["summary"]["cases_several_months"] == 1
    con = next(e for e in doc["escalations"] if e["rule"] == "contract")
    assert (con["total"], con["merged"], con["exceeded"]) == ("2300000.00", 1, False)


def test_the_same_case_id_under_two_contracts_is_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # K9 (100 000) detected 10.06.2026 under N-1 (to 15.06) and 20.06.2026 under N-2: a case is
    # (provider, contract, case_id), so it is counted under each contract — and said so.
    d, c = _write(tmp_path, [
        "1,P-N,K9,5.1,COST,100000.00,300000.00,deducted,2026,2026-06-10,2026-06-12,",
        "2,P-N,K9,5.1,COST,100000.00,300000.00,deducted,2026,2026-06-20,2026-06-22,",
    ], "P-N,N-1,2026-01-01,2026-06-15,\nP-N,N-2,2026-06-16,2026-12-31,\n")
    r = escalations_files(d, c, as_of=dt.date(2026, 7, 1))
    assert r.cases_several_contracts == [("P-N", "K9", ("N-1", "N-2"))]
    assert "also found under another contract" in _by(r.items, "P-N", "contract",
                                                       "2026-06-16..2026-12-31").note
    assert main(["escalations", str(d), "--contracts", str(c), "--as-of", "2026-07-01"]) == 0
    assert "case K9 of P-N is found under contracts N-1, N-2" in capsys.readouterr().err


# п. 20: «800-кратный размер месячного расчетного показателя, установленного на соответствующий
# финансовый год» — for a contract over two years, the МРП of the year in which the running sum
# is set against it: each conclusion's running total against 800 МРП of the year its case was
# detected in (ESC8). P-Y, contract Y-2526 (01.08.2025–31.07.2026):
#   Y1 3 000 000 detected 06.10.2025 (signed Fri 10.10.2025): 3 000 000 ≤ 800 × 3 932 =
#     3 145 600 (2025); Y2 300 000 detected 06.04.2026 (signed 10.04.2026): 3 300 000 ≤ 800 ×
#     4 325 = 3 460 000 (2026) → not reached; the threshold shown: 2026, 3 460 000.00. (By the
#     МРП of the contract's first year, 3 300 000 > 3 145 600 would have been over.)
#   The month October 2025: 3 000 000 > 200 × 3 932 = 786 400: signed Fri 10.10.2025 → 13–17
#     (5), 20–24 (10) → due 24.10.2025 (Republic Day, 25.10.2025, is a Saturday after it).
def test_contract_over_two_mrp_years(tmp_path: Path) -> None:
    D = Decimal
    d, c = _write(tmp_path, [
        "1,P-Y,Y1,5.1,COST,3000000.00,9000000.00,deducted,2025-08-01,2025-10-06,2025-10-10,",
        "2,P-Y,Y2,5.1,COST,300000.00,900000.00,deducted,2026,2026-04-06,2026-04-10,",
    ], "P-Y,Y-2526,2025-08-01,2026-07-31,false\n")
    r = escalations_files(d, c, as_of=dt.date(2026, 5, 4))
    oct_ = _by(r.items, "P-Y", "monthly", "2025-10")
    assert (oct_.mrp_year, oct_.threshold, oct_.exceeded) == (2025, D("786400.00"), True)
    assert (oct_.due, oct_.status) == (dt.date(2025, 10, 24), "overdue")
    con = _by(r.items, "P-Y", "contract", "2025-08-01..2026-07-31")
    assert (con.total, con.exceeded, con.status) == (D("3300000.00"), False, "not_reached")
    assert (con.mrp_year, con.threshold) == (2026, D("3460000.00"))
    assert "2025: 3145600.00" in con.note and "2026: 3460000.00" in con.note
    # Y3 200 000 more (detected and signed 2026-05-05, Tue): 3 500 000 > 3 460 000 → over, by the
    # 2026 МРП; from Tue 05.05.2026: 6 May (1), [7 May Defender's Day], 8 May (2), [9 May Sat,
    # moved to Mon 11 May], 12–15 (6), 18–21 (10) → due 21.05.2026
    d.write_text(d.read_text(encoding="utf-8")
                 + "3,P-Y,Y3,5.1,COST,200000.00,600000.00,deducted,2026,2026-05-05,2026-05-05,\n",
                 encoding="utf-8")
    con = _by(escalations_files(d, c, as_of=dt.date(2026, 5, 4)).items, "P-Y", "contract",
              "2025-08-01..2026-07-31")
    assert (con.total, con.exceeded, con.mrp_year, con.signed_on, con.due) == (
        D("3500000.00"), True, 2026, dt.date(2026, 5, 5), dt.date(2026, 5, 21))


# п. 19: «на общую сумму, превышающую 200-кратный размер … за календарный месяц» — the month of
# the provider, not of a contract (ESC9). P-S changes contract on 16.06.2026: S1 500 000 detected
# 10.06 (S-1, signed Fri 12.06), S2 500 000 detected 17.06 (S-2, signed Fri 19.06). June: 500 000
# (12.06) ≤ 865 000, then 1 000 000 > 865 000, taken over by S2 → from Fri 19.06.2026: 22–26
# (5), 29, 30 June, 1, 2, 3 July (10) → due 03.07.2026. Each contract: 500 000, not reached.
def test_a_month_over_two_contracts_is_one_sum(tmp_path: Path) -> None:
    d, c = _write(tmp_path, [
        "1,P-S,S1,5.1,COST,500000.00,1500000.00,deducted,2026,2026-06-10,2026-06-12,",
        "2,P-S,S2,5.1,COST,500000.00,1500000.00,deducted,2026,2026-06-17,2026-06-19,",
    ], "P-S,S-1,2026-01-01,2026-06-15,\nP-S,S-2,2026-06-16,2026-12-31,\n")
    r = escalations_files(d, c, as_of=dt.date(2026, 7, 1))
    jun = _by(r.items, "P-S", "monthly", "2026-06")
    assert (jun.contract_no, jun.total, jun.exceeded) == ("S-1 + S-2", Decimal("1000000.00"), True)
    assert (jun.signed_on, jun.due, jun.status) == (dt.date(2026, 6, 19), dt.date(2026, 7, 3), "due")
    assert "ESC9" in jun.note
    for period in ("2026-01-01..2026-06-15", "2026-06-16..2026-12-31"):
        assert _by(r.items, "P-S", "contract", period).total == Decimal("500000.00")


def test_due_on_the_due_day_overdue_the_day_after(files: tuple[Path, Path]) -> None:
    # P-A, June: A4 signed Wed 10.06.2026 → due 24.06.2026 (module docstring): «в течение десяти
    # рабочих дней» — on 24.06 still in time, on 25.06 late
    on = _by(escalations_files(*files, as_of=dt.date(2026, 6, 24)).items, "P-A", "monthly", "2026-06")
    after = _by(escalations_files(*files, as_of=dt.date(2026, 6, 25)).items, "P-A", "monthly",
                "2026-06")
    assert (on.due, on.status, after.status) == (dt.date(2026, 6, 24), "due", "overdue")


def test_repeated_row_numbers_are_different_rows(tmp_path: Path) -> None:
    # two deduct outputs joined: both start at row 1. --sum deduction counts every row: 1 500 000
    # + 1 200 000 = 2 700 000 (not the larger of the two, as when rows were keyed by their number)
    d, c = _write(tmp_path, [
        "1,P-M,K1,5.1,COST,500000.00,1500000.00,deducted,2026,2026-04-06,2026-04-10,",
        "1,P-M,K2,5.1,COST,400000.00,1200000.00,deducted,2026,2026-04-07,2026-04-10,",
    ], CONTRACT_2026)
    r = escalations_files(d, c, as_of=dt.date(2026, 5, 4), basis="deduction")
    apr = _by(r.items, "P-M", "monthly", "2026-04")
    assert (apr.total, apr.cases, apr.merged) == (Decimal("2700000.00"), 2, 0)


def test_rows_without_case_id_are_counted_each_and_said(tmp_path: Path) -> None:
    d, c = _write(tmp_path, [
        "1,P-M,,5.1,COST,500000.00,1500000.00,deducted,2026,2026-04-06,2026-04-10,",
        "2,P-M,,5.1,COST,500000.00,1500000.00,deducted,2026,2026-04-06,2026-04-10,",
    ], CONTRACT_2026)
    r = escalations_files(d, c, as_of=dt.date(2026, 5, 4))
    assert r.rows_without_case_id == 2
    assert _by(r.items, "P-M", "monthly", "2026-04").total == Decimal("1000000.00")


def test_bad_rows_are_listed_not_counted(tmp_path: Path) -> None:
    d, c = _write(tmp_path, [
        "1,P-M,K1,5.1,COST,-500000.00,-1500000.00,deducted,2026,2026-04-06,2026-04-10,",
        "2,P-M,K2,5.1,COST,500000.00,1500000.00,,2026,2026-04-06,2026-04-10,",
        "3,P-M,K3,5.1,COST,500000.00,1500000.00,deducted,2026,2027-01-11,2027-01-12,",
    ], CONTRACT_2026)
    r = escalations_files(d, c, as_of=dt.date(2026, 5, 4))
    reasons = {p.row: p.reason for p in r.problems}
    assert "negative" in reasons[1] and "status ''" in reasons[2]
    assert "contract M-2026 ended 2026-12-31" in reasons[3]
    assert r.rows_counted == 0 and not r.items


def test_one_contract_number_with_two_periods_is_refused(tmp_path: Path) -> None:
    d, c = _write(tmp_path, TWO_MONTHS, CONTRACT_2026 + "P-M,M-2026,2027-01-01,2027-12-31,false\n")
    with pytest.raises(ReportInputError, match="two different lines"):
        escalations_files(d, c, as_of=dt.date(2026, 5, 4))


def test_a_signing_date_without_a_term_or_calendar_is_a_status_not_a_crash(tmp_path: Path) -> None:
    # T1: 1 000 000 > 786 400 (200 × 3 932) in August 2025, its conclusion dated 03.03.2025 — a
    # day of the gap 14.01.2024–31.07.2025 whose Rules are not in the sources: no_term, said.
    # T2: December 2028 (МРП given: 5 000 → 1 000 000), 1 500 000 signed 22.12.2028: ten working
    # days run into 2029, beyond the calendar data: no_calendar, said.
    d, c = _write(tmp_path, [
        "1,P-T,T1,5.1,COST,1000000.00,3000000.00,deducted,2025-08-01,2025-08-05,2025-03-03,",
        "2,P-U,T2,5.1,COST,1500000.00,4500000.00,deducted,2026,2028-12-20,2028-12-22,",
    ], "P-T,T-2025,2025-08-01,2025-12-31,\nP-U,U-2028,2028-01-01,2028-12-31,\n")
    r = escalations_files(d, c, as_of=dt.date(2026, 5, 4),
                          mrp=load_mrp(extra={2028: Decimal(5000)}))
    t1 = _by(r.items, "P-T", "monthly", "2025-08")
    assert (t1.exceeded, t1.status, t1.due) == (True, "no_term", None)
    assert "before its case was detected" in t1.note and "2025-03-03" in t1.note
    t2 = _by(r.items, "P-U", "monthly", "2028-12")
    assert (t2.exceeded, t2.status, t2.due) == (True, "no_calendar", None)
    assert "calendar" in t2.note


# --- property: п. 20 counts a case once, whatever rows repeat it ----------------------------------

_CONTRACT = ContractPeriod("P-H", "H-2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31))
_DAYS = st.dates(dt.date(2026, 3, 16), dt.date(2026, 12, 31))  # edition 2026 to the contract's end
_MRP = load_mrp()


@st.composite
def _row(draw: st.DrawFn) -> dict[str, str]:
    detected = draw(_DAYS)
    lag = draw(st.one_of(st.none(), st.integers(0, 20)))
    tiyn = draw(st.integers(0, 250_000_000))
    return {
        "provider_id": "P-H", "case_id": draw(st.sampled_from(["K1", "K2", "K3", "K4", "K5"])),
        "code": draw(st.sampled_from(["5.0", "5.1"])),
        "basis": draw(st.sampled_from(["COST", "COST", "COST", "PN"])),
        "base_amount": f"{tiyn // 100}.{tiyn % 100:02d}", "amount": "0.00",
        "status": "deducted", "edition": "2026", "detected_on": detected.isoformat(),
        "conclusion_signed_on": "" if lag is None else (detected + dt.timedelta(lag)).isoformat(),
    }


def _sums(rows: list[dict[str, str]]) -> tuple[Escalation, list[Escalation]]:
    r = escalations([{**x, "row": str(i)} for i, x in enumerate(rows, start=1)], [_CONTRACT],
                    as_of=dt.date(2026, 6, 15), mrp=_MRP)
    assert not r.problems
    con = [e for e in r.items if e.rule == "contract"]
    assert len(con) == 1
    return con[0], [e for e in r.items if e.rule == "monthly"]


@settings(max_examples=120, deadline=None)
@given(st.lists(_row(), min_size=1, max_size=8), st.data())
def test_duplicating_a_row_never_changes_the_contract_sum(
    rows: list[dict[str, str]], data: st.DataObject
) -> None:
    # п. 20 sums «неподтвержденные случаи … в совокупности … в период действия договора»: the
    # same case (provider, contract, case_id) found again — on any day of the contract, signed
    # or not — adds no case and no tenge to the contract's sum (ESC2, ESC7)
    source = data.draw(st.sampled_from(rows))
    again = data.draw(_DAYS)
    lag = data.draw(st.one_of(st.none(), st.integers(0, 20)))
    copy = {**source, "detected_on": again.isoformat(),
            "conclusion_signed_on": "" if lag is None else (again + dt.timedelta(lag)).isoformat()}
    before, months_before = _sums(rows)
    after, months_after = _sums([*rows, copy])
    assert (after.total, after.cases, after.unknown_cost, after.exceeded) == (
        before.total, before.cases, before.unknown_cost, before.exceeded)
    assert after.merged == before.merged + 1
    for con, months in ((before, months_before), (after, months_after)):
        # each case in one month only (its first detection): the months share out the contract
        assert sum(m.total for m in months) == con.total
        assert sum(m.cases for m in months) == con.cases
        assert sum(m.merged for m in months) == con.merged


def test_contract_period_boundaries_are_inclusive(tmp_path: Path) -> None:
    # contract W-04 runs 01.04–30.04.2026 («в период действия договора»): the first and the last
    # day are in it, 31.03 and 01.05 are not (listed: no contract covers them). 2 × 450 000 =
    # 900 000 > 865 000 (April, 200 МРП 2026)
    d, c = _write(tmp_path, [
        "1,P-W,W0,5.1,COST,450000.00,1350000.00,deducted,2026,2026-03-31,2026-04-03,",
        "2,P-W,W1,5.1,COST,450000.00,1350000.00,deducted,2026,2026-04-01,2026-04-03,",
        "3,P-W,W2,5.1,COST,450000.00,1350000.00,deducted,2026,2026-04-30,2026-05-04,",
        "4,P-W,W3,5.1,COST,450000.00,1350000.00,deducted,2026,2026-05-01,2026-05-04,",
    ], "P-W,W-04,2026-04-01,2026-04-30,\n")
    r = escalations_files(d, c, as_of=dt.date(2026, 5, 4))
    assert sorted(p.row for p in r.problems) == [1, 4]
    apr = _by(r.items, "P-W", "monthly", "2026-04")
    assert (apr.total, apr.exceeded) == (Decimal("900000.00"), True)
    assert _by(r.items, "P-W", "contract", "2026-04-01..2026-04-30").total == Decimal("900000.00")


def test_case_cost_needs_the_cost_columns(tmp_path: Path) -> None:
    d = tmp_path / "d.csv"
    d.write_text("row,provider_id,code,amount,status,edition,detected_on\n"
                 "1,P-M,5.1,300.00,deducted,2026,2026-04-06\n", encoding="utf-8")
    c = tmp_path / "c.csv"
    c.write_text("provider_id,contract_no,contract_from,contract_to\n"
                 "P-M,M-2026,2026-01-01,2026-12-31\n", encoding="utf-8")
    with pytest.raises(ReportInputError, match="case_id, basis, base_amount"):
        escalations_files(d, c, as_of=dt.date(2026, 5, 4))
    r = escalations_files(d, c, as_of=dt.date(2026, 5, 4), basis="deduction")
    assert _by(r.items, "P-M", "monthly", "2026-04").total == Decimal("300.00")
