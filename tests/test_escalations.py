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

from osms_defects.cli import main
from osms_defects.deadlines import load_procedure
from osms_defects.escalations import (
    MrpUnknownError,
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
